"""Samspill settings: one module, configured entirely by environment variables.

Every variable is documented in docs/deploy.md. Nothing here reads the database or
imports application code.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import dj_email_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SAMSPILL_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else generated once into var/secret_key."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
TESTING = env_bool("SAMSPILL_TESTING")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "ninja",
    "samspill.platform",
    "samspill.users",
    "samspill.organization",
    "samspill.parties",
    "samspill.catalog",
    "samspill.knowledge",
    "samspill.crm",
    "samspill.localization.no",
    "samspill.accounting",
    "samspill.inventory",
    "samspill.purchasing",
    "samspill.sales",
    "samspill.helpdesk",
    "samspill.automation",
    "samspill.portal",
    "samspill.web",
    "samspill.api",
    # Last: for the same msgid the catalogue of an app listed earlier wins, and the admin's
    # Norwegian ("Filter" -> "Filtrering", "History" -> "Historikk") must not override ours.
    "django.contrib.admin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samspill.users.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "samspill.platform.middleware.ChannelMiddleware",
    "axes.middleware.AxesMiddleware",
    "samspill.crm.middleware.WebLeadCorsMiddleware",
    "samspill.helpdesk.chat_cors.ChatCorsMiddleware",
    "samspill.api.middleware.ProblemResponseMiddleware",
    "samspill.api.middleware.IdempotencyMiddleware",
]

ROOT_URLCONF = "samspill.urls"
WSGI_APPLICATION = "samspill.wsgi.application"
ASGI_APPLICATION = "samspill.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samspill.web.context_processors.shell",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# SQLite (WAL) under var/ by default; DATABASE_URL selects PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'samspill.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: writers queue on the busy timeout instead of failing on upgrade.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; the test suite hashes thousands of passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "samspill.api.problems.csrf_failure"  # problem+json on /api/ paths
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "users:login"

# Brute-force protection (django-axes): lock a username+IP pair after 5 failures for 15 min.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "users/locked_out.html"
AXES_VERBOSE = False

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "nb")
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
# Every app has its own catalogue in <app>/locale/; there is no project-level one.
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Oslo")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
NODE_MODULES = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [
    (f"vendor/{name}", NODE_MODULES / path)
    for name, path in {
        "bootstrap": "bootstrap/dist",
        "bootstrap-icons": "bootstrap-icons/font",
        "htmx": "htmx.org/dist",
        "chartjs": "chart.js/dist",
    }.items()
    if (NODE_MODULES / path).exists()
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------
EMAIL_URL = os.environ.get("EMAIL_URL", "console:")
vars().update(dj_email_url.parse(EMAIL_URL))
if EMAIL_URL.startswith("file"):
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "samspill@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks (Django Tasks API) ------------------------------------------------
# TASK_BACKEND=db (embedded default) | rq (Redis, scale-out) | immediate (run inline)
TASK_BACKEND = os.environ.get("TASK_BACKEND", "db")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
_TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASK_BACKEND not in _TASK_BACKENDS:
    raise ValueError(f"TASK_BACKEND must be one of {sorted(_TASK_BACKENDS)}, not {TASK_BACKEND!r}")
# The one task queue Samspill uses (in Redis: rq:queue:<TASK_QUEUE>). Each pytest-xdist
# worker gets its own (default-gw0, default-gw1 ...), so parallel test processes sharing one
# Redis never take each other's jobs.
TASK_QUEUE = os.environ.get("TASK_QUEUE") or (
    f"default-{os.environ['PYTEST_XDIST_WORKER']}"
    if TESTING and os.environ.get("PYTEST_XDIST_WORKER")
    else "default"
)
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_BACKEND], "QUEUES": [TASK_QUEUE]}}
RQ_QUEUES = {TASK_QUEUE: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
if TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")

# --- Cache --------------------------------------------------------------------------------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("CACHE_URL", "").startswith("redis"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
    }

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# --- Logging: one JSON object per line ----------------------------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "samspill.platform.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING" if TESTING else "INFO"},
        "axes": {"level": "WARNING"},
    },
}

# --- Samspill -----------------------------------------------------------------------------
SAMSPILL = {
    # Pagination of list pages and API lists.
    "PAGE_SIZE": 50,
    "MAX_PAGE_SIZE": 500,
    # Personal access tokens: days until expiry when none is given.
    "TOKEN_DEFAULT_DAYS": 90,
    # Events: delivery attempts before an event is dead-lettered.
    "EVENT_MAX_ATTEMPTS": int(os.environ.get("EVENT_MAX_ATTEMPTS", "8")),
    # Events: how long a worker holds an event it is delivering before another worker may
    # deliver it again (a killed worker's event is redelivered after this). Longer than the
    # slowest subscriber.
    "EVENT_DELIVERY_LEASE_SECONDS": int(os.environ.get("EVENT_DELIVERY_LEASE_SECONDS", "300")),
    # `samspill worker`: seconds between sweeps for undelivered events and housekeeping.
    "WORKER_SWEEP_SECONDS": int(os.environ.get("WORKER_SWEEP_SECONDS", "30")),
    # How often the worker refreshes the query planner's statistics (platform.dbstats).
    "DB_STATISTICS_SECONDS": int(os.environ.get("DB_STATISTICS_SECONDS", "3600")),
    # API Idempotency-Key: hours a key and its stored response are kept.
    "IDEMPOTENCY_TTL_HOURS": 24,
    # Webhooks: allow targets on private/loopback addresses (off: SSRF guard), attempts
    # before a delivery is dead-lettered, seconds to wait for the receiver.
    "WEBHOOK_ALLOW_PRIVATE": env_bool("WEBHOOK_ALLOW_PRIVATE"),
    "WEBHOOK_MAX_ATTEMPTS": int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "8")),
    "WEBHOOK_TIMEOUT": float(os.environ.get("WEBHOOK_TIMEOUT", "5")),
    # Chatter: largest attachment in bytes, minutes an author may edit or delete a comment.
    "ATTACHMENT_MAX_BYTES": int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))),
    "COMMENT_EDIT_MINUTES": 60,
    # Receipts: how many per cent more than ordered may arrive against a purchase order
    # line (0: never more than ordered).
    "RECEIPT_TOLERANCE_PERCENT": float(os.environ.get("RECEIPT_TOLERANCE_PERCENT", "0")),
    # Nightly replenishment: from this local hour the worker turns what is below its reorder
    # minimum into draft purchase orders, once a day (-1, the default: off).
    "REPLENISH_HOUR": int(os.environ.get("REPLENISH_HOUR", "-1")),
}
# Customer service contact form: websites (origins, e.g. https://www.firma.no) whose pages
# may post to it from the browser (CORS) and be sent back to after an HTML post.
HELPDESK_FORM_ORIGINS = env_list("HELPDESK_FORM_ORIGINS")
# The key stored secrets (mailbox passwords, webhook secrets) are encrypted with; empty:
# derived from SECRET_KEY. Changing it makes stored secrets unreadable (enter them again).
SAMSPILL_SECRET_KEY = os.environ.get("SAMSPILL_SECRET_KEY", "")
# Links in notification e-mails start with this (scheme and host, no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
# `@paginate` from ninja without arguments uses the same pagination as samspill's.
NINJA_PAGINATION_CLASS = "samspill.platform.pagination.PageNumberPagination"
