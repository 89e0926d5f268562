"""Ensemble members against pymcdm, rank helpers and fusion by hand, every rejection."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from pymcdm.methods import PROMETHEE_II, TOPSIS, VIKOR, WSM
from pymcdm.normalizations import minmax_normalization, vector_normalization

from mathcore.ensemble import METHODS, RRF_K, ensemble, fuse_scores
from mathcore.errors import MathInputError
from mathcore.mcdm import average_ranks, rank_order, vikor_scores
from mathcore.validation import decision_problem


def random_problem(seed: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rng = np.random.default_rng(1000 + seed)
    n_rows, n_cols = int(rng.integers(3, 120)), int(rng.integers(1, 10))
    matrix = rng.uniform(0.01, 100.0, size=(n_rows, n_cols))
    if seed % 3 == 0:  # integer-valued columns: many ties, which PROMETHEE must count right
        matrix = np.round(matrix / 10.0)
        matrix[:2] = [[0.0] * n_cols, [11.0] * n_cols]  # keep no column constant
    weights = rng.uniform(0.01, 1.0, size=n_cols)
    kinds = list(rng.choice(["benefit", "cost"], size=n_cols))
    return matrix, weights, kinds


def pymcdm_scores(method, matrix: np.ndarray, weights: np.ndarray, kinds: list[str]) -> np.ndarray:
    types = np.array([1 if k == "benefit" else -1 for k in kinds])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pymcdm warns about dominated alternatives
        return method(matrix, weights / weights.sum(), types)


PYMCDM = {
    "topsis": (lambda: TOPSIS(vector_normalization), lambda s: s),
    "weighted_sum": (lambda: WSM(minmax_normalization), lambda s: s),
    "vikor": (lambda: VIKOR(v=0.5), lambda q: 1.0 - q),  # ours: 1 - Q, higher is better
    "promethee_ii": (lambda: PROMETHEE_II("usual"), lambda s: s),
}


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("method", METHODS)
def test_member_scores_equal_pymcdm(method: str, seed: int) -> None:
    matrix, weights, kinds = random_problem(seed)
    make, to_ours = PYMCDM[method]
    expected = to_ours(pymcdm_scores(make(), matrix, weights, kinds))
    result = ensemble(matrix, weights, kinds, methods=[method])
    np.testing.assert_allclose(result.scores[method], expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("v", [0.0, 0.25, 1.0])
def test_vikor_v_matches_pymcdm(v: float) -> None:
    matrix, weights, kinds = random_problem(1)
    expected = 1.0 - pymcdm_scores(VIKOR(v=v), matrix, weights, kinds)
    problem = decision_problem(matrix, weights, kinds)
    np.testing.assert_allclose(vikor_scores(problem, v=v), expected, rtol=0, atol=1e-9)


def test_vikor_with_no_spread_in_s_counts_that_term_as_zero() -> None:
    # Each row is best on one of two equal-weight criteria: S and R are the same for both.
    problem = decision_problem([[1, 2], [2, 1]], [0.5, 0.5], ["benefit", "benefit"])
    np.testing.assert_allclose(vikor_scores(problem), [1.0, 1.0])


def test_vikor_v_outside_unit_interval_is_rejected() -> None:
    problem = decision_problem([[1, 2], [2, 1]], [0.5, 0.5], ["benefit", "benefit"])
    with pytest.raises(MathInputError, match="vikor v must be between 0 and 1"):
        vikor_scores(problem, v=1.5)


HAND_SCORES = [
    # method, matrix, weights, kinds, scores
    ("weighted_sum", [[1, 10], [3, 30], [2, 20]], [0.5, 0.5], ["benefit", "cost"],
     [0.5, 0.5, 0.5]),
    ("weighted_sum", [[1, 10], [3, 30], [2, 20]], [0.75, 0.25], ["benefit", "cost"],
     [0.25, 0.75, 0.5]),
    ("promethee_ii", [[1], [2], [2], [3]], [1.0], ["benefit"], [-1.0, 0.0, 0.0, 1.0]),
    ("promethee_ii", [[1, 5], [2, 4], [3, 6]], [0.5, 0.5], ["benefit", "cost"],
     [-0.5, 0.5, 0.0]),
    ("vikor", [[1, 10], [3, 30], [2, 20]], [0.75, 0.25], ["benefit", "cost"], [0.0, 1.0, 0.625]),
]


@pytest.mark.parametrize("method, matrix, weights, kinds, scores", HAND_SCORES)
def test_hand_computed_member_scores(method, matrix, weights, kinds, scores) -> None:
    result = ensemble(matrix, weights, kinds, methods=[method])
    np.testing.assert_allclose(result.scores[method], scores, atol=1e-12)


RANKS = [
    ([0.3, 0.9, 0.5], [1, 2, 0], [3.0, 1.0, 2.0]),
    ([0.5, 0.5, 0.1, 0.5], [0, 1, 3, 2], [2.0, 2.0, 4.0, 2.0]),
    ([1.0, 1.0], [0, 1], [1.5, 1.5]),
]


@pytest.mark.parametrize("scores, order, ranks", RANKS)
def test_rank_order_and_average_ranks(scores, order, ranks) -> None:
    values = np.array(scores)
    assert rank_order(values).tolist() == order
    assert average_ranks(values).tolist() == ranks


FUSION = [
    # two methods' scores over 3 rows; ranks [1,2,3] and [2,1,3]
    ("borda", [[0.9, 0.5, 0.1], [0.4, 0.8, 0.0]], [2 + 1, 1 + 2, 0 + 0]),
    ("rrf", [[0.9, 0.5, 0.1], [0.4, 0.8, 0.0]],
     [1 / 61 + 1 / 62, 1 / 62 + 1 / 61, 2 / 63]),
    ("borda", [[1.0, 1.0, 0.0]], [1.5, 1.5, 0.0]),
]


@pytest.mark.parametrize("fusion, scores, fused", FUSION)
def test_fusion_by_hand(fusion, scores, fused) -> None:
    result = fuse_scores([np.array(s) for s in scores], fusion=fusion)
    np.testing.assert_allclose(result, fused, atol=1e-15)
    assert RRF_K == 60


def test_ensemble_returns_every_method_and_a_fused_ranking() -> None:
    matrix, weights, kinds = random_problem(4)
    result = ensemble(matrix, weights, kinds, fusion="rrf")
    assert list(result.scores) == list(METHODS) == list(result.rankings)
    for method in METHODS:
        assert sorted(result.rankings[method].tolist()) == list(range(len(matrix)))
    assert result.fused_ranking.tolist() == rank_order(result.fused_scores).tolist()
    assert result.warnings and "rescaled" in result.warnings[0]


def test_fused_ranking_puts_a_dominating_row_first() -> None:
    matrix = [[5, 1, 9], [3, 2, 5], [4, 3, 4], [1, 5, 2]]
    for fusion in ("borda", "rrf"):
        result = ensemble(matrix, [0.4, 0.3, 0.3], ["benefit", "cost", "benefit"], fusion=fusion)
        assert result.fused_ranking[0] == 0 and result.fused_ranking[-1] == 3


def test_promethee_runs_on_the_full_row_limit_in_n_log_n() -> None:
    rng = np.random.default_rng(7)
    matrix = rng.uniform(1, 100, size=(100_000, 4))
    result = ensemble(matrix, [0.25] * 4, ["cost", "benefit"] * 2, methods=["promethee_ii"])
    assert abs(result.scores["promethee_ii"].sum()) < 1e-6  # net flows sum to zero


GOOD = ([[1.0, 2.0], [2.0, 1.0]], [0.5, 0.5], ["benefit", "cost"])
REJECTED = [
    ({"methods": []}, "methods is empty"),
    ({"methods": ["topsis", "electre"]}, r"methods\[1\] is 'electre'"),
    ({"methods": ["vikor", "vikor"]}, r"methods\[1\] repeats 'vikor'"),
    ({"fusion": "median"}, "fusion is 'median'; expected 'borda' or 'rrf'"),
]


@pytest.mark.parametrize("kwargs, message", REJECTED)
def test_bad_options_are_rejected(kwargs, message) -> None:
    with pytest.raises(MathInputError, match=message):
        ensemble(*GOOD, **kwargs)


def test_degenerate_matrix_is_rejected_like_topsis() -> None:
    with pytest.raises(MathInputError, match=r"column 0 \('c0'\) has the same value"):
        ensemble([[1, 2], [1, 3]], [0.5, 0.5], ["benefit", "cost"])


def test_fusion_needs_matching_rows() -> None:
    with pytest.raises(MathInputError, match="same rows"):
        fuse_scores([np.array([1.0, 2.0]), np.array([1.0, 2.0, 3.0])])
    with pytest.raises(MathInputError, match="at least one"):
        fuse_scores([])
