from typing import Any

from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self) -> None:
        from alerts.events import notification_listener_add
        from market.events import sync_listener_add
        from realtime import metrics  # noqa: F401  (exported at /metrics from the start)

        sync_listener_add(_deltas_publish)
        notification_listener_add(_notifications_publish)


def _deltas_publish(results: list[Any]) -> None:
    from realtime.services import deltas_publish

    deltas_publish(results)


def _notifications_publish(notifications: Any) -> None:
    from realtime.services import notifications_publish

    notifications_publish(notifications)
