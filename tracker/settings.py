"""Settings for the commitment tracker: one module, driven by environment variables.

Every variable is documented in README.md. Development defaults are safe (SQLite, DEBUG off);
production refuses to start without a SECRET_KEY.
"""

import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set SECRET_KEY to a long random string, "
            "or set DEBUG=1 for local development (make run and make test do)."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)

INSTALLED_APPS = [
    "commitments.admin_site.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_filters",
    "django_tables2",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "axes",
    "django_tasks_db",
    "commitments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy and Cross-Origin-Resource-Policy, which Django has no setting for.
    "commitments.middleware.SecurityHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 400 for a NUL byte anywhere in the request, before anything reads it.
    "commitments.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language from its address prefix (/ja/, /hi/; none is English).
    "django.middleware.locale.LocaleMiddleware",
    # English without a prefix (the admin too); a reader who chose ja or hi with the
    # switcher is sent from an English page to the same page in their language.
    "commitments.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETags on every page and API response, so clients can revalidate cheaply.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "commitments.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging: the web server reads while a worker writes (an import, the sending
    # of e-mails marked one by one), and a commit costs one sync instead of several.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spent 1.4 s compiling the full-table export, which then ran in
    # 0.8 s without it; the site's queries are all short. Off unless the URL sets options.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "commitments.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "commitments:workspace"
LOGOUT_REDIRECT_URL = "commitments:dashboard"

# Brute-force protection: 5 failed sign-ins for one username from one address lock that pair
# (not the username everywhere) for 15 minutes. Attempts are stored in the database, so every
# app server sees the same lockouts.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "commitments.views.accounts.locked_out"
# The username as typed, cut to 150 characters: axes stores it in 255 (a 500 on PostgreSQL).
AXES_USERNAME_CALLABLE = "commitments.middleware.axes_username"
# The address is the client's as the trusted proxy saw it (TRUSTED_PROXY_COUNT, below), the same
# one every rate limit counts: commitments.throttle.client_ip. (The AXES_IPWARE_* settings need
# django-ipware, which is not installed, and this callable takes precedence over them anyway.)
AXES_CLIENT_IP_CALLABLE = "commitments.throttle.client_ip"


def env_rate(name: str, default: str) -> str | None:
    """A rate limit such as "10/10m" (count / period in s, m, h or d); "off" turns it off."""
    value = env_str(name, default).lower()
    if value == "off":
        return None
    if not re.fullmatch(r"[1-9][0-9]*/([1-9][0-9]*)?[smhd]", value):
        raise ImproperlyConfigured(f"{name} must look like 10/10m or 60/h (or off), not {value!r}")
    return value


# Rate limits per client address (commitments/throttle.py), counted in the cache. Sign-ins, any
# username: all attempts and failed ones. Password-reset requests: per address and per e-mail
# address asked for (known or not). Public downloads that are expensive to build, counted only
# when not served from the public cache: PDF and XLSX ("heavy"), and the CSV/JSON exports and
# uncached report pages. Over a limit, the answer is a 429 page saying when to try again.
THROTTLE_RATE_LOGIN = env_rate("THROTTLE_RATE_LOGIN", "60/h")
THROTTLE_RATE_LOGIN_FAILED = env_rate("THROTTLE_RATE_LOGIN_FAILED", "30/h")
THROTTLE_RATE_RESET_ADDRESS = env_rate("THROTTLE_RATE_RESET_ADDRESS", "10/h")
THROTTLE_RATE_RESET_EMAIL = env_rate("THROTTLE_RATE_RESET_EMAIL", "3/h")
THROTTLE_RATE_HEAVY = env_rate("THROTTLE_RATE_HEAVY", "10/10m")
THROTTLE_RATE_EXPORT = env_rate("THROTTLE_RATE_EXPORT", "30/10m")
# If the cache is unreachable, requests go through unlimited (and a warning is logged).
RATELIMIT_FAIL_OPEN = True

# E-mail (password resets): printed to the console in development, SMTP in production.
_email_backend = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 587),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", default=True),
        }
        if _email_backend.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tracker@localhost")
# The site's own address, for links in e-mails (password resets): never the Host a request
# claims. Defaults: http://127.0.0.1:8000 with DEBUG, else https:// and the first host in
# ALLOWED_HOSTS that is not a wildcard.
SITE_URL = env_str("SITE_URL").rstrip("/")
if not SITE_URL:
    _concrete_hosts = [h for h in ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
    if DEBUG:
        SITE_URL = "http://127.0.0.1:8000"
    elif _concrete_hosts:
        SITE_URL = f"https://{_concrete_hosts[0]}"
    elif ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "SITE_URL is required when ALLOWED_HOSTS holds only wildcards, "
            "e.g. SITE_URL=https://tracker.example.org"
        )
