"""The workload endpoints of /api/v2/math, through Django's test client."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

BASE = "/api/v2/math"


def post(path: str, body: dict[str, Any]) -> Any:
    return Client().post(BASE + path, body, content_type="application/json")


def chat(**overrides: Any) -> dict[str, Any]:
    return {"task": "inference", "gpu": "H100-SXM", "model": "llama-3.1-8b", **overrides}


# --- POST /estimate ---------------------------------------------------------------------

def test_estimate_inference_returns_memory_speed_and_cost() -> None:
    response = post("/estimate", chat(price_per_hour=4.0, tokens=1e6, batch=4))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["model"] == "Llama-3.1-8B" and body["fits"] and body["min_gpus"] == 1
    assert body["memory_gb"]["weights"] == pytest.approx(16.06)
    assert body["memory_gb"]["total"] == pytest.approx(sum(
        v for k, v in body["memory_gb"].items() if k != "total"), abs=0.01)
    assert body["decode_tokens_per_s"] > 0 and body["throughput_tokens_per_s"] > 0
    assert body["train_tokens_per_s"] is None
    assert body["usd_to_finish"] == pytest.approx(4.0 * body["time_hours"])
    assert body["assumptions"]


def test_estimate_training_reports_train_tokens_per_s() -> None:
    body = post("/estimate", {"task": "fine-tune", "method": "qlora", "gpu": "A100-80GB",
                              "model": "Llama 2 70B", "input_tokens": 1024}).json()
    assert body["fits"] and body["train_tokens_per_s"] > 0
    assert body["decode_tokens_per_s"] is None
    assert any("A100-80GB-PCIe" in a for a in body["assumptions"])


def test_estimate_with_params_b_only() -> None:
    body = post("/estimate", {"task": "inference", "gpu": "L40S", "params_b": 13}).json()
    assert body["model"] == "custom" and body["params_b"] == 13


@pytest.mark.parametrize(("change", "status", "needle"), [
    ({"gpu": "H900"}, 400, "H900"),
    ({"model": "gpt-17"}, 400, "gpt-17"),
    ({"precision": "fp2"}, 400, "fp2"),
    ({"task": "serve"}, 400, "serve"),
    ({"method": "lora"}, 400, "fine-tune"),
    ({"batch": 0}, 400, "batch"),
    ({"gpu_count": -1}, 400, "gpu_count"),
    ({"params_b": 7}, 400, "not both"),
    ({"price_per_hour": 0}, 400, "price_per_hour"),
    ({"gpu": "A800"}, 400, "A800"),
    ({"batch": "many"}, 422, "batch"),
])
def test_estimate_rejects_bad_input_naming_it(change: dict[str, Any], status: int,
                                              needle: str) -> None:
    response = post("/estimate", chat(**change))
    assert response.status_code == status, response.content
    assert needle in str(response.json()["detail"])


def test_estimate_missing_gpu_is_422() -> None:
    assert post("/estimate", {"task": "inference", "model": "llama-2-7b"}).status_code == 422


def test_fp8_training_on_a100_is_a_400_naming_the_figure() -> None:
    response = post("/estimate", {"task": "training", "gpu": "A100-80GB-SXM",
                                  "model": "llama-2-7b", "precision": "fp8"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert "fp8_tflops" in response.json()["detail"]


# --- POST /cost-per-token ---------------------------------------------------------------

def test_cost_per_token_prices_decode_prefill_blended_and_hardware() -> None:
    response = post("/cost-per-token", {"price_per_hour": 8.0, "gpu": "H100-SXM",
                                        "gpu_count": 2, "model": "llama-3.1-70b",
                                        "precision": "fp8", "batch": 16})
    assert response.status_code == 200, response.content
    body = response.json()
    per_million = body["usd_per_million_tokens"]
    decode_rate = body["throughput"]["decode_tokens_per_s"]
    assert per_million["decode"] == pytest.approx(8.0 / (decode_rate * 3600) * 1e6)
    assert per_million["prefill"] < per_million["blended"] < per_million["decode"]
    assert body["usd_per_tflop_hour"] == pytest.approx(8.0 / (1979.0 * 2))
    assert body["usd_per_gb_vram_hour"] == pytest.approx(8.0 / 160)
    assert body["usd_per_gpu_hour"] == pytest.approx(4.0)


@pytest.mark.parametrize(("body", "status"), [
    ({"gpu": "H100-SXM", "model": "llama-2-7b"}, 422),
    ({"price_per_hour": -2, "gpu": "H100-SXM", "model": "llama-2-7b"}, 400),
    ({"price_per_hour": 2, "gpu": "nope", "model": "llama-2-7b"}, 400),
    ({"price_per_hour": 2, "gpu": "H100-SXM"}, 400),
])
def test_cost_per_token_bad_input(body: dict[str, Any], status: int) -> None:
    assert post("/cost-per-token", body).status_code == status


# --- GET /gpus, /gpus/{name} --------------------------------------------------------------

def test_gpus_lists_specs_with_sources() -> None:
    body = Client().get(BASE + "/gpus").json()
    names = {g["name"] for g in body}
    assert {"H100-SXM", "A100-80GB-SXM", "L40S"} <= names
    h100 = next(g for g in body if g["name"] == "H100-SXM")
    assert h100["mem_bw_gbs"] == 3350.0 and h100["sources"]


def test_gpu_by_name() -> None:
    response = Client().get(BASE + "/gpus/H100-SXM")
    assert response.status_code == 200
    assert response.json()["memory_gb"] == 80.0


def test_unknown_gpu_is_a_json_404_naming_it() -> None:
    response = Client().get(BASE + "/gpus/H900")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found" and "H900" in response.json()["detail"]


# --- templates ----------------------------------------------------------------------------

def test_templates_list_questions_with_defaults_and_bounds() -> None:
    body = Client().get(BASE + "/templates").json()
    ids = {t["id"] for t in body}
    assert {"llm-chat", "batch-inference", "lora-fine-tune", "qlora-fine-tune",
            "full-fine-tune", "pretraining", "image-generation", "transcription"} == ids
    chat_template = next(t for t in body if t["id"] == "llm-chat")
    users = next(q for q in chat_template["questions"] if q["id"] == "concurrent_users")
    assert (users["default"], users["min"], users["max"]) == (8, 1, 4096)
    assert chat_template["maps_to"]["concurrent_users"] == "concurrency (mode throughput)"
    image = next(t for t in body if t["id"] == "image-generation")
    assert image["estimate"] == "memory fit only"


@pytest.mark.django_db
def test_apply_maps_answers_to_a_workload_and_estimates_it() -> None:
    response = post("/templates/qlora-fine-tune/apply",
                    {"answers": {"model": "llama-3.1-70b", "dataset_tokens": 1e7,
                                 "epochs": 2, "gpu": "A100-80GB-SXM", "price_per_hour": 2.0}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["workload"]["method"] == "qlora" and body["workload"]["tokens"] == 2e7
    assert body["estimate"]["fits"] and body["estimate"]["usd_to_finish"] > 0
    assert isinstance(body["recommendations"], list)


@pytest.mark.django_db
def test_apply_defaults_when_no_answers() -> None:
    response = post("/templates/llm-chat/apply", {})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["workload"]["concurrency"] == 8 and body["workload"]["mode"] == "throughput"
    assert body["estimate"]["batch_used"] == 8


def test_apply_image_generation_estimates_memory_only() -> None:
    body = post("/templates/image-generation/apply", {"answers": {"gpu": "L4"}}).json()
    assert body["estimate"]["estimate"] == "memory fit only"
    assert body["estimate"]["memory_gb"]["weights"] == pytest.approx(13.2)
    assert body["estimate"]["fits"] is True


@pytest.mark.parametrize(("path", "answers", "status"), [
    ("/templates/nope/apply", {}, 404),
    ("/templates/llm-chat/apply", {"concurrent_users": 0}, 400),
    ("/templates/llm-chat/apply", {"precision": "fp2"}, 400),
    ("/templates/llm-chat/apply", {"colour": "red"}, 400),
    ("/templates/lora-fine-tune/apply", {"epochs": 2.5}, 400),
    ("/templates/pretraining/apply", {"gpu": "H900"}, 400),
])
def test_apply_bad_answers(path: str, answers: dict[str, Any], status: int) -> None:
    assert post(path, {"answers": answers}).status_code == status


# --- POST /recommend ------------------------------------------------------------------------

@pytest.mark.django_db
def test_recommend_without_offers_says_how_to_get_them() -> None:
    body = post("/recommend", {"workload": chat()}).json()
    assert body["items"] == [] and body["notes"]


@pytest.mark.django_db
def test_recommend_ranks_fitting_offers_best_first(synced_snapshot: Any) -> None:
    workload = {"task": "inference", "model": "llama-3.1-70b", "precision": "fp8",
                "batch": 8, "tokens": 1e8}
    response = post("/recommend", {"workload": workload, "limit": 5,
                                   "filters": {"gpu": "H100"}})
    assert response.status_code == 200, response.content
    body = response.json()
    items = body["items"]
    assert 1 <= len(items) <= 5 and body["fitting"] >= len(items)
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True)
    for item in items:
        assert "H100" in item["offer"]["gpu_name"]
        assert item["estimate"]["usd_to_finish"] > 0
        assert sum(item["contributions"].values()) == pytest.approx(item["score"] - 0.5)


@pytest.mark.parametrize(("body", "status"), [
    ({"workload": {"task": "inference", "model": "llama-2-7b"}, "weights": {"vibes": 1}}, 400),
    ({"workload": {"task": "inference", "model": "llama-2-7b"}, "limit": 0}, 422),
    ({"workload": {"task": "inference"}}, 400),
    ({}, 422),
])
@pytest.mark.django_db
def test_recommend_bad_input(body: dict[str, Any], status: int) -> None:
    assert post("/recommend", body).status_code == status


@pytest.mark.parametrize("spelling", ["RTX 4090", "NVIDIA GeForce RTX 4090", "rtx4090", "4090"])
def test_gpu_endpoints_accept_the_spellings_users_write(spelling: str) -> None:
    response = Client().get(f"/api/v2/math/gpus/{spelling}")
    assert response.status_code == 200 and response.json()["name"] == "RTX4090"
    body = post("/estimate", {"task": "inference", "params_b": 7, "precision": "bf16",
                              "gpu": spelling, "gpu_count": 1}).json()
    assert body["gpu"] == "RTX4090"
