"""The Celery app, for ``GPUBROKER_SCHEDULER=celery``: syncs run as tasks on Redis.

``gpubroker worker`` and ``gpubroker beat`` start it (or Celery's own commands:
``celery -A gpubroker.celery_app worker`` / ``beat``). Tasks are written with
``shared_task`` in their own package (``market.tasks``), so nothing imports this module but
the processes that run or send them. The broker is ``CELERY_BROKER_URL``, else
``REDIS_URL``. Beat sends ``gpubroker.sync_all`` every ``GPUBROKER_SYNC_INTERVAL_S``; that
task fans out one ``gpubroker.sync_provider`` per enabled provider (``market.tasks``).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("gpubroker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
