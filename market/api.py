"""`/api/v2/providers`: offers, one offer, provider status."""

from __future__ import annotations

from ninja import Router

router = Router()
