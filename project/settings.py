"""Settings for Missend Desk, read from the environment with safe embedded defaults."""

import os
import secrets
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MISSEND_VAR_DIR", BASE_DIR / "var"))
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
    "incidents.web.middleware.AuditMiddleware",  # the actor and address of audit entries (see incidents/audit.py)
    "incidents.web.middleware.UserTimeZoneMiddleware",
    "incidents.web.middleware.UserLanguageMiddleware",  # a signed-in user's own language beats LocaleMiddleware's guess
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
    _parallel = int(os.environ.get("MISSEND_PG_PARALLEL_WORKERS", "0"))
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
MISSEND_API_USER_RATE = os.environ.get("MISSEND_API_USER_RATE", "600/min")
MISSEND_API_ANON_RATE = os.environ.get("MISSEND_API_ANON_RATE", "60/min")
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
            "KEY_PREFIX": os.environ.get("MISSEND_CACHE_PREFIX", "missend"),
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

# Behind a TLS proxy the client's address is in X-Forwarded-For: this many proxies in front (0: REMOTE_ADDR).
MISSEND_PROXY_COUNT = int(os.environ.get("MISSEND_PROXY_COUNT", 0))
REST_FRAMEWORK["NUM_PROXIES"] = MISSEND_PROXY_COUNT or None

# Password guessing (django-axes): five wrong passwords for one username from one address lock that pair
# out for MISSEND_LOGIN_LOCKOUT_MINUTES after the last attempt; the login page, the admin's and the
# relay's SMTP AUTH count alike. Attempts are kept in the database; an admin unlocks under Axes.
MISSEND_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("MISSEND_LOGIN_LOCKOUT_MINUTES", 15))
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=MISSEND_LOGIN_LOCKOUT_MINUTES)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "incidents.web.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "incidents.web.security.client_address"

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

