"""The real settings plus a bare Django Ninja endpoint (``GET /bench/bare``): the framework's
ceiling on the same server, middleware and workers. Used only by bench/load/run.py."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load.bare_urls"
