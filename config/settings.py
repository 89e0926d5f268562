"""Django settings, read from the environment with embedded defaults.

Embedded defaults (nothing set): SQLite in ``GPUBROKER_DATA_DIR`` (default ``./var``),
in-process cache and channel layer, secrets generated into the data directory.
``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` to Redis for cache and channels.
With ``DJANGO_DEBUG=0`` the service runs in production mode and refuses to start
without the secrets it needs (see ``config.secrets``).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from config.secrets import data_dir, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

DEBUG = os.environ.get("DJANGO_DEBUG", "1").lower() in {"1", "true", "yes", "on"}
SECRET_KEY = secret_key(debug=DEBUG, data_dir=DATA_DIR)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
if DEBUG:
    ALLOWED_HOSTS += ["testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "django_prometheus",
    "channels",
    "market",
    "mathapi",
    "accounts",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=60)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "gpubroker.sqlite3"),
        "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                  "CONFIG": {"hosts": [REDIS_URL]}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# --- GPUBroker ---------------------------------------------------------------------------
# Where catalog CSVs come from: a local folder (SkyPilot layout, <cloud>/vms.csv) wins
# over the HTTPS base URL.
GPUBROKER_CATALOG_DIR = os.environ.get("GPUBROKER_CATALOG_DIR", "")
GPUBROKER_CATALOG_URL = os.environ.get(
    "GPUBROKER_CATALOG_URL",
    "https://raw.githubusercontent.com/skypilot-org/skypilot-catalog/master/catalogs/",
)
GPUBROKER_CATALOG_CLOUDS = [
    c for c in os.environ.get("GPUBROKER_CATALOG_CLOUDS", "").split(",") if c.strip()
]
GPUBROKER_HTTP_TIMEOUT_S = float(os.environ.get("GPUBROKER_HTTP_TIMEOUT_S", "30"))
GPUBROKER_SYNC_INTERVAL_S = int(os.environ.get("GPUBROKER_SYNC_INTERVAL_S", "3600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GPUBROKER_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if not DEBUG:
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# --- accounts (users, JWT, MFA, key vault, rate limits) -----------------------------------
# (settings owned by accounts/ go here)