# Assessment thresholds and signal words: a company tunes these to its own trade.
MISSEND_LOW_QUOTE_HIGH_GAP = Decimal(os.environ.get("MISSEND_LOW_QUOTE_HIGH_GAP", "0.10"))
MISSEND_BREACH_NOTIFICATION_HOURS = int(os.environ.get("MISSEND_BREACH_NOTIFICATION_HOURS", 72))
# Latin words match as words ("price" not in "priceless"), Chinese ones anywhere in the text; each
# list is Simplified then Traditional. Words left out on purpose are named with the reason, since
# a word that flags every email teaches people to ignore the assessment.
MISSEND_PRICING_WORDS = [
    "price",
    "prices",
    "pricing",
    "quotation",
    "quotations",
    "quote",
    "quotes",
    "quoted",
    "unit price",
    "proforma",
    "pro forma",
    "ex works",
    "free on board",
    # Incoterms, as words ("FOB Shanghai"). Left out: FCA (also the UK Financial Conduct Authority) and
    # FAS (also accounting standards), both met in mail that has nothing to do with a price.
    "FOB",
    "CIF",
    "CFR",
    "C&F",
    "EXW",
    "DDP",
    "DAP",
    "DPU",
    "CPT",
    "CIP",
    "报价",
    "報價",
    "报盘",
    "報盤",
    "单价",
    "單價",
    "总价",
    "總價",
    "价格",
    "價格",
    "价目表",
    "價目表",
    "含税",
    "含稅",
    "未税",
    "未稅",
    "出厂价",
    "出廠價",
    "离岸价",
    "離岸價",
    "到岸价",
    "到岸價",
    "优惠价",
    "優惠價",
    "形式发票",
    "形式發票",
    # Currency names (美金, 美元, 人民币 ...) are MISSEND_CURRENCY_MARKERS, not words: "9.5美金" is a
    # price, but "请以人民币付款" (please pay in RMB) names none, as "pay in RMB" does not.
]
# An amount next to one of these ("USD 9.50", "9.5美金", "3万元", "¥300") is a price.
MISSEND_CURRENCY_MARKERS = [
    "USD",
    "EUR",
    "GBP",
    "CNY",
    "RMB",
    "JPY",
    "HKD",
    "US$",
    "HK$",
    "$",
    "€",
    "£",
    "¥",
    "￥",
    "元",
    "人民币",
    "人民幣",
    "美元",
    "美金",
    "欧元",
    "歐元",
    "港币",
    "港幣",
    "港元",
    "日元",
    "日圓",
    "英镑",
    "英鎊",
    # Left out: 块/塊 (colloquial yuan), since "3块钢板" is three steel plates.
]
MISSEND_INTERNAL_WORDS = [
    "cost price",
    "our cost",
    "margin",
    "profit",
    "floor price",
    "bottom price",
    "internal only",
    "do not forward",
    "confidential",
    "kickback",
    "底价",
    "底價",
    "成本",
    "利润",
    "利潤",
    "毛利",
    "佣金",
    "提成",
    "返点",
    "返點",
    "回扣",
    "内部",
    "內部",
    "仅供内部",
    "僅供內部",
    "机密",
    "機密",
    "绝密",
    "絕密",
    "请勿外传",
    "請勿外傳",
    "不得外传",
    "不得外傳",
    "请勿转发",
    "請勿轉發",
    # Left out: 保密 (保密协议 is an ordinary NDA, and "we keep your data 保密" is said to clients),
    # 最低价 (the sales pitch "我们给您最低价"), and 采购价/进价 (a buyer writes them to suppliers).
]
# The pre-send check warns when a draft mentions an attachment with none attached.
MISSEND_ATTACHMENT_WORDS = [
    "attached",
    "attachment",
    "attachments",
    "enclosed",
    "please find",
    "see the file",
    "附件",
    "附上",
    "随附",
    "隨附",
    "见附",
    "見附",
    "附档",
    "附檔",
]
# Personal data beyond what the number rules find (Chinese ID, mobile and bank card numbers).
MISSEND_PERSONAL_DATA_WORDS = [
    "passport number",
    "passport no",
    "passport copy",
    "passport scan",
    "id card number",
    "id card copy",
    "identity card number",
    "national id number",
    "social security number",
    "ssn",
    "date of birth",
    "payroll",
    "payslip",
    "pay slip",
    "salary slip",
    "bank card number",
    "medical record",
    "home address",
    "身份证号",
    "身份證號",
    "身份证复印件",
    "身份證複印件",
    "身份證影本",
    "身份证扫描件",
    "身份證掃描檔",
    "身份证正反面",
    "身份證正反面",
    "护照号",
    "護照號",
    "护照复印件",
    "護照複印件",
    "護照影本",
    "护照扫描件",
    "護照掃描檔",
    "手机号",
    "手機號",
    "银行卡号",
    "銀行卡號",
    "工资卡",
    "工資卡",
    "工资单",
    "工資單",
    "工资条",
    "工資條",
    "工资表",
    "工資表",
    "薪资单",
    "薪資單",
    "社保号",
    "社保號",
    "社会保障号",
    "社會保障號",
    "驾驶证号",
    "駕駛證號",
    "出生日期",
    "家庭住址",
    "病历",
    "病歷",
    "体检报告",
    "體檢報告",
    # Left out: 银行账号/銀行帳號 and "bank account", which are the company's own payment details on
    # every proforma invoice (a personal card number is found by the card-number rule); bare
    # 身份证/护照 and "id card" ("bring your passport to the fair") and "id number" (order and
    # tracking IDs) name nobody's data.
]
MISSEND_MAX_ADDRESSES_PER_FIELD = 500

# Uploaded or forwarded messages: anything beyond these is refused before or while parsing.
MISSEND_MESSAGE_MAX_BYTES = int(os.environ.get("MISSEND_MESSAGE_MAX_BYTES", 25 * 1024 * 1024))
MISSEND_MESSAGE_MAX_DEPTH = int(os.environ.get("MISSEND_MESSAGE_MAX_DEPTH", 20))
MISSEND_MESSAGE_MAX_PARTS = int(os.environ.get("MISSEND_MESSAGE_MAX_PARTS", 1000))
MISSEND_MESSAGE_MAX_HEADERS = int(os.environ.get("MISSEND_MESSAGE_MAX_HEADERS", 1000))
# Sent messages kept as evidence (only when the user asks): a folder only this app reads.
MISSEND_EVIDENCE_ROOT = os.environ.get("MISSEND_EVIDENCE_ROOT", str(VAR_DIR / "evidence"))
# A message kept as evidence on the report page before filing waits this long for its report.
MISSEND_HELD_EVIDENCE_HOURS = float(os.environ.get("MISSEND_HELD_EVIDENCE_HOURS", 24))
MISSEND_MESSAGE_MAX_ADDRESSES = int(os.environ.get("MISSEND_MESSAGE_MAX_ADDRESSES", 500))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# django-axes: its failures and lockouts (WARNING), not its banner on every command and per-attempt chatter.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}

