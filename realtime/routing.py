"""WebSocket routes; any other path is refused (closed), never a server error."""

from channels.security.websocket import WebsocketDenier
from django.urls import path, re_path

from realtime.consumers import OffersConsumer
from realtime.notifications import NotificationsConsumer

websocket_urlpatterns = [
    path("ws/offers/", OffersConsumer.as_asgi()),
    path("ws/notifications/", NotificationsConsumer.as_asgi()),
    re_path(r"", WebsocketDenier.as_asgi()),
]
