"""Real-time push: sync deltas over ``/ws/offers/``, alert notifications over
``/ws/notifications/``.

``services.deltas_publish`` sends each provider's deltas to the ``offers`` group after a sync
committed; ``consumers.OffersConsumer`` sends a snapshot when asked, then forwards the deltas
that match a client's subscription, written with the filters of ``GET /api/v2/providers/``
(the one filter evaluator,
``market.query.filters``, applies them). ``services.notifications_publish`` sends each stored alert
notification to its owner's group; ``notifications.NotificationsConsumer`` authenticates a
socket by its first message and joins that group. Both send a heartbeat every 30 s.
"""
