"""`/api/v2/math/topsis` and `/api/v2/math/ensemble` over HTTP: 200s and every 4xx as JSON."""

from __future__ import annotations

import json
import typing

import pytest
from django.test import Client, override_settings

from mathcore.ensemble import METHODS
from mathcore.validation import MAX_COLUMNS, MAX_ROWS
from ranking.schemas import MethodName

TOPSIS_URL = "/api/v2/math/topsis"
ENSEMBLE_URL = "/api/v2/math/ensemble"
GOOD = {"decision_matrix": [[3, 4], [4, 3]], "weights": [0.75, 0.25],
        "criteria_types": ["benefit", "cost"]}


def post(url: str, body: object) -> tuple[int, typing.Any]:
    raw = body if isinstance(body, str) else json.dumps(body)
    response = Client().post(url, raw, content_type="application/json")
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.status_code, response.json()


def test_topsis_200_hand_computed() -> None:
    status, body = post(TOPSIS_URL, {**GOOD, "criteria_names": ["tflops", "price"]})
    assert status == 200
    assert body["scores"] == pytest.approx([0.0, 1.0])
    assert body["rankings"] == [1, 0]
    assert body["ideal_solution"] == pytest.approx([0.6, 0.15])
    assert body["anti_ideal_solution"] == pytest.approx([0.45, 0.2])
    assert body["contributions"] == [pytest.approx([-0.45, -0.05]), pytest.approx([0.45, 0.05])]
    assert body["warnings"] == []


def test_topsis_200_reports_rescaled_weights() -> None:
    status, body = post(TOPSIS_URL, {**GOOD, "weights": [3, 1]})
    assert status == 200 and body["scores"] == pytest.approx([0.0, 1.0])
    assert "rescaled" in body["warnings"][0]


def test_ensemble_200_all_methods_by_default() -> None:
    matrix = [[5, 1, 9], [3, 2, 5], [4, 3, 4], [1, 5, 2]]
    status, body = post(ENSEMBLE_URL, {"decision_matrix": matrix, "weights": [0.4, 0.3, 0.3],
                                       "criteria_types": ["benefit", "cost", "benefit"]})
    assert status == 200
    assert list(body["rankings"]) == list(body["scores"]) == list(METHODS)
    assert body["fused_ranking"][0] == 0 and body["fused_ranking"][-1] == 3
    assert len(body["fused_scores"]) == 4 and body["warnings"] == []


def test_ensemble_200_chosen_methods_and_rrf() -> None:
    status, body = post(ENSEMBLE_URL, {**GOOD, "methods": ["vikor", "promethee_ii"],
                                       "fusion": "rrf"})
    assert status == 200 and list(body["rankings"]) == ["vikor", "promethee_ii"]
    assert body["fused_ranking"] == [1, 0]
    assert body["fused_scores"] == pytest.approx([2 / 62, 2 / 61])


def test_method_names_in_schema_match_the_core() -> None:
    assert typing.get_args(MethodName) == METHODS


INVALID_INPUT = [  # (overrides, words the 400 message must contain)
    ({"decision_matrix": [[3, 4], [3, 5]]}, "column 0 ('c0') has the same value"),
    ({"decision_matrix": [[3, 4]]}, "single row"),
    ({"decision_matrix": [[3, 4], [4]]}, "ragged: row 1"),
    ({"decision_matrix": []}, "empty"),
    ({"weights": [0.5]}, "weights has 1 entries"),
    ({"weights": [-1, 2]}, "must not be negative"),
    ({"weights": [0, 0]}, "all zero"),
    ({"criteria_types": ["cost"]}, "criteria_types has 1 entries"),
    ({"criteria_names": ["a", "b", "c"]}, "criteria_names has 3 entries"),
]


@pytest.mark.parametrize("url", [TOPSIS_URL, ENSEMBLE_URL])
@pytest.mark.parametrize("overrides, words", INVALID_INPUT)
def test_400_names_the_problem(url: str, overrides: dict, words: str) -> None:
    status, body = post(url, {**GOOD, **overrides})
    assert status == 400 and body["code"] == "invalid_input"
    assert words in body["detail"]


@pytest.mark.parametrize("url", [TOPSIS_URL, ENSEMBLE_URL])
@pytest.mark.parametrize("value", ["NaN", "4", True, None])
def test_422_a_number_is_a_json_number(url: str, value: object) -> None:
    """No coercion: a string (even "NaN" or "4"), true or null among the numbers is refused
    where it stands."""
    status, body = post(url, {**GOOD, "decision_matrix": [[3, 4], [4, value]]})
    assert status == 422 and body["code"] == "validation_error"
    assert body["detail"][0]["loc"][-3:] == ["decision_matrix", 1, 1], body


