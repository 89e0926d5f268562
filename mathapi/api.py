"""`/api/v2/math`: ranking (TOPSIS, ensemble) and workload (GPU facts, KPIs, estimate,
recommend, templates). Each part keeps its own router; this module only mounts them."""

from __future__ import annotations

from ninja import Router

from mathapi.ranking_api import router as ranking_router
from mathapi.workload_api import router as workload_router

router = Router()
router.add_router("", ranking_router)
router.add_router("", workload_router)
