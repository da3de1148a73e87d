"""The keyed hash that replaces a NIK or a No. KK, and the normalisation before it.

``identity_hash(digits)`` is HMAC-SHA256(``settings.BENEFICIARY_KEY``, the 16 digits as ASCII),
32 bytes. The same number gives the same hash under the same key, so a person on two lists
matches; without the key nobody can test a NIK against the stored hashes (the 16 digits are
guessable, which is why a plain SHA-256 would not do). Changing the key makes every stored
list unmatched by the next ones: re-import them all, or keep the key.

Nothing here logs, raises or returns a number it was given: a NIK must never reach a log.
"""

from __future__ import annotations

import hmac
import logging

from django.conf import settings

from magelang.keys import DEVELOPMENT_BENEFICIARY_KEY

log = logging.getLogger(__name__)

#: Digits in a NIK and in a No. KK.
IDENTITY_DIGITS = 16

_warned: list[bool] = []


def normalise_identity(text: str) -> str | None:
    """The 16 digits of a NIK or No. KK written with or without spaces; ``None`` for anything
    else (a letter, a dot, a dash, another count of digits)."""
    digits = "".join(text.split())
    if len(digits) == IDENTITY_DIGITS and digits.isascii() and digits.isdigit():
        return digits
    return None


def key() -> bytes:
    """The key, read from the settings at each call (tests override it)."""
    value: str = settings.BENEFICIARY_KEY
    if value == DEVELOPMENT_BENEFICIARY_KEY and not _warned:
        _warned.append(True)
        log.warning(
            "Beneficiaries are hashed with the development BENEFICIARY_KEY: set a key of your "
            "own (.env.example); lists hashed now will not match lists hashed with it."
        )
    return value.encode()


def identity_hash(digits: str, secret: bytes | None = None) -> bytes:
    """HMAC-SHA256 of normalised digits (:func:`normalise_identity`) with the key, 32 bytes."""
    return hmac.digest(secret if secret is not None else key(), digits.encode("ascii"), "sha256")
