"""Inter-reviewer agreement on shared ratings: Krippendorff's alpha (any number of reviewers,
missing ratings allowed; interval distance for 1-5 scores, nominal for preferences) and
Cohen's quadratic-weighted kappa per pair of reviewers. Pure Python: the data are small."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

Distance = Callable[[Hashable, Hashable], float]


def nominal(a: Hashable, b: Hashable) -> float:
    return 0.0 if a == b else 1.0


def interval(a: Hashable, b: Hashable) -> float:
    return (float(a) - float(b)) ** 2  # type: ignore[arg-type]


def krippendorff_alpha(units: Mapping[Any, Mapping[str, Any]], distance: Distance = interval) -> float | None:
    """Alpha over `units` (unit -> reviewer -> value); units with fewer than two values are not
    pairable and are left out. None when nothing is pairable or every value is the same."""
    coincidence: dict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for values_by_reviewer in units.values():
        values = list(values_by_reviewer.values())
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidence[(c, k)] += 1.0 / (m - 1)
    totals: dict[Hashable, float] = defaultdict(float)
    for (c, _), weight in coincidence.items():
        totals[c] += weight
    n = sum(totals.values())
    if n <= 1:
        return None
    observed = sum(weight * distance(c, k) for (c, k), weight in coincidence.items())
    expected = sum(totals[c] * totals[k] * distance(c, k) for c in totals for k in totals)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected


def weighted_kappa(pairs: list[tuple[int, int]], categories: range = range(1, 6)) -> float | None:
    """Cohen's kappa with quadratic weights for two reviewers' scores on the same items; None
    when there are no items or no expected disagreement (both always gave one same score)."""
    if not pairs:
        return None
    k = len(categories)
    index = {c: i for i, c in enumerate(categories)}
    observed = [[0.0] * k for _ in range(k)]
    for a, b in pairs:
        observed[index[a]][index[b]] += 1.0
    total = float(len(pairs))
    rows = [sum(row) / total for row in observed]
    cols = [sum(observed[i][j] for i in range(k)) / total for j in range(k)]
    weight = [[(i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]
    disagreement = sum(weight[i][j] * observed[i][j] / total for i in range(k) for j in range(k))
    chance = sum(weight[i][j] * rows[i] * cols[j] for i in range(k) for j in range(k))
    if chance == 0:
        return None
    return 1.0 - disagreement / chance
