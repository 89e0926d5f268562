from django.apps import AppConfig


class KpiConfig(AppConfig):
    name = "kpi"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from kpi.services import clickhouse_after_sync, sqlite_functions_add
        from market.events import sync_listener_add

        connection_created.connect(sqlite_functions_add)
        sync_listener_add(clickhouse_after_sync)
