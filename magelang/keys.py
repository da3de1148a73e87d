"""Keys the settings read besides ``SECRET_KEY``: each checked here, so a test can call it.

``BENEFICIARY_KEY`` keys the HMAC that replaces a beneficiary's NIK and No. KK on import
(``opd.beneficiaries.hashing``). It is a key of its own, never the ``SECRET_KEY``: rotating
the secret key (sessions, signed links) must not change every stored person, and a leaked
secret key must not let anyone test a NIK against the lists.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

#: Development only: lists hashed with it never match production's (hashing logs a warning).
DEVELOPMENT_BENEFICIARY_KEY = "development-only-beneficiary-key-do-not-use-in-production"
#: The shortest key production accepts (characters; a token_urlsafe(48) has 64).
MIN_BENEFICIARY_KEY_LENGTH = 32


def beneficiary_key(raw: str, *, secret_key: str, production: bool) -> str:
    """The key to hash beneficiaries with: ``raw`` (stripped) when set, else the development key.

    Raises ImproperlyConfigured for a key equal to ``secret_key`` (anywhere), and in production
    for a missing key or one shorter than :data:`MIN_BENEFICIARY_KEY_LENGTH` or of fewer than
    five distinct characters.
    """
    key = raw.strip()
    if key and key == secret_key:
        raise ImproperlyConfigured(
            "BENEFICIARY_KEY must not be the SECRET_KEY: generate a key of its own."
        )
    if production:
        if not key:
            raise ImproperlyConfigured("DJANGO_ENV=production needs BENEFICIARY_KEY to be set.")
        if len(key) < MIN_BENEFICIARY_KEY_LENGTH or len(set(key)) < 5:
            raise ImproperlyConfigured(
                "BENEFICIARY_KEY is too weak for production: use at least "
                f"{MIN_BENEFICIARY_KEY_LENGTH} random characters."
            )
        if key == DEVELOPMENT_BENEFICIARY_KEY:
            raise ImproperlyConfigured("BENEFICIARY_KEY is the development key: set your own.")
    return key or DEVELOPMENT_BENEFICIARY_KEY
