"""Serving at load through /api/v2/math: estimate's mode, parallelism and answer fields,
cost-per-token on the same numbers, and recommend ranking inference by cost per
million tokens at load over the real catalog offers of the shared SkyPilot snapshot."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from django.test import Client

from mathcore.estimator import usd_per_million_tokens_at_load
from mathcore.gpus import gpu_spec

BASE = "/api/v2/math"


def post(path: str, body: dict[str, Any]) -> Any:
    return Client().post(BASE + path, body, content_type="application/json")


def serve(**overrides: Any) -> dict[str, Any]:
    return {"task": "inference", "gpu": "H100-SXM", "model": "llama-3.1-70b",
            "precision": "fp8", "gpu_count": 2, "mode": "throughput",
            "price_per_hour": 6.0, **overrides}


def test_estimate_at_load_answers_batch_kv_throughput_latency_and_cost() -> None:
    response = post("/estimate", serve(input_tokens=1000, output_tokens=1000))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["mode"] == "throughput" and body["parallelism"] == "tensor"
    assert body["batch_used"] > 1 and body["kv_cache_gb"] == body["memory_gb"]["kv_cache"]
    assert body["fits"] and body["memory_per_gpu_gb"] <= body["gpu_memory_gb"]
    assert body["per_user_tokens_per_s"] == pytest.approx(
        body["throughput_tokens_per_s"] / body["batch_used"])
    assert body["time_to_first_token_s"] > 0
    assert body["usd_per_million_tokens"] == pytest.approx(
        6.0 / (body["throughput_tokens_per_s"] * 3600) * 1e6)
    assert body["usd_per_million_tokens"] == pytest.approx(usd_per_million_tokens_at_load(
        "H100-SXM", 6.0, model="llama-3.1-70b", precision="fp8", gpu_count=2,
        input_tokens=1000, output_tokens=1000))


def test_estimate_defaults_to_latency_and_takes_a_pipeline_split() -> None:
    body = post("/estimate", {"task": "inference", "gpu": "RTX 4090", "gpu_count": 2,
                              "model": "llama-3-8b", "precision": "fp16"}).json()
    assert body["mode"] == "latency" and body["batch_used"] == 1
    assert body["parallelism"] == "pipeline"
    one = post("/estimate", {"task": "inference", "gpu": "RTX 4090",
                             "model": "llama-3-8b", "precision": "fp16"}).json()
    assert body["decode_tokens_per_s"] < one["decode_tokens_per_s"]


@pytest.mark.parametrize(("change", "needle"), [
    ({"mode": "offline"}, "mode"), ({"parallelism": "expert"}, "parallelism"),
    ({"concurrency": 0}, "concurrency"), ({"max_batch": -3}, "max_batch"),
    ({"task": "training", "mode": "throughput"}, "inference"),
    ({"runtime": "exllama"}, "runtime"),
])
def test_bad_serving_inputs_are_400s_naming_them(change: dict[str, Any], needle: str) -> None:
    response = post("/estimate", serve(**change))
    assert response.status_code == 400, response.content
    assert needle in response.json()["detail"]


def test_runtime_is_optional_echoed_and_kernel_launches_cost_time() -> None:
    body = {"task": "inference", "gpu": "RTX 4090", "model": "llama-2-7b",
            "precision": "int4", "batch": 1}
    default = post("/estimate", body).json()
    graphs = post("/estimate", {**body, "runtime": "llama.cpp"}).json()
    launches = post("/estimate", {**body, "runtime": "llama.cpp-no-graphs"}).json()
    assert default["runtime"] is None and launches["runtime"] == "llama.cpp-no-graphs"
    assert launches["decode_tokens_per_s"] < graphs["decode_tokens_per_s"]
    assert any("launched one by one" in note for note in launches["assumptions"])
    assert graphs["efficiency"]["bandwidth_fraction"] == 0.75
    assert any("quantized weights" in note for note in graphs["assumptions"])
    sixteen = {**body, "precision": "fp16"}
    assert post("/estimate", {**sixteen, "runtime": "llama.cpp"}).json()[
        "decode_tokens_per_s"] == pytest.approx(post("/estimate", sixteen).json()[
            "decode_tokens_per_s"])
    cost = post("/cost-per-token", {"price_per_hour": 1.0, "gpu": "RTX 4090",
                                    "model": "llama-2-7b", "precision": "int4",
                                    "runtime": "llama.cpp-no-graphs"})
    assert cost.status_code == 200, cost.content


def test_fp4_on_b200_and_its_fallback_on_h100() -> None:
    b200 = post("/estimate", serve(gpu="B200", gpu_count=1, precision="fp4")).json()
    assert b200["efficiency"]["peak_tflops"] == 9000.0
    h100 = post("/estimate", serve(precision="fp4")).json()
    assert any("no FP4 units" in note for note in h100["assumptions"])


def test_cost_per_token_is_at_load_by_default_with_the_estimates_numbers() -> None:
    body = {"price_per_hour": 6.0, "gpu": "H100-SXM", "gpu_count": 2,
            "model": "llama-3.1-70b", "precision": "fp8"}
    cost = post("/cost-per-token", body).json()
    estimate = post("/estimate", serve()).json()
    assert cost["mode"] == "throughput" and cost["batch_used"] == estimate["batch_used"]
    assert cost["usd_per_million_tokens"]["output"] == pytest.approx(
        estimate["usd_per_million_tokens"])
    single = post("/cost-per-token", {**body, "batch": 1}).json()
    assert single["mode"] == "latency" and single["batch_used"] == 1
    assert single["usd_per_million_tokens"]["output"] > \
        10 * cost["usd_per_million_tokens"]["output"]


@pytest.mark.django_db
def test_70b_fp16_serving_top_pick_fits_on_the_fewest_gpus_cheapest_per_token(
        synced_snapshot: Any) -> None:
    workload = {"task": "inference", "model": "llama-3.1-70b", "precision": "fp16"}
    response = post("/recommend", {"workload": workload, "limit": 100})
    assert response.status_code == 200, response.content
    body = response.json()
    items = body["items"]
    assert len(items) >= 10, body
    top = items[0]
    offer, est = top["offer"], top["estimate"]
    assert est["mode"] == "throughput" and est["batch_used"] >= 1
    # Ranked by cost per million output tokens at load: the top is the cheapest ...
    costs = [item["estimate"]["usd_per_million_tokens"] for item in items]
    assert costs == sorted(costs) and est["usd_per_million_tokens"] == min(costs)
    # ... it fits ...
    memory = gpu_spec(offer["gpu_name"]).memory_gb
    assert memory is not None and est["memory_per_gpu_gb"] <= memory
    # ... and no offer of the same GPU with fewer GPUs is as cheap per token.
    by_count: dict[int, float] = defaultdict(lambda: float("inf"))
    for item in items:
        if item["offer"]["gpu_name"] == offer["gpu_name"]:
            count = item["estimate"]["gpu_count"]
            by_count[count] = min(by_count[count], item["estimate"]["usd_per_million_tokens"])
    cheapest = min(by_count.values())
    assert est["gpu_count"] == min(n for n, c in by_count.items() if c == cheapest)
    # Both speeds are shown: per user and for the whole offer.
    assert est["per_user_tokens_per_s"] < est["throughput_tokens_per_s"]
    assert any("cost per million output tokens" in note for note in body["notes"])


@pytest.mark.django_db
def test_recommend_with_a_batch_ranks_in_latency_mode(synced_snapshot: Any) -> None:
    workload = {"task": "inference", "model": "llama-3.1-8b", "batch": 1}
    items = post("/recommend", {"workload": workload, "limit": 5}).json()["items"]
    assert items and all(item["estimate"]["mode"] == "latency" for item in items)
    assert all(item["estimate"]["batch_used"] == 1 for item in items)
