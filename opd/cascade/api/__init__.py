"""The cascade as a nested read of the API: ``GET /api/v1/cascade/``."""
