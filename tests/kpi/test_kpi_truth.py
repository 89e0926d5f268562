"""Each KPI against the same figure computed straight from the snapshot CSVs, on both engines.

The expected values (tests/kpi/kpi_truth.py) read the CSV rows with their own reader and
numpy's quantiles; the engines answer from the synced store (SQL) and from chDB.
"""

from __future__ import annotations

import pytest

from kpi import insights, selectors
from market.models import Offer
from tests.conftest import SKYPILOT_DIR
from tests.kpi.kpi_truth import family, family_truth, per_gpu_hour, provider_index_truth
from tests.market.catalog_truth import expected_offers, whole_gpus

pytestmark = pytest.mark.django_db
# KPIs are statistics of whole GPUs: shares of one GPU (Azure NVv4) are left out, as queries do
EXPECTED = whole_gpus(expected_offers(SKYPILOT_DIR))
ENGINES = ["sql", "clickhouse"]
# Families whose CSV AcceleratorName prefix is the market's GPU family (H100-SXM, H100-MEGA
# -> H100); names that providers spell apart (RTXA6000 / A6000) are left to the market tests.
FAMILIES = ["H100", "A100", "L40S", "RTX4090", "H200", "B200", "V100", "T4", "A10G", "L4",
            "MI300X", "GH200"]
STATS = ("offers", "min", "p25", "median", "p75", "max")


def _same_stats(got: dict | None, want: dict | None) -> None:
    if want is None:
        assert got is None
        return
    assert got is not None
    for key in STATS:
        assert got[key] == pytest.approx(want[key], rel=1e-6, abs=1e-6), key


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("gpu", FAMILIES)
def test_gpu_quantiles_spot_discount_and_providers_match_the_csv(snapshot_engines, engine,
                                                                 gpu) -> None:
    got = selectors.kpi_gpu(gpu=gpu, engine=snapshot_engines[engine])
    want = family_truth(EXPECTED, gpu)
    assert (got["offers"], got["regions"]) == (want["offers"], want["regions"])
    _same_stats(got["on_demand"], want["on_demand"])
    _same_stats(got["spot"], want["spot"])
    assert got["spot_discount"] == (None if want["spot_discount"] is None
                                    else pytest.approx(want["spot_discount"], abs=1e-5))
    providers = {p["provider"]: p for p in got["providers"]}
    assert providers.keys() == want["providers"].keys()
    for name, truth in want["providers"].items():
        _same_stats(providers[name]["on_demand"], truth["on_demand"])
        _same_stats(providers[name]["spot"], truth["spot"])
        assert providers[name]["regions"] == truth["regions"]


def _stored_gpu_name() -> dict:
    """GPU naming is the market's (tested in tests/market); prices and arithmetic are not."""
    names = {(o.provider_id, o.instance_type, o.region, o.spot): o.gpu_name
             for o in Offer.objects.all()}
    return lambda e: names[(e.provider, e.instance_type, e.region, e.spot)]


@pytest.mark.parametrize("engine", ENGINES)
def test_provider_price_index_matches_the_csv(snapshot_engines, engine) -> None:
    gpu_of = _stored_gpu_name()
    for provider in sorted({e.provider for e in EXPECTED.values()}):
        got = selectors.kpi_provider(name=provider, engine=snapshot_engines[engine])
        mine = [e for e in EXPECTED.values() if e.provider == provider]
        assert got["offers"] == len([e for e in mine if gpu_of(e)])
        if not any(not e.spot and gpu_of(e) for e in mine):
            assert got["price_index"] is None
            continue
        want = provider_index_truth(
            {k: e for k, e in EXPECTED.items() if gpu_of(e)}, provider, gpu_of)
        assert got["price_index"] == pytest.approx(want, rel=1e-6), provider


@pytest.mark.parametrize("engine", ENGINES)
def test_cheapest_per_gpu_and_overview_match_the_csv(snapshot_engines, engine) -> None:
    gpu_of = _stored_gpu_name()
    cheapest: dict[str, float] = {}
    for e in EXPECTED.values():
        if not e.spot and gpu_of(e):
            cheapest[gpu_of(e)] = min(cheapest.get(gpu_of(e), 1e18), per_gpu_hour(e))
    got = insights.kpi_insights_market(engine=snapshot_engines[engine])
    assert {c["gpu"]: c["price_per_gpu_hour"] for c in got["cheapest"]} == pytest.approx(
        cheapest, rel=1e-6, abs=1e-6)
    overview = selectors.kpi_overview(engine=snapshot_engines[engine])
    assert overview["offers"] == len(EXPECTED)
    assert overview["gpus"] == len({gpu_of(e) for e in EXPECTED.values()} - {None})
    assert overview["providers"]["ok"] == 19
    for entry in overview["popular_gpus"]:
        assert entry["cheapest"]["price_per_gpu_hour"] == pytest.approx(cheapest[entry["gpu"]],
                                                                     abs=1e-6)


def test_family_rule_holds_for_the_families_checked() -> None:
    found = {family(e) for e in EXPECTED.values()}
    assert set(FAMILIES) <= found


def _without_engine(data):
    if isinstance(data, dict):
        return {k: _without_engine(v) for k, v in data.items() if k != "engine"}
    if isinstance(data, list):
        return [_without_engine(v) for v in data]
    return pytest.approx(data, rel=1e-9) if isinstance(data, float) else data


def test_both_engines_give_the_same_answers(snapshot_engines) -> None:
    sql, ch = snapshot_engines["sql"], snapshot_engines["clickhouse"]
    assert _without_engine(insights.kpi_insights_market(engine=ch)) == _without_engine(
        insights.kpi_insights_market(engine=sql))
    for gpu in ("A100", "rtx 4090", "nvidia h100 sxm"):
        assert _without_engine(selectors.kpi_gpu(gpu=gpu, engine=ch)) == _without_engine(
            selectors.kpi_gpu(gpu=gpu, engine=sql))
    for provider in ("runpod", "aws", "vast"):
        a = selectors.kpi_provider(name=provider, engine=ch)
        b = selectors.kpi_provider(name=provider, engine=sql)
        a["sync"].pop("freshness_s"), b["sync"].pop("freshness_s")
        assert _without_engine(a) == _without_engine(b)
