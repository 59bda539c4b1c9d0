"""Settings for Missend Desk, read from the environment with safe embedded defaults."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from incidents.conf import read_environment

BASE_DIR = Path(__file__).resolve().parent.parent
# Every MISSEND_* setting, from its environment variable or its default as incidents/conf/ declares it (each
# with its type and meaning there); a variable that cannot be read as its type stops start-up, naming it.
_missend = read_environment(os.environ)
globals().update(_missend)
VAR_DIR = Path(_missend["MISSEND_VAR_DIR"])
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from env, else one generated once per installation and kept under var/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    key = key_file.read_text().strip()
    if len(key) < 40:
        raise ImproperlyConfigured(f"{key_file} holds a secret key that is too short.")
    return key


DEBUG = env_bool("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "incidents",
    "auditlog",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "incidents.web.middleware.AuditMiddleware",  # the actor and address of audit entries (see incidents/audit/services.py)
    "incidents.web.middleware.UserTimeZoneMiddleware",
    "incidents.web.middleware.UserLanguageMiddleware",  # a signed-in user's own language beats LocaleMiddleware's guess
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "incidents.web.middleware.RefusalMiddleware",  # StateConflict -> 409 (see incidents/errors.py)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a lockout into the 429 page
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

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
                "incidents.web.context_processors.navigation",
            ],
        },
    },
]

_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'missend.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _SQLITE_DEFAULT), conn_max_age=60)}
# Persistent connections (kept 60 s, checked before reuse): opening one costs more than most pages'
# queries. That holds for SQLite too, which opened a file and set its pragmas on every request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the Celery worker share the file: WAL and immediate transactions
    # keep them from tripping over "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No parallel workers: every query the app makes reads a page of rows or a capped count, and
    # starting workers cost more than they saved (a searched list's rows: 60 ms with two, 5 ms
    # without). MISSEND_PG_PARALLEL_WORKERS gives them back for a reporting database.
    _parallel = _missend["MISSEND_PG_PARALLEL_WORKERS"]
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = (
        DATABASES["default"]["OPTIONS"].get("options", "") + f" -c max_parallel_workers_per_gather={_parallel}"
    ).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out (username, address) before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "incidents:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
# The language of pages for a browser that asks for none we have, and of emails to people who chose none.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en").strip().lower()
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}.")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
# Dates and times as each language writes them (Django's locale formats), and English the site's way (ISO).
FORMAT_MODULE_PATH = ["project.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request without it
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Sent messages kept as evidence: outside static and media, served only by the checked view.
    "evidence": {
        "BACKEND": "incidents.models.evidence.EvidenceStorage",
        "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    },
    "staticfiles": {
        "BACKEND": os.environ.get("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads and request bodies: a report carries at most a 1,000,000-character body.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # a 1,000,000-character Chinese body as JSON \u escapes
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "incidents.web.pagination.IncidentPagination",
    "PAGE_SIZE": 50,
}
# Throttles per signed-in user (token or session alike) and, for anonymous calls, per address.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "incidents.web.security.UserThrottle",
    "incidents.web.security.AnonThrottle",
]
SPECTACULAR_SETTINGS = {
    "TITLE": "Missend Desk API",
    "DESCRIPTION": "Report mis-sent emails and read their assessment.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",  # the default
        "incidents.web.schema.document_body_refusals",  # 413 and 415 on every operation that takes a body
    ],
}

# Security: production-safe unless DEBUG is asked for.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_SAMESITE = "Lax"
# Every signed-in request reads its session. With Redis (REDIS_URL, as in production) sessions are
# cached there in front of the database: one Redis read instead of a query, and a sign-out reaches
# every worker at once. Without a shared cache they stay in the database (a primary-key read): a
# per-process memory cache would let a session signed out in one gunicorn worker live on in another,
# and signed-cookie sessions cannot be revoked at all.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": _missend["MISSEND_CACHE_PREFIX"],
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("HTTPS", not DEBUG and bool(os.environ.get("SECRET_KEY"))):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Behind TLS proxies the client's address is in X-Forwarded-For: MISSEND_PROXY_COUNT of them append to it.
REST_FRAMEWORK["NUM_PROXIES"] = _missend["MISSEND_PROXY_COUNT"] or None

# Password guessing (django-axes): five wrong passwords for one username from one address lock that pair
# out for MISSEND_LOGIN_LOCKOUT_MINUTES after the last attempt; the login page, the admin's and the
# relay's SMTP AUTH count alike. Attempts are kept in the database; an admin unlocks under Axes.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=_missend["MISSEND_LOGIN_LOCKOUT_MINUTES"])
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "incidents.web.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "incidents.platform.requests.client_address"

# Content-Security-Policy (django-csp): nothing inline runs. The dashboard's one <style> is allowed by its
# hash (incidents.web.security.allow_style_blocks). Style attributes (a few column widths, pygal's SVG) are
# allowed by style-src-attr: an attribute can neither run script nor load what img-src would refuse.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Email: SMTP when EMAIL_HOST is set, otherwise files under var/mail so a new user can read them.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 20))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Missend Desk <missend-desk@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Celery: Redis when REDIS_URL or CELERY_BROKER_URL is set, else kombu's filesystem transport
# under var/ so `make run` needs no server.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TIME_LIMIT = 300
# Tasks are idempotent (claims), so a task cut off by a lost broker connection is simply run again.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# django-axes: its failures and lockouts (WARNING), not its banner on every command and per-attempt chatter.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}

# The sweeper moves due escalations on and re-drives notifications whose task was lost.
_sweep, _refresh = _missend["MISSEND_SWEEP_SECONDS"], _missend["MISSEND_DASHBOARD_REFRESH_SECONDS"]
CELERY_BEAT_SCHEDULE = {
    "sweep-escalations": {
        "task": "incidents.sweep_escalations",
        "schedule": _sweep,
        # A backlog of sweeps (worker down) is worthless: one fresh sweep does all their work.
        "options": {"expires": max(_sweep * 2, 5)},
    },
    # The dashboard's rollups: the days touched since the last run (incidents/insight/dashboard/services.py).
    "refresh-dashboard": {
        "task": "incidents.refresh_dashboard",
        "schedule": _refresh,
        "options": {"expires": _refresh},
    },
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}

# The hold-and-check relay's sweep (`manage.py hold_relay`): due held messages get their release task.
_relay_sweep = _missend["MISSEND_RELAY_SWEEP_SECONDS"]
if _missend["MISSEND_RELAY_UPSTREAM"]:  # no relay, nothing held: `make run` is not swept twice a second for nothing
    CELERY_BEAT_SCHEDULE["sweep-held-messages"] = {
        "task": "incidents.sweep_held_messages",
        "schedule": _relay_sweep,
        "options": {"expires": max(_relay_sweep * 2, 2)},
    }
# A body over DATA_UPLOAD_MAX_MEMORY_SIZE answers a JSON 413 saying so, not Django's bare 400 page.
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "incidents.web.api.exception_handler"
