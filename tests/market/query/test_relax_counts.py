"""Property: every relaxation offered for an empty answer returns, when run, exactly the number
of offers it says (on the real SkyPilot snapshot, over many generated empty queries)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from market.query.filters import filter_compile
from market.query.relax import Relaxation
from market.query.search import offers_search

pytestmark = pytest.mark.django_db

PARAMS = st.fixed_dictionaries({}, optional={
    "gpu": st.sampled_from(["H100", "A100", "H1000", "T4", "B200", "MI300X", "L4", "A10G"]),
    "provider": st.sampled_from(["aws", "lambda", "vast", "runpod", "azure", "nosuch"]),
    "country": st.sampled_from(["US", "DE", "JP", "BR", "FR"]),
    "spot": st.booleans(),
    "min_gpu_count": st.sampled_from([1, 2, 4, 8, 16]),
    "max_gpu_count": st.sampled_from([1, 2, 4]),
    "min_gpu_memory_gb": st.sampled_from([16, 24, 48, 80, 141, 192]),
    "max_price": st.floats(min_value=0.01, max_value=60).map(lambda v: round(v, 3)),
    "min_vcpus": st.sampled_from([4, 32, 96, 192]),
    "q": st.sampled_from(["", "price_per_hour<0.5", "gpu_count>=8", "gpu in [H100,L4]",
                          "provider in [aws,lambda]", "vram>=80 price<2", "spot=true",
                          "continent in [EU,AS]", "total_vram>=640 gpus<8"]),
})


def _total(params: dict[str, Any]) -> int:
    return offers_search(offer_filter=filter_compile(params), per_page=1).total


def _applied(params: dict[str, Any], relaxation: Relaxation) -> dict[str, Any]:
    """``params`` with the relaxation applied, the way a user would."""
    changed = dict(params)
    dropping = relaxation.suggestion.startswith("drop '")
    if relaxation.param == "q":
        tokens = [t for t in _q_tokens(params["q"]) if t != relaxation.constraint]
        changed["q"] = " ".join(tokens if dropping else [*tokens, relaxation.suggestion])
    elif dropping:
        del changed[relaxation.param]
    else:
        changed[relaxation.param] = relaxation.suggestion.split("=", 1)[1]
    return changed


def _q_tokens(q: str) -> list[str]:
    return [c.label for c in filter_compile({"q": q}).conditions]


@pytest.mark.usefixtures("synced_snapshot")
@settings(max_examples=150, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(PARAMS)
def test_each_relaxation_returns_the_offers_it_promises(params: dict[str, Any]) -> None:
    assume(params and _total(params) == 0)
    page = offers_search(offer_filter=filter_compile(params), per_page=1)
    for relaxation in page.relaxations:
        assert _total(_applied(params, relaxation)) == relaxation.offers, relaxation


@pytest.mark.usefixtures("synced_snapshot")
def test_an_unknown_gpu_is_relaxed_to_names_that_return_what_they_say() -> None:
    page = offers_search(offer_filter=filter_compile({"gpu": "H1000"}), per_page=1)
    assert page.total == 0 and page.relaxations
    relaxation = page.relaxations[0]
    assert relaxation.param == "gpu" and relaxation.offers > 0
    assert _total(_applied({"gpu": "H1000"}, relaxation)) == relaxation.offers
    assert any("known names near it: H100" in w for w in page.warnings)
