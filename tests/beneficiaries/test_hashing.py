"""The keyed hash of a NIK: stable under one key, different under another, never the digits."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured

from magelang.keys import DEVELOPMENT_BENEFICIARY_KEY, beneficiary_key
from opd.beneficiaries import hashing
from opd.beneficiaries.hashing import identity_hash, normalise_identity

NIK = "3371999900000001"
STRONG = "k" * 20 + "0123456789abcdef"


def test_the_same_nik_under_the_same_key_gives_the_same_hash(settings):
    settings.BENEFICIARY_KEY = STRONG
    assert identity_hash(NIK) == identity_hash(NIK)
    assert len(identity_hash(NIK)) == 32
    assert identity_hash(NIK) != identity_hash("3371999900000002")


def test_another_key_gives_another_hash(settings):
    settings.BENEFICIARY_KEY = STRONG
    first = identity_hash(NIK)
    settings.BENEFICIARY_KEY = STRONG + "x"
    assert identity_hash(NIK) != first


def test_the_hash_is_the_hmac_of_the_digits_and_holds_none_of_them(settings):
    import hashlib
    import hmac

    settings.BENEFICIARY_KEY = STRONG
    digest = identity_hash(NIK)
    assert digest == hmac.new(STRONG.encode(), NIK.encode(), hashlib.sha256).digest()
    assert digest != hashlib.sha256(NIK.encode()).digest()  # keyed, not a plain hash
    assert NIK not in digest.hex() and NIK.encode() not in digest


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        (NIK, NIK),
        ("3371 9999 0000 0001", NIK),
        (" 3371999900000001\t", NIK),
        ("337199990000000", None),  # 15 digits
        ("33719999000000011", None),  # 17
        ("3371-9999-0000-0001", None),
        ("3371.999900000001", None),
        ("337199990000000A", None),
        ("٣٣٧١٩٩٩٩٠٠٠٠٠٠٠١", None),  # Arabic-Indic digits are digits to Python, not to a NIK
        ("", None),
    ],
)
def test_a_nik_is_16_digits_once_spaces_are_stripped(text, digits):
    assert normalise_identity(text) == digits


def test_the_development_key_warns_once_and_names_no_number(settings, caplog, monkeypatch):
    monkeypatch.setattr(hashing, "_warned", [])
    settings.BENEFICIARY_KEY = DEVELOPMENT_BENEFICIARY_KEY
    with caplog.at_level(logging.WARNING, logger="opd.beneficiaries.hashing"):
        identity_hash(NIK)
        identity_hash(NIK)
    (record,) = caplog.records
    assert "development BENEFICIARY_KEY" in record.getMessage()
    assert NIK not in caplog.text


# --- the settings' reader (magelang.keys); the start-up itself is in test_settings_key ---


def test_development_without_a_key_uses_the_development_key():
    assert beneficiary_key("", secret_key="s" * 60, production=False) == (
        DEVELOPMENT_BENEFICIARY_KEY
    )
    assert beneficiary_key(f" {STRONG} ", secret_key="s" * 60, production=False) == STRONG


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "needs BENEFICIARY_KEY"),
        ("short-key", "too weak"),
        ("a" * 40, "too weak"),  # long, but one character
        (DEVELOPMENT_BENEFICIARY_KEY, "development key"),
    ],
)
def test_production_refuses_a_missing_or_weak_key(raw, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        beneficiary_key(raw, secret_key="s" * 60, production=True)
    assert beneficiary_key(STRONG, secret_key="s" * 60, production=True) == STRONG


@pytest.mark.parametrize("production", [False, True])
def test_the_secret_key_is_refused_as_the_beneficiary_key(production):
    with pytest.raises(ImproperlyConfigured, match="must not be the SECRET_KEY"):
        beneficiary_key(STRONG, secret_key=STRONG, production=production)
