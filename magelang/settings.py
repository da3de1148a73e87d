"""Settings for the Magelang planning portal, read from the environment.

Development (the default) needs nothing: SQLite under ``var/`` and Celery in
eager mode. Production (``DJANGO_ENV=production``) refuses to start without a
secret key or with ``DEBUG`` on. Every variable is listed in the README.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from magelang.keys import beneficiary_key
from magelang.logs import logging_config
from magelang.schedule import beat_schedule

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean variable; accepts 1/0, true/false, yes/no, on/off."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false).")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development").strip().lower()
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV={DJANGO_ENV!r}: use 'development' (the default) or 'production'."
    )
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_ENV=production needs SECRET_KEY to be set.")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak for production: use at least 50 random characters."
        )
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_ENV=production refuses DEBUG=true.")
elif not SECRET_KEY:
    # Development only: a fixed, clearly marked key so sessions survive restarts.
    SECRET_KEY = "django-insecure-development-only-do-not-use-in-production"  # noqa: S105

# Rotating SECRET_KEY: the old key goes here (comma-separated), so the sessions and links it
# signed stay valid until the new one has taken over; drop it after SESSION_IDLE_MINUTES.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

# The HMAC key that replaces beneficiaries' NIK and No. KK (magelang.keys says why it is not the
# SECRET_KEY): required in production, a fixed development key otherwise.
BENEFICIARY_KEY = beneficiary_key(
    os.environ.get("BENEFICIARY_KEY", ""), secret_key=SECRET_KEY, production=PRODUCTION
)
# Uploads stay in memory, never in a temporary file: a beneficiary list holds NIKs, which must
# never reach the disk. So memory is bounded per request (magelang.uploads): the files of one
# request keep at most FILE_UPLOAD_MAX_MEMORY_SIZE bytes in all (a file past it arrives empty,
# with its size, and its view refuses it); a multipart body over UPLOAD_MAX_REQUEST_SIZE is a
# 400 before it is read (room above 16 MB so a file just over it still gets its view's
# message); and a request carries at most 5 files (every form takes one; more is a 400).
FILE_UPLOAD_HANDLERS = ["magelang.uploads.MemoryOnlyUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
UPLOAD_MAX_REQUEST_SIZE = 32 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 5

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "targets",
    "opd",
]

MIDDLEWARE = [
    # First, so every line logged while handling a request carries its id.
    "magelang.request_id.RequestIdMiddleware",
    # Answers /healthz and /readyz itself, before the HTTPS redirect and the host check: a
    # container's health check calls http://localhost:8000 (magelang.health says why it is safe).
    "magelang.health.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "magelang.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as axes asks: it turns a sign-in refused for a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "magelang.urls"
WSGI_APPLICATION = "magelang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'magelang.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # SQLite cannot keep connections across threads usefully; close each request.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out username and address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Signed out after SESSION_IDLE_MINUTES without a request. The store pushes the expiry on at
# most once a minute instead of writing the session on every request (magelang.sessions).
SESSION_ENGINE = "magelang.sessions"
try:
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "60"))
except ValueError as error:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES must be a whole number of minutes.") from error
if SESSION_IDLE_MINUTES < 5:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES must be at least 5.")
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Language, time and numbers: Indonesian first, English available.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True
# Django's "id" locale formats decimals as 7,38 and thousands as 1.250.000.
USE_THOUSAND_SEPARATOR = True
# One date format in both languages, the admin included: "31 Oktober 2017".
FORMAT_MODULE_PATH = ["magelang.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); plain ones elsewhere.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Celery: with REDIS_URL unset, tasks run eagerly in the web process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
# One Redis can serve several instances (and test runs): each publishes to and consumes its queue.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Publishing from a request does not use these: it goes through its own connection that
# gives up after 0.5 s without retrying (opd.engine.marking.request_broker_connection). These bound
# the worker's, beat's and the commands' publishes, which may wait longer.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # kombu's Redis transport ignores broker_connection_timeout: without these, a broker
    # that accepts the connection but never answers holds a publish forever.
    "socket_connect_timeout": 2,
    "socket_timeout": 2,  # above the workers' 1 s BRPOP poll
    # Longer than the longest task (the nightly recomputation, 1 h time limit), so a late-acked
    # task still running is not delivered a second time.
    "visibility_timeout": 2 * 3600,
}

# What beat runs when: magelang/schedule.py.
CELERY_BEAT_SCHEDULE = beat_schedule()

# Readiness (/readyz, magelang.health): a Celery worker must have answered a ping within
# READY_WORKER_MAX_AGE seconds, and no recomputation have waited longer than
# READY_BACKLOG_MAX_AGE (the sweep runs every five minutes).
READY_WORKER_MAX_AGE = int(os.environ.get("READY_WORKER_MAX_AGE", "60"))
READY_BACKLOG_MAX_AGE = int(os.environ.get("READY_BACKLOG_MAX_AGE", "900"))

# Proxies in front of the portal, each appending the address it saw to X-Forwarded-For. Only
# their hops are believed (the last NUM_PROXIES); with 0 the caller is REMOTE_ADDR, whatever the
# header says. One rule (magelang.client_ip) for the API throttles and the sign-in lockout.
try:
    NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
except ValueError as error:
    raise ImproperlyConfigured("NUM_PROXIES must be a whole number (0 or more).") from error
if NUM_PROXIES < 0:
    raise ImproperlyConfigured("NUM_PROXIES must be a whole number (0 or more).")


def redis_url_next_db(url: str) -> str:
    """The same Redis server, the database after the one ``url`` names (0 when none)."""
    parts = urlsplit(url)
    database = parts.path.strip("/") or "0"
    if parts.scheme not in {"redis", "rediss"} or not database.isdigit() or "db=" in parts.query:
        raise ImproperlyConfigured(
            f"Cannot derive the cache's Redis database from REDIS_URL={url!r}: set CACHE_REDIS_URL."
        )
    if int(database) >= 15:  # a default Redis has databases 0 to 15
        raise ImproperlyConfigured(
            f"REDIS_URL={url!r} uses the last Redis database: set CACHE_REDIS_URL for the cache."
        )
    return urlunsplit(parts._replace(path=f"/{int(database) + 1}"))


# The cache holds the API's throttle counts. With Redis, every worker and server shares them;
# the cache gets its own database (the one after Celery's, or CACHE_REDIS_URL) and key prefix,
# so clearing it never drops queued tasks, and short timeouts, so a frozen Redis fails a cache
# call within half a second instead of holding the request (the same bound as the broker's on
# the request path). Without Redis: this process's memory.
CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "") or (
    redis_url_next_db(REDIS_URL) if REDIS_URL else ""
)
if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "magelang"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    # Tokens for other city systems first, so a caller without credentials gets 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "magelang.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "magelang.api.permissions.PublicOrSignedIn",
        "magelang.api.permissions.ReadOrWriteScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "magelang.api.throttling.AnonThrottle",
        "magelang.api.throttling.TokenThrottle",
        "magelang.api.throttling.UserThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["magelang.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        # Here, not on the views: targets' views name a region_field without importing opd.
        "magelang.api.scope.RegionScopeFilter",
        "magelang.api.filters.UniqueOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "magelang.api.pagination.ApiPagination",
    "DEFAULT_SCHEMA_CLASS": "magelang.api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "magelang.api.errors.handle",
    "COERCE_DECIMAL_TO_STRING": True,
    "NUM_PROXIES": NUM_PROXIES,
}
API_THROTTLE_RATES = {
    "anon": os.environ.get("API_THROTTLE_ANON", "60/min"),
    "token": os.environ.get("API_THROTTLE_TOKEN", "600/min"),
    "user": os.environ.get("API_THROTTLE_USER", "600/min"),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Magelang planning portal API",
    "DESCRIPTION": (
        "Read the RPJMD's figures, the OPDs' plans and contributions; report realisations. "
        "Send `Authorization: Token <token>` (`manage.py api_client_create`) or use a browser "
        "session. Decimals are strings. Changes need the ETag in `If-Match`. Lists show "
        "`?wilayah=<code>` (and the regions under it), by default your own; large lists page "
        "by keyset (`?cursor=`); `count` is on the first numbered page only."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "WorkPlanStatusEnum": "opd.models.WorkPlanStatus",
        "AspirationStatusEnum": "opd.models.AspirationStatus",
        "SnapshotStatusEnum": "opd.models.SnapshotStatus",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Password guessing: five failures for one username from one address lock that pair out for
# 15 minutes (the counts are rows in the database, shared by every worker). A success before
# that starts the count again; an administrator unlocks by deleting the access attempt.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "magelang.client_ip.client_ip"
AXES_VERBOSE = False  # no start-up banner on every command; lockouts are still logged
AXES_LOCKOUT_CALLABLE = "magelang.signin.lockout_response"

# Content-Security-Policy: scripts, styles and everything else from the portal only; no inline
# code and no eval (static/js/portal.js does what inline handlers did).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Swagger UI's icons are data: URLs
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@magelangkota.go.id")

# To stderr, each line with the request id (magelang.request_id): JSON objects in production,
# text for a developer. The Celery worker and beat log through this too (magelang.celery).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use 'json' or 'text'.")
LOGGING = logging_config(
    log_format=LOG_FORMAT, level=os.environ.get("LOG_LEVEL", "INFO").strip().upper()
)


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """Read ``HTTP_X_FORWARDED_PROTO,https`` as Django's (header, value) pair; unset: None."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    header, _comma, value = (part.strip() for part in raw.partition(","))
    header = header.upper()
    if not re.fullmatch(r"HTTP_[A-Z0-9_]+", header) or not value:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: use the request.META name and the value, e.g. "
            "HTTP_X_FORWARDED_PROTO,https"
        )
    return header, value


# Believe a header that says the request came in over HTTPS only when a proxy in front sets it
# (and strips a caller's own): unset, nobody is believed.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")

if PRODUCTION:
    # WhiteNoise serves the collected static files, right after SecurityMiddleware as it asks;
    # development uses runserver's.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# The region a first run serves and the indicator its home page leads with.
DEFAULT_REGION_CODE = os.environ.get("DEFAULT_REGION_CODE", "33.71")
HEADLINE_INDICATOR_CODE = os.environ.get("HEADLINE_INDICATOR_CODE", "KEMISKINAN")

# Work plans: the year the Renja pages open on, and when deadline reminders go out.
RENJA_DEFAULT_YEAR = int(os.environ.get("RENJA_DEFAULT_YEAR", "2018"))
DEADLINE_REMINDER_DAYS = [
    int(days) for days in env_list("DEADLINE_REMINDER_DAYS", ["7", "1"]) if days.isdigit()
]
