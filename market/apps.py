from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "market"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from market.events import sync_listener_add

        sync_listener_add(_offer_index_invalidate)


def _offer_index_invalidate(results: list) -> None:
    from market.query.index import offer_index_invalidate

    offer_index_invalidate()
