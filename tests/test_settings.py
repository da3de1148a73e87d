"""Settings come from the environment; production refuses unsafe ones at start-up."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = secrets.token_urlsafe(64)
# Production refuses to start without a beneficiary key of its own (magelang.keys).
BENEFICIARY_KEY = secrets.token_urlsafe(48)


def start(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a fresh interpreter with exactly these settings variables."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "BENEFICIARY_KEY",
            "DEBUG",
            "DJANGO_ENV",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "SECURE_PROXY_SSL_HEADER",
            "SECURE_SSL_REDIRECT",
            "LOG_FORMAT",
            "SESSION_IDLE_MINUTES",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *(command or ("check",))],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_a_missing_secret_key():
    result = start({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "portal.example"})
    assert result.returncode != 0
    assert "needs SECRET_KEY" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = start({"DJANGO_ENV": "production", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x"})
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_refuses_debug():
    result = start(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": STRONG_KEY,
            "BENEFICIARY_KEY": BENEFICIARY_KEY,
            "DEBUG": "true",
            "ALLOWED_HOSTS": "x",
        }
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_an_unreadable_boolean_is_refused_not_guessed():
    result = start({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_an_unknown_environment_name_is_refused(env):
    result = start({"DJANGO_ENV": env})
    assert result.returncode != 0
    assert "DJANGO_ENV" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = start(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": STRONG_KEY,
            "BENEFICIARY_KEY": BENEFICIARY_KEY,
            "ALLOWED_HOSTS": "perencanaan.magelangkota.go.id",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_need_no_environment():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _name in settings.LANGUAGES] == ["id", "en"]
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.USE_THOUSAND_SEPARATOR


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "BENEFICIARY_KEY": BENEFICIARY_KEY,
    "ALLOWED_HOSTS": "x",
}


def setting(env: dict[str, str], expression: str) -> str:
    """``repr`` of a settings expression as a fresh interpreter with ``env`` computes it."""
    result = start(
        env, "shell", "-c", f"from django.conf import settings; print(repr({expression}))"
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the shell's own line


@pytest.mark.parametrize("env", [{}, PRODUCTION], ids=["development", "production"])
def test_no_proxy_header_is_believed_unless_configured(env):
    assert setting(env, "settings.SECURE_PROXY_SSL_HEADER") == "None"


@pytest.mark.parametrize("env", [{}, PRODUCTION], ids=["development", "production"])
def test_the_proxy_header_is_read_from_the_environment(env):
    configured = {**env, "SECURE_PROXY_SSL_HEADER": "http_x_forwarded_proto, https"}
    assert setting(configured, "settings.SECURE_PROXY_SSL_HEADER") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


@pytest.mark.parametrize("raw", ["X-Forwarded-Proto,https", "HTTP_X_FORWARDED_PROTO", "true"])
def test_an_unreadable_proxy_header_is_refused(raw):
    result = start({"SECURE_PROXY_SSL_HEADER": raw})
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER" in result.stderr


def test_production_redirects_to_https_unless_told_not_to():
    assert setting(PRODUCTION, "settings.SECURE_SSL_REDIRECT") == "True"
    off = {**PRODUCTION, "SECURE_SSL_REDIRECT": "false"}
    assert setting(off, "settings.SECURE_SSL_REDIRECT") == "False"


def test_production_serves_static_files_through_whitenoise_after_the_security_middleware():
    after_security = (
        "settings.MIDDLEWARE[settings.MIDDLEWARE.index("
        "'django.middleware.security.SecurityMiddleware') + 1]"
    )
    assert setting(PRODUCTION, after_security) == "'whitenoise.middleware.WhiteNoiseMiddleware'"
    assert "WhiteNoise" not in setting({}, "settings.MIDDLEWARE")
    # The request id first, so that every line logged for a request carries it.
    assert (
        setting(PRODUCTION, "settings.MIDDLEWARE[0]") == "'magelang.request_id.RequestIdMiddleware'"
    )
    assert "CompressedManifestStaticFilesStorage" in setting(
        PRODUCTION, "settings.STORAGES['staticfiles']['BACKEND']"
    )


def test_logs_are_json_in_production_and_text_in_development():
    assert setting(PRODUCTION, "settings.LOG_FORMAT") == "'json'"
    assert setting({}, "settings.LOG_FORMAT") == "'text'"
    assert setting({"LOG_FORMAT": "JSON"}, "settings.LOG_FORMAT") == "'json'"
    assert setting({**PRODUCTION, "LOG_FORMAT": "text"}, "settings.LOG_FORMAT") == "'text'"


def test_an_unknown_log_format_is_refused():
    result = start({"LOG_FORMAT": "xml"})
    assert result.returncode != 0
    assert "LOG_FORMAT='xml'" in result.stderr


def test_the_session_age_is_the_idle_time():
    assert setting({"SESSION_IDLE_MINUTES": "15"}, "settings.SESSION_COOKIE_AGE") == "900"
    assert setting({}, "settings.SESSION_ENGINE") == "'magelang.sessions'"


@pytest.mark.parametrize("raw", ["0", "4", "an hour"])
def test_an_unusable_idle_time_is_refused(raw):
    result = start({"SESSION_IDLE_MINUTES": raw})
    assert result.returncode != 0
    assert "SESSION_IDLE_MINUTES" in result.stderr


def test_passwords_pass_django_s_four_validators_with_twelve_characters_at_least():
    from django.conf import settings
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    assert [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS] == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    with pytest.raises(ValidationError):
        validate_password("kT9#qLm2vX4")  # 11 characters
    validate_password("kT9#qLm2vX4z")