def test_400_nan_literal_is_not_json_and_its_place_is_named() -> None:
    status, body = post(TOPSIS_URL, '{"decision_matrix": [[3, 4], [NaN, 3]], "weights": [1, 1],'
                                    ' "criteria_types": ["benefit", "cost"]}')
    assert status == 400 and body["code"] == "invalid_json"  # RFC 8259 has no NaN
    assert "line 1 column 31" in body["detail"]


def test_400_repeated_method() -> None:
    status, body = post(ENSEMBLE_URL, {**GOOD, "methods": ["topsis", "topsis"]})
    assert status == 400 and "repeats 'topsis'" in body["detail"]


@pytest.mark.parametrize("raw", ["{not json", "", "\u00ff"])
def test_malformed_json_is_a_json_4xx(raw: str) -> None:
    status, body = post(TOPSIS_URL, raw)
    assert 400 <= status < 500 and body["detail"]


SCHEMA_ERRORS = [  # (body, url, field in the error's location)
    ({**GOOD, "criteria_types": ["benefit", "max"]}, TOPSIS_URL, "criteria_types"),
    ({**GOOD, "decision_matrix": [[3, "abc"], [4, 3]]}, TOPSIS_URL, "decision_matrix"),
    ({**GOOD, "decision_matrix": "3,4;4,3"}, TOPSIS_URL, "decision_matrix"),
    ({**GOOD, "weights": None}, TOPSIS_URL, "weights"),
    ({"weights": [1, 1], "criteria_types": ["cost", "cost"]}, TOPSIS_URL, "decision_matrix"),
    ({**GOOD, "decision_matrix": [list(range(MAX_COLUMNS + 1))] * 2}, TOPSIS_URL,
     "decision_matrix"),
    ({**GOOD, "methods": ["electre"]}, ENSEMBLE_URL, "methods"),
    ({**GOOD, "fusion": "median"}, ENSEMBLE_URL, "fusion"),
]


@pytest.mark.parametrize("body, url, field", SCHEMA_ERRORS)
def test_422_names_the_field(body: object, url: str, field: str) -> None:
    status, answer = post(url, body)
    assert status == 422 and answer["code"] == "validation_error"
    assert any(field in error["loc"] for error in answer["detail"])


def test_422_more_rows_than_the_limit() -> None:
    body = {"decision_matrix": [[1.0]] * (MAX_ROWS + 1), "weights": [1],
            "criteria_types": ["cost"]}
    status, answer = post(TOPSIS_URL, body)
    assert status == 422 and "100000" in json.dumps(answer["detail"])


@override_settings(GPUBROKER_MAX_BODY_KB=1, GPUBROKER_MAX_LARGE_BODY_MB=0)
@pytest.mark.parametrize("url", [TOPSIS_URL, ENSEMBLE_URL])
def test_413_body_larger_than_the_server_accepts(url: str) -> None:
    status, body = post(url, {**GOOD, "decision_matrix": [[i, i % 7] for i in range(300)]})
    assert status == 413 and body["code"] == "payload_too_large"
    assert "1024 bytes" in body["detail"]


MATRIX_ROWS = [[1000.5 + i, 2000.25 - i % 97, 3 + i % 5, 4.5 + i % 7] for i in range(300)]
MATRIX_BODY = {"decision_matrix": MATRIX_ROWS, "weights": [4, 3, 2, 1],
               "criteria_types": ["cost", "benefit", "cost", "benefit"]}


@pytest.mark.parametrize("indent", [None, 2])
def test_a_large_matrix_read_straight_into_numpy_ranks_as_its_lists_do(indent: int | None) -> None:
    """Over 1 KiB the request guard parses the matrix to numpy (common.jsonmatrix) and the
    answer is written from numpy arrays: the same numbers as mathcore on the plain lists."""
    from mathcore.ensemble import ensemble
    from mathcore.topsis import topsis

    args = (MATRIX_ROWS, MATRIX_BODY["weights"], MATRIX_BODY["criteria_types"])
    status, body = post(TOPSIS_URL, json.dumps(MATRIX_BODY, indent=indent))
    want = topsis(*args)
    assert status == 200 and body["rankings"] == want.rankings.tolist()
    assert body["scores"] == want.scores.tolist()
    assert body["contributions"] == want.contributions.tolist()
    status, body = post(ENSEMBLE_URL, json.dumps(MATRIX_BODY, indent=indent))
    fused = ensemble(*args)
    assert status == 200 and body["fused_ranking"] == fused.fused_ranking.tolist()
    assert body["scores"] == {k: v.tolist() for k, v in fused.scores.items()}


@pytest.mark.parametrize("bad", ["true", "null", '"7"', "1e400"])
def test_a_large_matrix_with_a_non_number_is_refused_where_it_stands(bad: str) -> None:
    raw = json.dumps(MATRIX_BODY).replace("1000.5", bad, 1)
    status, body = post(TOPSIS_URL, raw)
    assert status in (400, 422) and body["code"] in ("validation_error", "invalid_json")
    if status == 422:
        assert body["detail"][0]["loc"][-3:] == ["decision_matrix", 0, 0]
