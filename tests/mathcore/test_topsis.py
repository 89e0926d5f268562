"""TOPSIS: agreement with pymcdm, hand-computed tables, contributions, every rejection."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from pymcdm.methods import TOPSIS
from pymcdm.normalizations import vector_normalization

from mathcore.errors import MathInputError
from mathcore.topsis import topsis
from mathcore.validation import MAX_COLUMNS, MAX_ROWS

A = 0.5 / math.sqrt(2)  # v of a 1 in a [0, 1, 1] column with weight 0.5


def random_problem(seed: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    n_rows, n_cols = int(rng.integers(2, 300)), int(rng.integers(1, 13))
    scale = rng.choice([1e-3, 1.0, 1e4], size=n_cols)
    matrix = rng.uniform(0.01, 100.0, size=(n_rows, n_cols)) * scale
    weights = rng.uniform(0.01, 1.0, size=n_cols)
    kinds = list(rng.choice(["benefit", "cost"], size=n_cols))
    return matrix, weights, kinds


def pymcdm_tables(
    matrix: np.ndarray, weights: np.ndarray, kinds: list[str]
) -> dict[str, np.ndarray]:
    types = np.array([1 if k == "benefit" else -1 for k in kinds])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pymcdm warns about dominated alternatives
        explained = TOPSIS(vector_normalization)(
            matrix, weights / weights.sum(), types, verbose=True)
    return {table.desc.label: table.data for table in explained.results}


@pytest.mark.parametrize("seed", range(60))
def test_scores_equal_pymcdm(seed: int) -> None:
    matrix, weights, kinds = random_problem(seed)
    result = topsis(matrix, weights, kinds)
    expected = pymcdm_tables(matrix, weights, kinds)
    np.testing.assert_allclose(result.scores, expected["pref"], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(result.rankings, np.argsort(-expected["pref"], kind="stable"))


@pytest.mark.parametrize("seed", range(20))
def test_ideal_solutions_match_pymcdm_up_to_its_cost_flip(seed: int) -> None:
    matrix, weights, kinds = random_problem(seed)
    result = topsis(matrix, weights, kinds)
    expected = pymcdm_tables(matrix, weights, kinds)
    cost, unit_weights = np.array([k == "cost" for k in kinds]), weights / weights.sum()
    # pymcdm normalizes cost columns as 1 - r, so its v is w - v there.
    pis = np.where(cost, unit_weights - expected["pis"], expected["pis"])
    nis = np.where(cost, unit_weights - expected["nis"], expected["nis"])
    np.testing.assert_allclose(result.ideal_solution, pis, rtol=0, atol=1e-9)
    np.testing.assert_allclose(result.anti_ideal_solution, nis, rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", range(20))
def test_contributions_sum_to_closeness_minus_half(seed: int) -> None:
    matrix, weights, kinds = random_problem(seed)
    result = topsis(matrix, weights, kinds)
    assert result.contributions.shape == matrix.shape
    np.testing.assert_allclose(
        result.contributions.sum(axis=1), result.scores - 0.5, rtol=0, atol=1e-12)


HAND_CASES = [
    # matrix, weights, kinds, scores, rankings, ideal, anti-ideal, contributions
    ([[3, 4], [4, 3]], [0.5, 0.5], ["benefit", "benefit"], [0.5, 0.5], [0, 1],
     [0.4, 0.4], [0.3, 0.3], [[-0.125, 0.125], [0.125, -0.125]]),
    ([[3, 4], [4, 3]], [0.75, 0.25], ["benefit", "cost"], [0.0, 1.0], [1, 0],
     [0.6, 0.15], [0.45, 0.2], [[-0.45, -0.05], [0.45, 0.05]]),
    ([[0, 1], [1, 0], [1, 1]], [0.5, 0.5], ["benefit", "benefit"], [0.5, 0.5, 1.0], [2, 0, 1],
     [A, A], [0, 0], [[-0.125, 0.125], [0.125, -0.125], [0.25, 0.25]]),
    ([[1], [2], [2]], [1.0], ["benefit"], [0.0, 1.0, 1.0], [1, 2, 0],
     [2 / 3], [1 / 3], [[-0.5], [0.5], [0.5]]),
    ([[1], [2], [2]], [1.0], ["cost"], [1.0, 0.0, 0.0], [0, 1, 2],
     [1 / 3], [2 / 3], [[0.5], [-0.5], [-0.5]]),
]


@pytest.mark.parametrize(
    "matrix, weights, kinds, scores, rankings, ideal, anti, contributions", HAND_CASES)
def test_hand_computed(matrix, weights, kinds, scores, rankings, ideal, anti,
                       contributions) -> None:
    result = topsis(matrix, weights, kinds)
    np.testing.assert_allclose(result.scores, scores, atol=1e-12)
    assert result.rankings.tolist() == rankings
    np.testing.assert_allclose(result.ideal_solution, ideal, atol=1e-12)
    np.testing.assert_allclose(result.anti_ideal_solution, anti, atol=1e-12)
    np.testing.assert_allclose(result.contributions, contributions, atol=1e-12)
    assert result.warnings == ()


def test_weights_not_summing_to_one_are_rescaled_with_a_warning() -> None:
    matrix, kinds = [[3, 4], [4, 3], [1, 9]], ["benefit", "cost"]
    rescaled = topsis(matrix, [3, 1], kinds)
    plain = topsis(matrix, [0.75, 0.25], kinds)
    np.testing.assert_allclose(rescaled.scores, plain.scores, atol=1e-15)
    assert len(rescaled.warnings) == 1 and "summed to 4" in rescaled.warnings[0]


def test_zero_weight_criterion_contributes_nothing() -> None:
    result = topsis([[1, 5], [2, 9], [3, 1]], [1.0, 0.0], ["benefit", "cost"])
    np.testing.assert_allclose(result.contributions[:, 1], 0.0, atol=1e-15)
    np.testing.assert_allclose(result.scores, [0.0, 0.5, 1.0], atol=1e-12)


def test_ties_keep_input_order() -> None:
    result = topsis([[1, 1], [2, 2], [1, 1], [2, 2]], [0.5, 0.5], ["benefit", "benefit"])
    assert result.rankings.tolist() == [1, 3, 0, 2]


def test_criteria_names_appear_in_messages() -> None:
    with pytest.raises(MathInputError, match=r"column 1 \('vram_gb'\)"):
        topsis([[1, 80], [2, 80]], [0.5, 0.5], ["cost", "benefit"],
               criteria_names=["price", "vram_gb"])


GOOD = {"decision_matrix": [[1.0, 2.0], [2.0, 1.0]], "weights": [0.5, 0.5],
        "criteria_types": ["benefit", "cost"]}
NAN, INF = float("nan"), float("inf")
A_ROUNDS = 935.1048875758744  # with the next float up, both weight-normalize to one value

DEGENERATE = [
    ({"decision_matrix": [[1, 5], [2, 5]]}, r"column 1 \('c1'\) has the same value"),
    ({"decision_matrix": [[1, 2]]}, "single row"),
    ({"decision_matrix": [[1, 2], [NAN, 3]]}, r"row 1, column 0 .* is nan"),
    ({"decision_matrix": [[1, INF], [2, 3]]}, r"row 0, column 1 .* is inf"),
    ({"decision_matrix": [[1, 2], [3, -INF]]}, r"row 1, column 1 .* is -inf"),
    ({"weights": [-0.5, 1.5]}, r"weights\[0\] is -0.5: weights must not be negative"),
    ({"weights": [0, 0]}, "weights are all zero"),
    ({"weights": [0.5, NAN]}, r"weights\[1\] is nan"),
    ({"weights": [0.2, 0.3, 0.5]}, "weights has 3 entries; decision_matrix has 2 columns"),
    ({"weights": ["a", 1]}, "weights must be a list of numbers"),
    ({"decision_matrix": [[1, 2], [3]]}, "ragged: row 1 has 1 values, row 0 has 2"),
    ({"decision_matrix": [[1, 2], [3, "x"]]}, "must hold only numbers"),
    ({"decision_matrix": [[1, 2], [3, None]]}, r"row 1, column 1 .* must be finite"),
    ({"criteria_types": ["benefit"]}, "criteria_types has 1 entries; decision_matrix has 2"),
    ({"criteria_types": ["benefit", "max"]}, r"criteria_types\[1\] is 'max'"),
    ({"criteria_names": ["a"]}, "criteria_names has 1 entries"),
    ({"decision_matrix": []}, "empty"),
    ({"decision_matrix": [[], []]}, "empty"),
    ({"decision_matrix": [1, 2, 3]}, "must be 2-D"),
    ({"decision_matrix": [[[1], [2]], [[3], [4]]]}, "must be 2-D"),
    ({"decision_matrix": [[1e200, 1], [2e200, 2]]}, r"column 0 .* too large or too small"),
    ({"decision_matrix": [[-1e308, 1], [1e308, 2]]}, r"column 0 .* max - min overflows"),
    ({"weights": [1e308, 1e308]}, "weights sum overflows"),
    ({"decision_matrix": [[A_ROUNDS, 1.0], [np.nextafter(A_ROUNDS, np.inf), 2.0]],
      "weights": [1.0, 0.0]}, "no column separates the rows"),
    ({"decision_matrix": [[1.0, 2.0]] * (MAX_ROWS + 1)}, f"{MAX_ROWS + 1} rows; the limit"),
    ({"decision_matrix": np.arange(2.0 * MAX_ROWS + 2).reshape(-1, 2)}, "the limit is 100000"),
    ({"decision_matrix": [list(range(MAX_COLUMNS + 1)), list(range(1, MAX_COLUMNS + 2))],
      "weights": [1.0] * (MAX_COLUMNS + 1), "criteria_types": ["cost"] * (MAX_COLUMNS + 1)},
     "51 columns; the limit is 50"),
]


@pytest.mark.parametrize("overrides, message", DEGENERATE)
def test_degenerate_input_is_rejected_with_a_named_problem(overrides, message) -> None:
    args = {**GOOD, **overrides}
    with pytest.raises(MathInputError, match=message):
        topsis(args["decision_matrix"], args["weights"], args["criteria_types"],
               criteria_names=args.get("criteria_names"))


def test_input_array_is_not_modified() -> None:
    matrix = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 5.0]])
    before = matrix.copy()
    topsis(matrix, [0.5, 0.5], ["benefit", "cost"])
    np.testing.assert_array_equal(matrix, before)
