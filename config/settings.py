"""Django settings, read from the environment with embedded defaults.

Embedded defaults (nothing set): SQLite in ``GPUBROKER_DATA_DIR`` (default: the user's data
directory, e.g. ``~/.local/share/gpubroker``),
in-process cache and channel layer, secrets generated into the data directory.
``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` to Redis for cache and channels.

Three modes, by ``DJANGO_DEBUG``:

* unset (embedded, the default): DEBUG off (no tracebacks, JSON errors), missing secrets
  generated into the data directory (0600), plain HTTP on loopback works;
* ``DJANGO_DEBUG=1`` (development): Django's debug mode, secrets generated as above;
* ``DJANGO_DEBUG=0`` (production): DEBUG off, every secret must come from the environment
  (startup refuses otherwise, see ``common.secrets``), HTTPS redirect, HSTS, secure cookies.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from common.secrets import data_dir, private_file_ensure, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

_DEBUG_ENV = os.environ.get("DJANGO_DEBUG", "").strip().lower()
DEBUG = _DEBUG_ENV in {"1", "true", "yes", "on"}  # only when asked for explicitly
# DJANGO_DEBUG=0 said explicitly: production, every secret from the environment.
GPUBROKER_PRODUCTION = _DEBUG_ENV in {"0", "false", "no", "off"}
SECRET_KEY = secret_key(generate=not GPUBROKER_PRODUCTION, data_dir=DATA_DIR)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
if not GPUBROKER_PRODUCTION:
    ALLOWED_HOSTS += ["[::1]"]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",  # at /admin/: staff with MFA only
    "django.contrib.messages",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "django_prometheus",
    "channels",
    "ninja",  # its static files: the API docs' assets
    "market",
    "accounts",
    "alerts",
    "realtime",
    "assistant",
    "web",  # the dashboard at /
    "kpi",
]

MIDDLEWARE = [
    "common.logs.RequestLogMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "common.middleware.ContentSecurityPolicyMiddleware",
    "common.middleware.JsonErrorsMiddleware",  # 4xx/5xx as JSON in every mode
    "django.middleware.security.SecurityMiddleware",
    "common.middleware.RequestLimitsMiddleware",  # query strings, body size, JSON shape
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files (API docs) under any server
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": [
            "django.template.context_processors.request",
            "django.contrib.auth.context_processors.auth",
            "django.contrib.messages.context_processors.messages",
            "web.context.navigation",
        ]},
    }
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        # No persistent connections: under ASGI each request runs in its own thread-sensitive
        # context (a new thread), so a kept connection is one per request until it ages out;
        # with conn_max_age=60, 50 clients on KPI overview filled PostgreSQL's 300 slots in
        # seconds ("too many clients"), as Django's docs warn for ASGI. Health checks: a
        # connection the server dropped (a restart) is replaced instead of failing a request.
        return dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(private_file_ensure(DATA_DIR / "gpubroker.sqlite3")),
        "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
    }


DATABASES = {"default": _database()}
if os.environ.get("GPUBROKER_TEST_DB_NAME") and os.environ.get("DATABASE_URL"):
    # lets concurrent test runs share one database server
    DATABASES["default"]["TEST"] = {"NAME": os.environ["GPUBROKER_TEST_DB_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # The key prefix keeps concurrent runs on one Redis apart (cache and channel layer alike);
    # each pytest-xdist worker of a test run gets its own (rate-limit windows are per address).
    _CACHE_PREFIX = (os.environ.get("GPUBROKER_CACHE_PREFIX", "")
                     + os.environ.get("PYTEST_XDIST_WORKER", ""))
    # One Redis client (connection pool) per process, not one per request (common.cache).
    CACHES = {"default": {"BACKEND": "common.cache.ProcessRedisCache",
                          "LOCATION": REDIS_URL, "KEY_PREFIX": _CACHE_PREFIX}}
    _LAYER_PREFIX = "asgi" + _CACHE_PREFIX
    # A consumer waits on Redis with BZPOPMIN for 5 s; redis-py 8 also times socket reads
    # out after 5 s by default, which kills idle consumers (django/channels_redis#422), so
    # reads get a longer timeout here (a dead Redis still shows within it).
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                  "CONFIG": {"hosts": [{"address": REDIS_URL,
                                                        "socket_timeout": 15}],
                                             "prefix": _LAYER_PREFIX}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step

# --- GPUBroker ---------------------------------------------------------------------------
# Where catalog CSVs come from: a local folder (SkyPilot layout, <cloud>/vms.csv) wins
# over the HTTPS base URL.
GPUBROKER_CATALOG_DIR = os.environ.get("GPUBROKER_CATALOG_DIR", "")
# KPI analytics: ClickHouse (http(s)://… or chdb:///folder) instead of the primary database.
CLICKHOUSE_URL = os.environ.get("CLICKHOUSE_URL", "")
CLICKHOUSE_MAX_THREADS = int(os.environ.get("CLICKHOUSE_MAX_THREADS", "2"))
# Retention of raw price observations before `gpubroker kpi_retention` rolls them up daily.
GPUBROKER_KPI_RAW_DAYS = int(os.environ.get("GPUBROKER_KPI_RAW_DAYS", "90"))
GPUBROKER_CATALOG_URL = os.environ.get(
    "GPUBROKER_CATALOG_URL",
    "https://raw.githubusercontent.com/skypilot-org/skypilot-catalog/master/catalogs/",
)
GPUBROKER_CATALOG_CLOUDS = [
    c for c in os.environ.get("GPUBROKER_CATALOG_CLOUDS", "").split(",") if c.strip()
]
# Request bodies (common.bodylimits): 1 MiB and small JSON everywhere; the TOPSIS/ensemble
# matrices may be larger (a 100,000 x 8 matrix is ~6.4 MB of JSON), for a Bearer token or
# within the per-address budget GPUBROKER_RL_LARGE_BODY_IP (MiB per window).
GPUBROKER_MAX_BODY_KB = int(os.environ.get("GPUBROKER_MAX_BODY_KB", "1024"))
GPUBROKER_MAX_LARGE_BODY_MB = int(os.environ.get("GPUBROKER_MAX_LARGE_BODY_MB", "8"))
GPUBROKER_LARGE_BODY_PATHS = ("/api/v2/math/topsis", "/api/v2/math/ensemble")
GPUBROKER_LARGE_BODY_ADMISSION = "accounts.services.bodybudget.large_body_admitted"
GPUBROKER_LARGE_BODY_CONCURRENCY = int(os.environ.get("GPUBROKER_LARGE_BODY_CONCURRENCY", "1"))
# GPUBROKER_MMAP_THRESHOLD_KB (glibc: blocks this large get their own mapping, given back
# when freed; common.memory) is read by config/asgi.py as the server starts.
GPUBROKER_JSON_MAX_DEPTH = int(os.environ.get("GPUBROKER_JSON_MAX_DEPTH", "32"))
GPUBROKER_JSON_MAX_ITEMS = int(os.environ.get("GPUBROKER_JSON_MAX_ITEMS", "20000"))
GPUBROKER_LARGE_JSON_MAX_ITEMS = int(os.environ.get("GPUBROKER_LARGE_JSON_MAX_ITEMS",
                                                    "2000000"))
# Django's own backstops, never reached first: the largest body and query it would read.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(GPUBROKER_MAX_BODY_KB * 1024,
                                  GPUBROKER_MAX_LARGE_BODY_MB * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# WebSockets (realtime.limits): one connection's frames, JSON, subscription size and pace, and
# connections per address (per process).
GPUBROKER_WS_MAX_FRAME_BYTES = int(os.environ.get("GPUBROKER_WS_MAX_FRAME_BYTES", "4096"))
GPUBROKER_WS_JSON_MAX_DEPTH = int(os.environ.get("GPUBROKER_WS_JSON_MAX_DEPTH", "8"))
GPUBROKER_WS_MAX_VALUES = int(os.environ.get("GPUBROKER_WS_MAX_VALUES", "64"))
GPUBROKER_WS_MAX_PER_ADDRESS = int(os.environ.get("GPUBROKER_WS_MAX_PER_ADDRESS", "20"))
GPUBROKER_WS_MESSAGES_PER_S = float(os.environ.get("GPUBROKER_WS_MESSAGES_PER_S", "5"))
GPUBROKER_WS_BURST = int(os.environ.get("GPUBROKER_WS_BURST", "10"))
GPUBROKER_WS_MAX_REFUSALS = int(os.environ.get("GPUBROKER_WS_MAX_REFUSALS", "20"))
# /metrics: this Bearer token when set, else loopback and private addresses only.
GPUBROKER_METRICS_TOKEN = os.environ.get("GPUBROKER_METRICS_TOKEN", "")
# Self only; the API docs (Swagger UI) draw inline styles and data: images.
GPUBROKER_CSP = os.environ.get("GPUBROKER_CSP", "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:", "connect-src 'self'", "font-src 'self'", "object-src 'none'",
    "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"]))
GPUBROKER_SAVED_SEARCH_VALIDATOR = "market.query.params.filters_validate"
GPUBROKER_HTTP_TIMEOUT_S = float(os.environ.get("GPUBROKER_HTTP_TIMEOUT_S", "30"))
GPUBROKER_SYNC_INTERVAL_S = int(os.environ.get("GPUBROKER_SYNC_INTERVAL_S", "3600"))
# Live provider APIs (market.adapters.http): tries per request, backoff with jitter between
# them, the longest Retry-After honoured, the largest answer read; the circuit breaker opens
# after GPUBROKER_BREAKER_FAILURES failed syncs in a row and probes again after
# GPUBROKER_BREAKER_RESET_S seconds.
GPUBROKER_HTTP_ATTEMPTS = int(os.environ.get("GPUBROKER_HTTP_ATTEMPTS", "3"))
GPUBROKER_HTTP_BACKOFF_S = float(os.environ.get("GPUBROKER_HTTP_BACKOFF_S", "1"))
GPUBROKER_HTTP_BACKOFF_MAX_S = float(os.environ.get("GPUBROKER_HTTP_BACKOFF_MAX_S", "30"))
GPUBROKER_HTTP_RETRY_AFTER_MAX_S = float(os.environ.get("GPUBROKER_HTTP_RETRY_AFTER_MAX_S",
                                                        "120"))
GPUBROKER_HTTP_MAX_BYTES = int(os.environ.get("GPUBROKER_HTTP_MAX_MB", "64")) * 1024 * 1024
GPUBROKER_BREAKER_FAILURES = int(os.environ.get("GPUBROKER_BREAKER_FAILURES", "3"))
GPUBROKER_BREAKER_RESET_S = float(os.environ.get("GPUBROKER_BREAKER_RESET_S", "900"))

# Logs: plain text in debug, one JSON object per line otherwise (GPUBROKER_LOG_FORMAT
# overrides: json | plain). Each request gets one access line (gpubroker.access) with its
# id, route, status, duration and user; 4xx are not logged again by django.request.
GPUBROKER_LOG_FORMAT = os.environ.get("GPUBROKER_LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "common.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "common.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": GPUBROKER_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("GPUBROKER_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"},
                "django.request": {"level": "ERROR"}},  # the access line says 4xx once
}

if GPUBROKER_PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- accounts (users, JWT, MFA, key vault, rate limits) -----------------------------------
AUTH_USER_MODEL = "accounts.User"

# Argon2id with OWASP's first recommended setting (19 MiB, t=2, p=1); the others only
# verify old hashes, which are upgraded on the next successful login.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ["email"]}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("GPUBROKER_PASSWORD_MIN_LENGTH", "12"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Access tokens: RS256 JWTs. PEM text in the environment ("\n" escapes allowed); without
# it (debug only) a key pair is generated into the data directory with mode 0600.
JWT_PRIVATE_KEY = os.environ.get("JWT_PRIVATE_KEY", "").replace("\\n", "\n")
JWT_PUBLIC_KEY = os.environ.get("JWT_PUBLIC_KEY", "").replace("\\n", "\n")
JWT_ISSUER = os.environ.get("JWT_ISSUER", "gpubroker")
JWT_AUDIENCE = os.environ.get("JWT_AUDIENCE", "gpubroker-api")
JWT_ACCESS_TTL_S = int(os.environ.get("JWT_ACCESS_TTL_S", "300"))
JWT_LEEWAY_S = int(os.environ.get("JWT_LEEWAY_S", "10"))
REFRESH_TOKEN_TTL_S = int(os.environ.get("REFRESH_TOKEN_TTL_S", str(14 * 86400)))
REFRESH_FAMILY_MAX_AGE_S = int(os.environ.get("REFRESH_FAMILY_MAX_AGE_S", str(30 * 86400)))

# Provider-key vault: AES-256-GCM keys "kid:base64url(32 bytes)", comma separated, the
# first encrypts; or HashiCorp Vault transit when VAULT_ADDR is set.
GPUBROKER_VAULT_KEYS = os.environ.get("GPUBROKER_VAULT_KEYS", "")
VAULT_ADDR = os.environ.get("VAULT_ADDR", "")
VAULT_TOKEN = os.environ.get("VAULT_TOKEN", "")
VAULT_NAMESPACE = os.environ.get("VAULT_NAMESPACE", "")
VAULT_TRANSIT_MOUNT = os.environ.get("VAULT_TRANSIT_MOUNT", "transit")
VAULT_TRANSIT_KEY = os.environ.get("VAULT_TRANSIT_KEY", "gpubroker-provider-keys")
VAULT_TIMEOUT_S = float(os.environ.get("VAULT_TIMEOUT_S", "5"))

# Rate limits "COUNT/SECONDS" (fixed windows in the cache: Redis when REDIS_URL is set).
GPUBROKER_RATE_LIMITS = {
    "login_account": os.environ.get("GPUBROKER_RL_LOGIN_ACCOUNT", "10/900"),
    "login_ip": os.environ.get("GPUBROKER_RL_LOGIN_IP", "50/900"),
    "mfa_account": os.environ.get("GPUBROKER_RL_MFA_ACCOUNT", "5/300"),
    "mfa_ip": os.environ.get("GPUBROKER_RL_MFA_IP", "50/300"),
    "register_ip": os.environ.get("GPUBROKER_RL_REGISTER_IP", "20/3600"),
    "api_user": os.environ.get("GPUBROKER_RL_API_USER", "600/60"),
    "api_ip": os.environ.get("GPUBROKER_RL_API_IP", "300/60"),
    # assistant chat (each turn may run several tools, or an upstream LLM)
    "ai_user": os.environ.get("GPUBROKER_RL_AI_USER", "30/60"),
    "ai_ip": os.environ.get("GPUBROKER_RL_AI_IP", "10/60"),
    # MiB of bodies over the default limit per address without a token (common.bodylimits)
    "large_body_ip": os.environ.get("GPUBROKER_RL_LARGE_BODY_IP", "32/600"),
}
GPUBROKER_RATE_LIMITS.update({
    "password_reset_ip": os.environ.get("GPUBROKER_RL_PASSWORD_RESET_IP", "20/3600"),
    "password_reset_account": os.environ.get("GPUBROKER_RL_PASSWORD_RESET_ACCOUNT", "5/3600"),
    "verify_email_ip": os.environ.get("GPUBROKER_RL_VERIFY_EMAIL_IP", "50/3600"),
})

# --- e-mail (password reset, address verification) -----------------------------------------
# With no EMAIL_HOST, mail is written to the console (the embedded default).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587" if os.environ.get("EMAIL_USE_TLS") else "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "").lower() in {"1", "true", "yes", "on"}
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "GPUBroker <no-reply@localhost>")
# Links in mails point here (the dashboard's pages read token= from the URL).
GPUBROKER_PUBLIC_URL = os.environ.get("GPUBROKER_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
GPUBROKER_PASSWORD_RESET_TTL_S = int(os.environ.get("GPUBROKER_PASSWORD_RESET_TTL_S", "1800"))
GPUBROKER_EMAIL_VERIFY_TTL_S = int(os.environ.get("GPUBROKER_EMAIL_VERIFY_TTL_S",
                                                  str(3 * 86400)))
# Personal API tokens: the longest lifetime a user may ask for (days).
GPUBROKER_API_TOKEN_MAX_DAYS = int(os.environ.get("GPUBROKER_API_TOKEN_MAX_DAYS", "365"))

# How many reverse proxies in front of us append to X-Forwarded-For (0: use REMOTE_ADDR).
GPUBROKER_TRUSTED_PROXIES = int(os.environ.get("GPUBROKER_TRUSTED_PROXIES", "0"))

MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware") + 1,
    "accounts.middleware.ApiRateLimitMiddleware",
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SECURE_CONTENT_TYPE_NOSNIFF = True

if GPUBROKER_PRODUCTION:
    from accounts.conf import require_production_secrets

    require_production_secrets(
        jwt_private_key=JWT_PRIVATE_KEY, vault_keys=GPUBROKER_VAULT_KEYS,
        vault_addr=VAULT_ADDR, vault_token=VAULT_TOKEN,
    )

# --- assistant (/api/v2/ai) ----------------------------------------------------------------
# Optional upstream LLM, OpenAI-compatible chat completions with function calling:
# SOMA_AGENT_BASE (key optional) or GPUBROKER_LLM_BASE_URL + GPUBROKER_LLM_API_KEY.
# Unset: the built-in parser and grounded answers.
GPUBROKER_LLM = {
    "base_url": os.environ.get("SOMA_AGENT_BASE") or (
        os.environ.get("GPUBROKER_LLM_BASE_URL", "")
        if os.environ.get("GPUBROKER_LLM_API_KEY") else ""),
    "api_key": os.environ.get("SOMA_AGENT_KEY") or os.environ.get("GPUBROKER_LLM_API_KEY", ""),
    "model": os.environ.get("SOMA_AGENT_MODEL") or os.environ.get("GPUBROKER_LLM_MODEL",
                                                                  "gpt-4o-mini"),
    "timeout_s": float(os.environ.get("GPUBROKER_LLM_TIMEOUT_S", "20")),
    "token_budget": int(os.environ.get("GPUBROKER_LLM_TOKEN_BUDGET", "8000")),
    "max_rounds": int(os.environ.get("GPUBROKER_LLM_MAX_ROUNDS", "4")),
}

# --- scheduler (embedded thread in `serve`, or Celery workers + beat on Redis) -------------
# embedded: `serve` re-syncs in a background thread. celery: `gpubroker beat` schedules
# the syncs and `gpubroker worker` processes run them (needs CELERY_BROKER_URL or REDIS_URL).
GPUBROKER_SCHEDULER = os.environ.get("GPUBROKER_SCHEDULER", "embedded").strip().lower()
if GPUBROKER_SCHEDULER not in ("embedded", "celery"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"GPUBROKER_SCHEDULER={GPUBROKER_SCHEDULER!r}: use embedded "
                               "(the default) or celery")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("GPUBROKER_CELERY_QUEUE", "gpubroker")
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-sync leaves the task to another
# A task whose worker died unacknowledged (killed mid-sync) is delivered again after this
# long; keep it above the longest retry backoff and the sync lock's TTL.
GPUBROKER_CELERY_VISIBILITY_TIMEOUT_S = float(os.environ.get(
    "GPUBROKER_CELERY_VISIBILITY_TIMEOUT_S", "900"))
CELERY_BROKER_TRANSPORT_OPTIONS = {  # swept for such tasks every tenth of it (1-10 s)
    "visibility_timeout": GPUBROKER_CELERY_VISIBILITY_TIMEOUT_S,
    "unacked_restore_interval": int(min(10, max(1, GPUBROKER_CELERY_VISIBILITY_TIMEOUT_S // 10))),
    "unacked_restore_throttle": 1}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Task results are kept only where a result backend is set (e.g. the broker's Redis).
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "sync-all": {"task": "gpubroker.sync_all", "schedule": float(GPUBROKER_SYNC_INTERVAL_S)},
} if GPUBROKER_SYNC_INTERVAL_S > 0 else {}
# Redis lock per provider: one provider never syncs twice at once across workers. Its time
# to live bounds a sync that died holding it.
GPUBROKER_SYNC_LOCK_TTL_S = int(os.environ.get("GPUBROKER_SYNC_LOCK_TTL_S", "120"))
GPUBROKER_SYNC_LOCK_PREFIX = os.environ.get("GPUBROKER_CACHE_PREFIX", "")
GPUBROKER_SYNC_RETRIES = int(os.environ.get("GPUBROKER_SYNC_RETRIES", "3"))
GPUBROKER_SYNC_RETRY_BACKOFF_S = float(os.environ.get("GPUBROKER_SYNC_RETRY_BACKOFF_S", "30"))
GPUBROKER_SYNC_RETRY_BACKOFF_MAX_S = float(os.environ.get("GPUBROKER_SYNC_RETRY_BACKOFF_MAX_S",
                                                          "600"))
# WebSockets: a heartbeat frame this often on /ws/offers/ and /ws/notifications/.
GPUBROKER_WS_HEARTBEAT_S = float(os.environ.get("GPUBROKER_WS_HEARTBEAT_S", "30"))
# /ws/notifications/: the first message must authenticate within this many seconds.
GPUBROKER_WS_AUTH_TIMEOUT_S = float(os.environ.get("GPUBROKER_WS_AUTH_TIMEOUT_S", "10"))
# A worker exports its sync metrics (Prometheus) on this port; 0: not exported.
GPUBROKER_WORKER_METRICS_PORT = int(os.environ.get("GPUBROKER_WORKER_METRICS_PORT", "0"))
GPUBROKER_WORKER_METRICS_ADDR = os.environ.get("GPUBROKER_WORKER_METRICS_ADDR", "127.0.0.1")
