from typing import Any

from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self) -> None:
        from market.events import sync_listener_add

        sync_listener_add(_deltas_publish)


def _deltas_publish(results: list[Any]) -> None:
    from realtime.services import deltas_publish

    deltas_publish(results)