# Escalation: the sweeper moves due escalations on and re-drives notifications whose task was lost.
MISSEND_SWEEP_SECONDS = float(os.environ.get("MISSEND_SWEEP_SECONDS", 15))
MISSEND_REDRIVE_SECONDS = float(os.environ.get("MISSEND_REDRIVE_SECONDS", 20))
MISSEND_SENDING_STALE_SECONDS = float(os.environ.get("MISSEND_SENDING_STALE_SECONDS", 120))
MISSEND_NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("MISSEND_NOTIFICATION_MAX_ATTEMPTS", 5))
MISSEND_RETRY_BASE_SECONDS = float(os.environ.get("MISSEND_RETRY_BASE_SECONDS", 10))
MISSEND_ACK_LINK_MAX_AGE_HOURS = int(os.environ.get("MISSEND_ACK_LINK_MAX_AGE_HOURS", 72))
MISSEND_WEBHOOK_TIMEOUT = float(os.environ.get("MISSEND_WEBHOOK_TIMEOUT", 5))
MISSEND_DASHBOARD_REFRESH_SECONDS = float(os.environ.get("MISSEND_DASHBOARD_REFRESH_SECONDS", 300))
# Fault injection, for the integration tests only (incidents/faults.py lists the points).
MISSEND_FAULTS = env_list("MISSEND_FAULTS", "")
CELERY_BEAT_SCHEDULE = {
    "sweep-escalations": {
        "task": "incidents.sweep_escalations",
        "schedule": MISSEND_SWEEP_SECONDS,
        # A backlog of sweeps (worker down) is worthless: one fresh sweep does all their work.
        "options": {"expires": max(MISSEND_SWEEP_SECONDS * 2, 5)},
    },
    # The dashboard's rollups: the days touched since the last run (incidents/dashboard/store.py).
    "refresh-dashboard": {
        "task": "incidents.refresh_dashboard",
        "schedule": MISSEND_DASHBOARD_REFRESH_SECONDS,
        "options": {"expires": MISSEND_DASHBOARD_REFRESH_SECONDS},
    },
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}

# Drafts can be sent from the app only where an SMTP server is configured (and the user confirms).
MISSEND_DRAFT_SENDING = env_bool("MISSEND_DRAFT_SENDING", bool(os.environ.get("EMAIL_HOST")))

# Forward to the desk: `manage.py receive_mail` takes forwarded mis-sent messages over SMTP or LMTP.
# Only these recipients are accepted; a company mail server routes the desk address here.
MISSEND_MAILIN_ADDRESSES = [a.lower() for a in env_list("MISSEND_MAILIN_ADDRESSES", "desk@localhost")]
# The forward carries the original message, base64-encoded when it is a .msg file: room above the parser's limit.
MISSEND_MAILIN_MAX_BYTES = int(os.environ.get("MISSEND_MAILIN_MAX_BYTES", 35 * 1024 * 1024))
# Behind a mail server that authenticates senders: trust only its Authentication-Results header
# (its authserv-id), which must say one of these methods passed for the sender's domain.
MISSEND_MAILIN_REQUIRE_AUTH = env_bool("MISSEND_MAILIN_REQUIRE_AUTH")
MISSEND_MAILIN_AUTHSERV_ID = os.environ.get("MISSEND_MAILIN_AUTHSERV_ID", "").strip()
MISSEND_MAILIN_AUTH_METHODS = [m.lower() for m in env_list("MISSEND_MAILIN_AUTH_METHODS", "dmarc,spf")]
# The name the receiver greets with (a DNS lookup for the machine's own name can hang without a network).
MISSEND_MAILIN_HOSTNAME = os.environ.get("MISSEND_MAILIN_HOSTNAME", "localhost")

