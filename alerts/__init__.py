"""Price alerts: a user's filters and price thresholds, checked after every sync.

``services.alerts_evaluate`` runs after each sync committed (``market.events``): on the
offers the sync changed it finds those that newly meet an active alert, stores one
``Notification`` per alert with them, and hands the notifications to the listeners of
``alerts.events`` (``realtime`` pushes them over ``/ws/notifications/``). An alert fires once
per crossing: an offer that keeps meeting it stays quiet until it stopped meeting it.
"""
