"""The schema and its documentation page."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path) -> None:
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yaml"))
    text = (tmp_path / "s.yaml").read_text()
    assert "/api/v1/work-plans/{id}/approve/" in text
    assert "If-Match" in text and "'412':" in text and "'428':" in text
    assert "tokenAuth" in text
    # Programs, reopen, codes as filter values, 304.
    assert "/api/v1/programs/{id}/" in text and "/api/v1/work-plans/{id}/reopen/" in text
    assert "its code (e.g. `KEMISKINAN`)" in text and "'304':" in text


def test_swagger_ui_is_served_offline() -> None:
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(not asset.startswith(("http:", "https:", "//")) for asset in assets)
    assert "/static/drf_spectacular_sidecar/" in page


def test_schema_documents_the_beneficiary_list_and_the_deduplicated_figures(tmp_path) -> None:
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yaml"))
    text = (tmp_path / "s.yaml").read_text()
    path = text.split("/api/v1/activities/{id}/beneficiaries/:", 1)[1].split("\n  /api/", 1)[0]
    for method in ("get:", "post:", "delete:"):
        assert f"\n    {method}" in path
    assert "multipart/form-data" in path and "BeneficiaryUploadRequest" in path
    assert "BeneficiaryUploadError" in path and "If-Match" in path
    assert all(f"'{code}':" in path for code in (200, 201, 204, 400, 412, 428))
    upload = text.split("    BeneficiaryUploadRequest:", 1)[1].split("\n    B", 1)[0]
    assert "format: binary" in upload
    contribution = text.split("\n    Contribution:", 1)[1].split("\n    C", 1)[0]
    for name in (
        "planned_gross",
        "planned_deduplicated",
        "achieved_deduplicated",
        "overlap",
        "backed_share",
        "distinct_persons",
        "low_desil_share",
        "coverage_deduplicated",
        "status_basis",
        "overlap_matrix",
    ):
        assert f"\n        {name}:" in contribution
    assert "OverlapPair" in contribution


def test_schema_documents_the_renstra_read(tmp_path) -> None:
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yaml"))
    text = (tmp_path / "s.yaml").read_text()
    listing = text.split("\n  /api/v1/renstra/:", 1)[1].split("\n  /api/", 1)[0]
    assert "name: opd" in listing and "name: status" in listing and "'304':" in listing
    assert "get:" in listing and "post:" not in listing
    detail = text.split("\n  /api/v1/renstra/{id}/:", 1)[1].split("\n  /api/", 1)[0]
    assert "Renstra'" in detail and "patch:" not in detail
    program = text.split("\n    RenstraProgram:", 1)[1].split("\n    RenstraProgramYear:", 1)[0]
    for name in ("outcome_indicator", "outcome_unit", "indicator_code", "years", "activities"):
        assert f"\n        {name}:" in program
    year = text.split("\n    RenstraProgramYear:", 1)[1].split("\n    R", 1)[0]
    assert "\n        target:" in year and "\n        budget:" in year
