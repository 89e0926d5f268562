"""Rank estimated offers for a workload with TOPSIS (mathcore.topsis).

Criteria, per offer, from its estimate:
  cost      USD to finish the job (when `tokens` is given) or USD per million tokens (cost)
  speed     tokens/s of the whole offer (benefit)
  headroom  GPU memory left per GPU after the job, GB (benefit)
A criterion with the same value for every offer cannot separate them and is left out
(with a note). Scores are TOPSIS closeness in [0, 1]; contributions add up to score - 0.5.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mathcore.errors import MathInputError
from mathcore.topsis import topsis

CRITERIA = {"cost": "cost", "speed": "benefit", "headroom": "benefit"}
DEFAULT_WEIGHTS = {"cost": 0.6, "speed": 0.3, "headroom": 0.1}


@dataclass(frozen=True)
class Ranked:
    """Index into the candidates, TOPSIS score and per-criterion contributions."""

    index: int
    score: float
    contributions: dict[str, float]


def criteria_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """The weights to rank with: defaults, overridden by the caller's (named criteria only)."""
    chosen = dict(DEFAULT_WEIGHTS)
    for name, value in (weights or {}).items():
        if name not in CRITERIA:
            raise MathInputError(f"unknown criterion {name!r} in weights; criteria: "
                                 f"{', '.join(CRITERIA)}")
        chosen[name] = value
    if any(not v >= 0 for v in chosen.values()) or sum(chosen.values()) <= 0:
        raise MathInputError("weights must be >= 0 and not all 0")
    return chosen


def rank_candidates(rows: Sequence[Mapping[str, float]], weights: Mapping[str, float],
                    limit: int | None = None) -> tuple[list[Ranked], list[str]]:
    """Candidates (dicts of the CRITERIA values) ranked best first, and notes; ``limit``:
    only the first ``limit`` of them (every row is still scored)."""
    if not rows:
        return [], []
    used = [c for c in CRITERIA if weights[c] > 0 and len({r[c] for r in rows}) > 1]
    notes = [f"criterion {c!r} left out: every offer has the same value" for c in CRITERIA
             if weights[c] > 0 and c not in used]
    if len(rows) < 2 or not used:
        return [Ranked(i, 0.5, {}) for i in range(len(rows))][:limit], notes
    result = topsis([[r[c] for c in used] for r in rows], [weights[c] for c in used],
                    [CRITERIA[c] for c in used], criteria_names=used)
    ranked = [Ranked(int(i), float(result.scores[i]),
                     {c: float(result.contributions[i][j]) for j, c in enumerate(used)})
              for i in result.rankings[:limit]]
    return ranked, notes
