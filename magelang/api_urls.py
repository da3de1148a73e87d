"""REST API v1 (issue: REST API)."""

urlpatterns: list = []
