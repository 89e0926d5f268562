"""ASGI entry point: HTTP through Django, WebSockets through Channels (routes: realtime/)."""

import os

import django

from common.memory import big_blocks_mapped, long_lived_freezing, long_lived_settled

# Large blocks are their own mappings, given back when freed (common.memory).
big_blocks_mapped(int(os.environ.get("GPUBROKER_MMAP_THRESHOLD_KB", "1024") or 0) * 1024)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)

from common.asgi_handler import OneHopASGIHandler  # noqa: E402

django_asgi_app = OneHopASGIHandler()  # one thread hop per request (common.asgi_handler)

# These imports need Django set up first.
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from common.asgi_limits import BodyLimitASGI  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter({
    "http": BodyLimitASGI(django_asgi_app),  # bodies over their limit are never read
    "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
})

# `gpubroker serve` sets GPUBROKER_GC_FREEZE=1: what is loaded by now, and each offer index
# once built, stays out of the cyclic collector's full passes (common.memory).
long_lived_freezing(os.environ.get("GPUBROKER_GC_FREEZE", "0") == "1")
long_lived_settled()
