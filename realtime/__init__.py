"""Real-time push: sync deltas pushed over WebSockets (``/ws/offers/``).

``services.deltas_publish`` sends each provider's deltas to the ``offers`` group after a sync
committed; ``consumers.OffersConsumer`` forwards those that match a client's subscription,
written with the filters of ``GET /api/v2/providers/`` (``matching`` applies them).
"""
