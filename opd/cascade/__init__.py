"""The performance cascade (kaskade kinerja): the RPJMD down to the Renja's activities and back."""
