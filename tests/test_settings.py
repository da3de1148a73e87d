"""Settings come from the environment; production refuses unsafe ones at start-up."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = secrets.token_urlsafe(64)


def start(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a fresh interpreter with exactly these settings variables."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"SECRET_KEY", "DEBUG", "DJANGO_ENV", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
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
