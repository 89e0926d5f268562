"""ASGI entry point: HTTP through Django, WebSockets through Channels (routes: realtime/)."""

import os

from django.core.asgi import get_asgi_application

from common.memory import big_blocks_mapped

# Large blocks are their own mappings, given back when freed (common.memory).
big_blocks_mapped(int(os.environ.get("GPUBROKER_MMAP_THRESHOLD_KB", "1024") or 0) * 1024)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

# These imports need Django set up first.
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from common.asgi_limits import BodyLimitASGI  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter({
    "http": BodyLimitASGI(django_asgi_app),  # bodies over their limit are never read
    "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
})