elif not re.fullmatch(r"https?://[^/?#@\s]+", SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL must be an origin such as https://tracker.example.org, not {SITE_URL!r}"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    # The secret in a following page's address (a token, a confirmation code) never logged.
    "filters": {"follow_secrets": {"()": "commitments.logging_filters.HideFollowSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["follow_secrets"],
        }
    },
    "loggers": {
        # Denied actions and lockouts (commitments.security), failed sign-ins (axes).
        "commitments": {"handlers": ["console"], "level": "INFO"},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes.apps": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
        # Every 500 with its traceback (Django gives it a handler only with DEBUG on).
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Security headers. Every response carries the CSP, nosniff, the referrer and opener policies;
# HTTPS-only settings (HSTS, secure cookies, redirect) apply when DEBUG is off.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],  # the admin's inline style attributes
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Set by commitments.middleware.SecurityHeadersMiddleware (the badge answers "cross-origin").
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    # Only behind a reverse proxy that sets X-Forwarded-Proto itself (see README, Deploy).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of the app append the address they received each request
# from to X-Forwarded-For. The client is the entry the outermost one appended (that many from
# the right); entries further left are whatever the client sent. 0: REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# English is the default and keeps today's addresses; Japanese and Hindi pages live under
# /ja/ and /hi/ (tracker/urls.py). Interface strings: locale/<code>/LC_MESSAGES/django.po,
# compiled to .mo by `make install`. Dates: the named formats in tracker/formats/.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("ja", "日本語"), ("hi", "हिन्दी")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The reader's choice of language (commitments/views/language.py), kept a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
FORMAT_MODULE_PATH = ["tracker.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
# collectstatic writes here for production; development and tests serve from the finders.
STATIC_ROOT = env_str("STATIC_ROOT") or (None if DEBUG else BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Every asset is a file of the project, served by WhiteNoise: no CDN, no network at run time.
# Production (DEBUG off) serves compressed, hashed copies made by `manage.py collectstatic`.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# In development and tests WhiteNoise serves straight from static/ (decided here, at import,
# because the test runner turns settings.DEBUG off before the middleware starts).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# The default name is said in the reader's language (commitments.context_processors.site_name);
# a name set here is the operator's own and shown as it is.
SITE_NAME = env_str("SITE_NAME", gettext_noop("Commitment tracker"))

# The shared cache: Redis when REDIS_URL is set (several app servers share it; Django's backend,
# reusing its client), local memory otherwise. Anonymous public pages are kept
# PUBLIC_CACHE_SECONDS at most, and invalidated at once by any change to public data
# (commitments/cache.py); only with Redis, as local memory is not shared between processes.
# Connecting to Redis and each reply time out after a second: a request then goes uncached.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "commitments.redis_cache.SharedRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)

# Background work (spreadsheet imports) runs on Django's own task framework, outside the
# request. The default backend keeps the queue in the site's database (django-tasks-db), so no
# other server is needed; workers are `manage.py worker` processes (README, Deploy). A worker
# proves it is alive every WORKER_HEARTBEAT_SECONDS; a task whose worker has been silent for
# WORKER_LOST_SECONDS is put back on the queue and run again by another (commitments/worker.py).
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "imports", "mail"],
    }
}
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 5)
WORKER_LOST_SECONDS = env_int("WORKER_LOST_SECONDS", 60)

# Following by e-mail (commitments/following/). A confirmation link lasts FOLLOW_CONFIRM_DAYS;
# an address never confirmed is deleted after as long. Publications within
# FOLLOW_BATCH_SECONDS of each other reach an "at once" subscriber in one e-mail. Sending is
# tried FOLLOW_MAX_ATTEMPTS times, FOLLOW_RETRY_SECONDS apart (doubling), then given up.
FOLLOW_CONFIRM_DAYS = env_int("FOLLOW_CONFIRM_DAYS", 3)
FOLLOW_BATCH_SECONDS = env_int("FOLLOW_BATCH_SECONDS", 60)
FOLLOW_SEND_BATCH = env_int("FOLLOW_SEND_BATCH", 500)
FOLLOW_MAX_ATTEMPTS = env_int("FOLLOW_MAX_ATTEMPTS", 5)
FOLLOW_RETRY_SECONDS = env_int("FOLLOW_RETRY_SECONDS", 60)
THROTTLE_RATE_FOLLOW_ADDRESS = env_rate("THROTTLE_RATE_FOLLOW_ADDRESS", "3/h")
# And per day: without it a stranger mailed anyone 3 confirmations an hour, 72 a day.
THROTTLE_RATE_FOLLOW_ADDRESS_DAY = env_rate("THROTTLE_RATE_FOLLOW_ADDRESS_DAY", "6/d")
THROTTLE_RATE_FOLLOW_CLIENT = env_rate("THROTTLE_RATE_FOLLOW_CLIENT", "20/h")

# Spreadsheet imports (commitments/imports/): files larger or longer than this are refused.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000)
# A finished import's file and preview rows are kept this long, then deleted
# (`manage.py prune_imports`); the updates it created keep their history line.
IMPORT_KEEP_DAYS = env_int("IMPORT_KEEP_DAYS", 30)

# The open-data API: read-only, anonymous, JSON only, published data only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Commitment tracker API",
    "DESCRIPTION": "Read-only open data: public commitments, their published status updates "
    "and sources. Drafts and updates under review are never included.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "commitments.api.document_errors",
    ],
}

# How numbers are written unless a visitor chooses otherwise: "indian" (5 lakh, ₹5.96 lakh
# crore) or "international" (500,000; ₹5.96 trillion).
NUMBER_SYSTEM = env_str("NUMBER_SYSTEM", "indian")
if NUMBER_SYSTEM not in ("indian", "international"):
    raise ImproperlyConfigured("NUMBER_SYSTEM must be 'indian' or 'international'.")

# Pace: within this share of the expected gain counts as on pace; before this many days after
# the announcement it is too early to tell.
PACE_TOLERANCE = Decimal(env_str("PACE_TOLERANCE", "0.10"))
PACE_TOO_EARLY_DAYS = env_int("PACE_TOO_EARLY_DAYS", 30)

# A commitment with no published update for this many days is listed as stale.
STALE_AFTER_DAYS = env_int("STALE_AFTER_DAYS", 180)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
