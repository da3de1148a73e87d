"""Production refuses to start without a BENEFICIARY_KEY of its own (a fresh interpreter, as
``tests/test_settings.py`` starts one)."""

from __future__ import annotations

from tests.test_settings import STRONG_KEY, setting, start

PRODUCTION = {"DJANGO_ENV": "production", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "x"}
KEY = "b" * 20 + "0123456789abcdefghij"


def test_production_refuses_to_start_without_a_beneficiary_key():
    result = start({**PRODUCTION, "BENEFICIARY_KEY": ""})
    assert result.returncode != 0
    assert "needs BENEFICIARY_KEY" in result.stderr


def test_production_refuses_the_secret_key_as_the_beneficiary_key():
    result = start({**PRODUCTION, "BENEFICIARY_KEY": STRONG_KEY})
    assert result.returncode != 0
    assert "must not be the SECRET_KEY" in result.stderr


def test_production_starts_with_a_key_of_its_own():
    assert setting({**PRODUCTION, "BENEFICIARY_KEY": KEY}, "settings.BENEFICIARY_KEY") == repr(KEY)


def test_uploads_never_go_to_a_temporary_file():
    assert setting({}, "settings.FILE_UPLOAD_HANDLERS") == repr(
        ["magelang.uploads.MemoryOnlyUploadHandler"]
    )
