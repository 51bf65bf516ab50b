"""Settings for Leadership Talent Tracker.

One module, driven by environment variables (see .env.example). With nothing set it runs
the embedded demo: SQLite under var/, tasks in-process, emails printed to the console.
"""

import os
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_str(name: str, default: str = "") -> str:
    """The variable's value; an empty one counts as unset, as in .env files with blank entries."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_date(name: str, default: str) -> date:
    value = env_str(name, default)
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a date as YYYY-MM-DD, not {value!r}.") from error


# --- Core -----------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    # Expiring API tokens, stored hashed (accounts/api.py issues them; accounts.ApiTokenSession ties one to the
    # web session it was made in).
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "crispy_forms",
    "axes",
    # TOTP second factor for staff (accounts/mfa.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "accounts",
    "regulators",
    "talent",
    "pipeline",
    # Register counts uploaded by content editors, compared with the pipeline on the HEE dashboard.
    "population",
    # Long lists made into files by a worker and offered for download (the drill-down's export).
    "exports",
    "pathways",
    # Only for its `seed_demo` command; no product module imports it.
    "demo",
]

MIDDLEWARE = [
    # Outermost, so every response carries the Content-Security-Policy, health probes and static files included.
    "csp.middleware.CSPMiddleware",
    # First after it: probes from the load balancer or orchestrator use internal addresses and plain HTTP.
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor verified this session (request.user.is_verified()), read from the session.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user and messages are known, so its 400 and 413 pages render as any other page.
    "config.hostile_input.HostileInputMiddleware",
    # Staff (and clinicians who turned it on) reach nothing but the second-factor pages and sign-out until verified.
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: ends a session left unused too long, and marks personal answers as not to be stored.
    "accounts.sessions.IdleTimeoutMiddleware",
    "config.headers.NoStoreMiddleware",
    # Last, as django-axes requires: turns a lock-out into the cool-off page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "accounts.context_processors.navigation",
            ],
            # `{% load pagination %}`: the page numbers of NHS.UK pagination (templates/includes/pagination.html).
            "libraries": {"pagination": "config.pagination"},
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: the service's queries are short or read roll-ups, and PostgreSQL's cost estimate for a count over
        # the national profile table made it spend longer compiling than running the query. (Behind
        # pgBouncer, which drops startup options, set it on the role instead: ALTER ROLE ... SET jit = off.)
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        # Parameters sent apart from the SQL, so psycopg prepares a statement the sixth time a connection runs it and
        # PostgreSQL stops planning it afresh: a page of a national list joins five tables, and planning that took
        # longer than running it. Turn off behind a pooler in transaction mode that cannot keep prepared statements.
        if env_bool("DATABASE_PREPARED_STATEMENTS", True):
            options["server_side_binding"] = True
            options["prepare_threshold"] = 5
else:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A PostgreSQL read replica of DATABASE_URL for the talent-pipeline pages, their API and exports (config/db.py:
# `reading_from_replica()`); everything else, and every write, stays on the primary. Unset: one database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
DATABASE_REPLICA_ALIAS = None
DATABASE_ROUTERS = []
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL is set but DATABASE_URL is not a PostgreSQL database: the replica must be a copy "
            "of the PostgreSQL database in DATABASE_URL."
        )
    try:
        replica = dj_database_url.parse(
            DATABASE_REPLICA_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URL is not a database URL ({error}); expected postgres://user:password@host:5432/name."
        ) from error
    if replica.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must be a postgres:// URL of a read replica of DATABASE_URL, "
            f"not a {DATABASE_REPLICA_URL.split(':', 1)[0]}: URL."
        )
    # Connected as the primary is (no JIT, prepared statements), and given up on quickly when it does not answer:
    # the pages then read from the primary.
    primary_options = DATABASES["default"]["OPTIONS"]
    replica["OPTIONS"] = {
        **{
            name: primary_options[name]
            for name in ("options", "server_side_binding", "prepare_threshold")
            if name in primary_options
        },
        "connect_timeout": 3,
        **replica.get("OPTIONS", {}),
    }
    # A test run reads the primary's test database through it, unless a test sets up a stand-in (tests/conftest.py).
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = replica
    DATABASE_REPLICA_ALIAS = "replica"
    DATABASE_ROUTERS = ["config.db.ReplicaRouter"]
# Further behind than this (or unreachable), the replica is not read: pages read from the primary and the log says why.
_max_lag = env_str("DATABASE_REPLICA_MAX_LAG_SECONDS", "300")
if not _max_lag.isdigit() or int(_max_lag) == 0:
    raise ImproperlyConfigured(
        f"DATABASE_REPLICA_MAX_LAG_SECONDS must be a whole number of seconds above 0, not {_max_lag!r}."
    )
DATABASE_REPLICA_MAX_LAG_SECONDS = int(_max_lag)

# --- Accounts and sign-in -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's rules, with messages in the NHS.UK style (accounts.passwords).
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {
        "NAME": "accounts.passwords.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    # The 100,000 passwords most seen in breaches (NCSC's list), also with a symbol or digits added at the end.
    {"NAME": "accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:show_home"
LOGOUT_REDIRECT_URL = "accounts:show_home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
# How long a sign-up confirmation link stays valid, and how long unconfirmed sign-ups are kept.
SIGNUP_CONFIRMATION_MAX_AGE = timedelta(hours=env_int("SIGNUP_CONFIRMATION_HOURS", 48))
SIGNUP_UNCONFIRMED_RETENTION = timedelta(days=env_int("SIGNUP_UNCONFIRMED_RETENTION_DAYS", 14))

# django-axes: 5 failures for one account, then a 15-minute cool-off; never a permanent lock.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# The pause ends 15 minutes after it began, as the lock-out page says, however often someone retries meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
# Count failures per account under the address as accounts are stored (accounts/emails.py), however it was typed.
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_request"
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_address"
# JSON for the API, the NHS.UK page for people.
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out_response"
AXES_VERBOSE = False
# Lock per account, not per IP address: NHS organisations share a few egress addresses, and a per-IP lock
# would shut out a whole trust for 15 minutes (docs/adr/0002-sign-in-lockout.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Proxies in front of the app (load balancer, ingress): the client's address is that many entries from the end of
# X-Forwarded-For (accounts/client.py). Throttles, the lock-out's record and the security audit use it.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
# Throttles on sign-in (failures only), sign-up, a new confirmation link and password reset (accounts/throttle.py),
# as django-ratelimit rates ("10/h", "100/15m"): per email address, and per client address.
THROTTLE_PER_ADDRESS_RATE = env_str("THROTTLE_PER_ADDRESS_RATE", "10/h")
THROTTLE_PER_CLIENT_RATE = env_str("THROTTLE_PER_CLIENT_RATE", "100/h")
# Sign-ins, failures, lock-outs, password, second-factor and token events are kept this long (a daily job purges).
SECURITY_AUDIT_DAYS = env_int("SECURITY_AUDIT_DAYS", 400)
# The second factor (accounts/mfa.py): staff roles and superusers always, clinicians who turn it on. A verified
# device may be remembered by a signed cookie for at most 30 days; a password change or a reset forgets it.
OTP_TOTP_ISSUER = "Leadership Talent Tracker"
MFA_REMEMBER_DEVICE_DAYS = env_int("MFA_REMEMBER_DEVICE_DAYS", 30)
if not 0 <= MFA_REMEMBER_DEVICE_DAYS <= 30:
    raise ImproperlyConfigured("MFA_REMEMBER_DEVICE_DAYS must be between 0 (never remember) and 30.")
# The demo staff accounts share this TOTP secret (base32) so any authenticator app opens them (seed_demo).
DEMO_TOTP_SECRET = env_str("DEMO_TOTP_SECRET", "LTTDEMOSTAFFSECRETFORTOTPDEMO234")

SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A session unused for longer than this is ended (accounts/middleware.py): staff see identifiable records of many
# people, so theirs ends sooner than a clinician's, who sees only their own.
SESSION_IDLE_MINUTES_STAFF = env_int("SESSION_IDLE_MINUTES_STAFF", 30)
SESSION_IDLE_MINUTES_CLINICIAN = env_int("SESSION_IDLE_MINUTES_CLINICIAN", 120)

# API tokens (django-rest-knox): a new one for each request, hashed at rest, ending after these hours (staff sooner).
API_TOKEN_HOURS = env_int("API_TOKEN_HOURS", 12)
API_TOKEN_HOURS_STAFF = env_int("API_TOKEN_HOURS_STAFF", 8)
KNOX_TOKEN_MODEL = "knox.AuthToken"
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_HOURS),
    # Expiry is fixed at issue: a stolen token cannot be kept alive by using it.
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}

# --- Redis: every client (task broker, shared cache, /readyz) gives up on a silent server --------------------
# A Redis that hangs without closing its connections would otherwise hold each request, and each worker, for as
# long as the hang lasts. After a failure a process stops asking for REDIS_RETRY_SECONDS: one outage costs a
# request at most one timeout, not one per cache read or owed email.
REDIS_SOCKET_TIMEOUT = env_float("REDIS_SOCKET_TIMEOUT", 0.5)
REDIS_SOCKET_CONNECT_TIMEOUT = env_float("REDIS_SOCKET_CONNECT_TIMEOUT", 0.5)
REDIS_RETRY_SECONDS = env_float("REDIS_RETRY_SECONDS", 5)
REDIS_CLIENT_OPTIONS = {
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_SOCKET_CONNECT_TIMEOUT,
}

# --- Cache: shared between processes when CACHE_URL names a Redis server (throttling counts live here) -------
# Nothing needs it to answer: while Redis is unreachable it behaves as an empty cache (config/cache.py).
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": {"BACKEND": "config.cache.RedisCache", "LOCATION": CACHE_URL, "OPTIONS": REDIS_CLIENT_OPTIONS}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Sessions live in the database only: reading one there costs the same round trip as reading it from Redis, and a
# session must not depend on the cache (signed-in pages while Redis is down; a sign-out while it is down must not be
# undone by a copy it still holds when it comes back).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# static/build holds what `npm run build` copies and compiles from node_modules (git-ignored).
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files the service writes (exports): under MEDIA_ROOT, never served as static files (only through their views).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Export files (exports app), personal data: kept apart from anything else so that their place can be private.
# Local files under MEDIA_ROOT/exports by default (web and workers must share that directory); object storage
# (S3 or any S3-compatible store, through django-storages) when EXPORTS_S3_BUCKET is set, with credentials from
# the usual AWS_* environment variables or the machine's role.
EXPORTS_S3_BUCKET = env_str("EXPORTS_S3_BUCKET")
EXPORTS_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EXPORTS_S3_BUCKET,
            "location": env_str("EXPORTS_S3_PREFIX", "exports"),
            "endpoint_url": env_str("EXPORTS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("EXPORTS_S3_REGION") or None,
            "file_overwrite": False,
        },
    }
    if EXPORTS_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT / "exports"}}
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "exports": EXPORTS_STORAGE,
}
# How long a finished export can be downloaded; the beat job deletes the file after.
EXPORTS_KEEP_DAYS = env_int("EXPORTS_KEEP_DAYS", 7)
# The export task's own time limit (soft; the hard one is a minute later), and how many attempts (retries with a
# doubling delay) before an export is marked failed. The limit must stay below the broker's visibility timeout
# (two hours).
EXPORTS_TIME_LIMIT = env_int("EXPORTS_TIME_LIMIT", 60 * 30)
EXPORTS_MAX_ATTEMPTS = env_int("EXPORTS_MAX_ATTEMPTS", 3)
# The delay before the second attempt at a failed build (doubling after).
EXPORTS_RETRY_BASE_SECONDS = env_int("EXPORTS_RETRY_BASE_SECONDS", 60)

# --- Forms ------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_FAIL_SILENTLY = not DEBUG

# --- Email ------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "emails"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Leadership Talent Tracker <no-reply@leadership-talent.nhs.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
# No broker configured: run tasks in-process so the demo works alone.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With late acknowledgement, a lost broker connection must stop running tasks, or Redis re-delivers them while
# they still run and they run twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis re-delivers an unacknowledged task after this; it must outlast the longest task or countdown. A silent broker
# times out (REDIS_*), and making a connection to publish is tried once: a web request that owes emails publishes
# after commit and must not wait out kombu's retries (what is not published is sent by the outbox sweep).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60 * 2, "max_retries": 0, **REDIS_CLIENT_OPTIONS}
# Results are ignored and no result backend is configured; should a Redis one be, it gives up the same way.
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_SOCKET_CONNECT_TIMEOUT
CELERY_REDIS_RETRY_ON_TIMEOUT = False
# Housekeeping has a queue of its own, so the outbox sweep runs within a task's time even behind hundreds of queued
# deliveries. Workers consume every queue listed here unless started with -Q.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (
    Queue("celery", Exchange("celery"), routing_key="celery"),
    Queue("housekeeping", Exchange("housekeeping"), routing_key="housekeeping"),
)
CELERY_TASK_ROUTES = {
    name: {"queue": "housekeeping"}
    for name in (
        "accounts.tasks.sweep_outbox",
        "accounts.tasks.purge_unconfirmed_sign_ups",
        "accounts.tasks.purge_security_events",
        "accounts.tasks.purge_expired_api_tokens",
    )
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "purge-unconfirmed-sign-ups": {
        "task": "accounts.tasks.purge_unconfirmed_sign_ups",
        "schedule": 60 * 60 * 24,
    },
    "purge-security-events": {"task": "accounts.tasks.purge_security_events", "schedule": 60 * 60 * 24},
    # Expired API tokens open nothing (they are refused when presented); this deletes those never presented again.
    "purge-expired-api-tokens": {"task": "accounts.tasks.purge_expired_api_tokens", "schedule": 60 * 60 * 24},
    # Re-queues outbox rows left pending (broker outage, backoff over) or stuck sending (a worker died).
    "outbox-sweep": {"task": "accounts.tasks.sweep_outbox", "schedule": 60},
    # Each run decides which training bodies have a period due; running it again creates nothing twice.
    "nudges-dispatch": {"task": "talent.tasks.dispatch_nudges", "schedule": 60 * 60},
    "nomination-reminders": {"task": "talent.tasks.send_nomination_reminders", "schedule": 60 * 60 * 24},
    # 360 raters who have not answered, 7 and 2 days before closing; each reminder is owed once however often it runs.
    "feedback-reminders": {"task": "talent.tasks.send_feedback_reminders", "schedule": 60 * 60 * 6},
    # Development plans due for review; each due review is reminded once, so extra runs are harmless.
    "plan-review-reminders": {"task": "talent.tasks.send_plan_review_reminders", "schedule": 60 * 60 * 24},
    # Overdue follow-ups of nudges, once a week per body (the week is in each email's key, so daily runs are safe).
    "follow-up-reminders": {"task": "talent.tasks.send_follow_up_reminders", "schedule": 60 * 60 * 24},
    # Revalidation reminders at 90 and 30 days and when overdue; each is written once, so extra runs are harmless.
    "revalidation-reminders": {"task": "regulators.tasks.send_revalidation_reminders", "schedule": 60 * 60 * 24},
    # The weekly email about last week's guidance changes; a week already sent is skipped, so daily runs are harmless.
    "guidance-change-emails": {"task": "regulators.tasks.send_guidance_change_emails", "schedule": 60 * 60 * 24},
    # The talent-pipeline dashboard's roll-ups (pipeline.tasks, under the name it had in the talent app); its
    # figures are never shown more than 5 minutes old.
    "pipeline-rollups-refresh": {"task": "talent.tasks.refresh_pipeline_rollups", "schedule": 120},
    # Deletes expired export files (and those whose requester may no longer see them); queues again exports whose
    # task was lost.
    "exports-tidy": {"task": "exports.tasks.tidy_exports", "schedule": 60 * 5},
}
# Outbox delivery (accounts/outbox.py): attempts before a row is `failed`, the first retry delay (doubling each
# time), and how long a row may stay `sending` before the sweep assumes its worker died. That timeout must exceed
# the hard task time limit, or a slow but live delivery could be sent twice.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 30)
OUTBOX_SENDING_TIMEOUT = env_int("OUTBOX_SENDING_TIMEOUT", 60 * 10)

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ExpiringTokenAuthentication",
        # Session callers who must use a second factor count only once it is verified.
        "accounts.mfa.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "config.api.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "config.parsers.FormParser",
        "config.parsers.MultiPartParser",
    ],
    # Proxies in front of the app, so throttling counts the client's address, not the load balancer's.
    "NUM_PROXIES": PROXY_COUNT,
}
# Hostile input (config.hostile_input): a larger body is a 413 before it is read (nothing here takes file uploads);
# JSON nested deeper is a 400.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 1_048_576)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)
SPECTACULAR_SETTINGS = {
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our own static files, not a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "Leadership Talent Tracker API",
    "DESCRIPTION": "Identifying, tracking, supporting and developing clinical leadership talent in the NHS.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "PipelineStageEnum": "pipeline.api.STAGE_CHOICES",
        "TrendSeriesEnum": "pipeline.api.TREND_SERIES_CHOICES",
    },
}

# --- Domain -----------------------------------------------------------------------------------
EARLY_CAREER_YEARS = env_int("EARLY_CAREER_YEARS", 5)
# A development plan is due for review this many months after it was started or last reviewed.
PLAN_REVIEW_MONTHS = env_int("PLAN_REVIEW_MONTHS", 6)
# Days a training body has to act on each clinician a nudge names (talent.services.followups).
NUDGE_FOLLOW_UP_DAYS = env_int("NUDGE_FOLLOW_UP_DAYS", 30)
# Pipeline refreshes fold in only the clinicians who changed; one in this many hours rebuilds everything (0: always).
PIPELINE_FULL_REBUILD_HOURS = env_int("PIPELINE_FULL_REBUILD_HOURS", 24)
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "Demo-Password-1")
SERVICE_NAME = "Leadership Talent Tracker"

# --- The accessibility statement and the privacy notice ---------------------------------------------------------
# What they say about who runs this copy of the service and how to reach them differs from one deployment to another
# (templates/pages/, config/pages.py); the defaults describe the national service.
SERVICE_OWNER = env_str("SERVICE_OWNER", "NHS England")
SERVICE_CONTACT_EMAIL = env_str("SERVICE_CONTACT_EMAIL", "help@leadership-talent.nhs.test")
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", SERVICE_CONTACT_EMAIL)
# How far the service meets WCAG 2.2 AA, in the regulations' words: "fully", "partially" or "not".
ACCESSIBILITY_COMPLIANCE = env_str("ACCESSIBILITY_COMPLIANCE", "partially")
if ACCESSIBILITY_COMPLIANCE not in {"fully", "partially", "not"}:
    raise ImproperlyConfigured("ACCESSIBILITY_COMPLIANCE must be fully, partially or not.")
ACCESSIBILITY_STATEMENT_PREPARED = env_date("ACCESSIBILITY_STATEMENT_PREPARED", "2026-12-07")
ACCESSIBILITY_STATEMENT_REVIEWED = env_date("ACCESSIBILITY_STATEMENT_REVIEWED", "2026-12-07")
ACCESSIBILITY_LAST_TESTED = env_date("ACCESSIBILITY_LAST_TESTED", "2026-12-07")
ACCESSIBILITY_TESTED_BY = env_str(
    "ACCESSIBILITY_TESTED_BY",
    "the service team, with automated checks (axe-core) on every page and by hand with a keyboard and a screen reader",
)
PRIVACY_CONTROLLER = env_str("PRIVACY_CONTROLLER", SERVICE_OWNER)
PRIVACY_CONTROLLER_ADDRESS = env_str(
    "PRIVACY_CONTROLLER_ADDRESS", "Wellington House, 133-155 Waterloo Road, London SE1 8UG"
)
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "privacy@leadership-talent.nhs.test")
# The controller's entry in the Information Commissioner's register of fee payers, if it has one.
PRIVACY_ICO_REGISTRATION = env_str("PRIVACY_ICO_REGISTRATION")
# Models that content editors keep current in the admin site ("app_label.model").
CONTENT_EDITOR_MODELS = [
    "regulators.regulator",
    "regulators.licenceguidance",
    "regulators.licenceguidanceversion",
    "pathways.leadershiprole",
    "pathways.pathway",
    "pathways.pathwaystep",
    "pathways.opportunity",
]
# Of those, what editors may also delete (steps are part of managing a pathway; the rest is unpublished instead).
CONTENT_EDITOR_CAN_DELETE = ["pathways.pathwaystep"]

# --- Security (secure by default once DEBUG is off) -------------------------------------------
# Content-Security-Policy on every response (django-csp): scripts, styles and everything else only from this
# service's own files; no inline script or style anywhere (the API docs included), no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # NHS.UK frontend's and Swagger UI's stylesheets draw some icons as data: URLs.
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "config.error_views.csrf_failure"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    if env_bool("TRUST_X_FORWARDED_PROTO", False):
        # Only behind a proxy that sets this header itself.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging: everything to stdout, for the platform to collect -----------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