# The hold-and-check relay (`manage.py hold_relay`): outgoing mail is checked, held, then passed upstream.
# How long a message is held: the user's own setting, else their team's, else this.
MISSEND_HOLD_SECONDS = int(os.environ.get("MISSEND_HOLD_SECONDS", 180))
# Who may relay without SMTP AUTH (CIDR list); anyone else must sign in. Never an open relay.
MISSEND_RELAY_NETWORKS = env_list("MISSEND_RELAY_NETWORKS", "127.0.0.1/32,::1/128")
MISSEND_RELAY_MAX_BYTES = int(os.environ.get("MISSEND_RELAY_MAX_BYTES", 25 * 1024 * 1024))
MISSEND_RELAY_MAX_RECIPIENTS = int(os.environ.get("MISSEND_RELAY_MAX_RECIPIENTS", 100))
# STARTTLS for clients (and so SMTP AUTH from outside the loopback interface): a certificate and its key.
MISSEND_RELAY_TLS_CERT = os.environ.get("MISSEND_RELAY_TLS_CERT", "")
MISSEND_RELAY_TLS_KEY = os.environ.get("MISSEND_RELAY_TLS_KEY", "")
MISSEND_RELAY_HOSTNAME = os.environ.get("MISSEND_RELAY_HOSTNAME", "localhost")
# The real outgoing server, host:port; MISSEND_RELAY_UPSTREAM_TLS is "", "starttls" or "ssl".
MISSEND_RELAY_UPSTREAM = os.environ.get("MISSEND_RELAY_UPSTREAM", "")
MISSEND_RELAY_UPSTREAM_TLS = os.environ.get("MISSEND_RELAY_UPSTREAM_TLS", "").strip().lower()
MISSEND_RELAY_UPSTREAM_USER = os.environ.get("MISSEND_RELAY_UPSTREAM_USER", "")
MISSEND_RELAY_UPSTREAM_PASSWORD = os.environ.get("MISSEND_RELAY_UPSTREAM_PASSWORD", "")
MISSEND_RELAY_UPSTREAM_TIMEOUT = float(os.environ.get("MISSEND_RELAY_UPSTREAM_TIMEOUT", 30))
# The sweeper looks for due messages this often: the most a release can lag behind its time.
MISSEND_RELAY_SWEEP_SECONDS = float(os.environ.get("MISSEND_RELAY_SWEEP_SECONDS", 0.5))
# A release task not started this long after it was enqueued is enqueued again.
MISSEND_RELAY_REDRIVE_SECONDS = float(os.environ.get("MISSEND_RELAY_REDRIVE_SECONDS", 20))
# A claim older than this means its worker died: above the task time limit plus the upstream timeout.
MISSEND_RELAY_LEASE_SECONDS = float(os.environ.get("MISSEND_RELAY_LEASE_SECONDS", 360))
MISSEND_RELAY_MAX_ATTEMPTS = int(os.environ.get("MISSEND_RELAY_MAX_ATTEMPTS", 8))
MISSEND_RELAY_RETRY_BASE_SECONDS = float(os.environ.get("MISSEND_RELAY_RETRY_BASE_SECONDS", 30))
# Cancelled and failed messages keep their bytes this long (a report can be started from them), then lose them.
MISSEND_RELAY_KEEP_DAYS = float(os.environ.get("MISSEND_RELAY_KEEP_DAYS", 30))
if MISSEND_RELAY_UPSTREAM:  # no relay, nothing held: `make run` is not swept twice a second for nothing
    CELERY_BEAT_SCHEDULE["sweep-held-messages"] = {
        "task": "incidents.sweep_held_messages",
        "schedule": MISSEND_RELAY_SWEEP_SECONDS,
        "options": {"expires": max(MISSEND_RELAY_SWEEP_SECONDS * 2, 2)},
    }
# How long an Idempotency-Key (API) or the report form's token returns the incident it filed.
MISSEND_FILING_KEY_HOURS = float(os.environ.get("MISSEND_FILING_KEY_HOURS", 24))
# A body over DATA_UPLOAD_MAX_MEMORY_SIZE answers a JSON 413 saying so, not Django's bare 400 page.
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "incidents.web.json_limits.exception_handler"
