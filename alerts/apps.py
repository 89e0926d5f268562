from typing import Any

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"

    def ready(self) -> None:
        from alerts import metrics  # noqa: F401  (exported at /metrics from the start)
        from market.events import sync_listener_add

        sync_listener_add(_alerts_evaluate)


def _alerts_evaluate(results: list[Any]) -> None:
    from alerts.services.evaluate import alerts_evaluate_logged

    alerts_evaluate_logged(results)
