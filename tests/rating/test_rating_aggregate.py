"""The numbers of the Qualitative column on known ratings, and the agreement statistics on
published reference values."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from curate.rating import qualitative_report, qualitative_summary
from curate.rating.aggregate import qualitative_cell, t95, wilson
from curate.rating.agreement import krippendorff_alpha, nominal, weighted_kappa
from curate.rating.store import Rating, append_rating

CODE = ("code_quality", "idiomatic")


def add(run: Path, case: str, who: str, tuned: tuple[int, int], base: tuple[int, int], pref: str, left: str = "tuned") -> None:
    right = "base" if left == "tuned" else "tuned"
    scores = {"tuned": dict(zip(CODE, tuned, strict=True)), "base": dict(zip(CODE, base, strict=True))}
    append_rating(run, Rating(case, who, left, right, scores, pref, None, "t"))


@pytest.fixture
def rated(eval_run: Path) -> Path:
    add(eval_run, "c1", "Ada", (5, 4), (2, 2), "tuned")
    add(eval_run, "c2", "Ada", (4, 4), (4, 3), "tie", left="base")
    add(eval_run, "c1", "Bob", (4, 4), (1, 2), "tuned", left="base")
    add(eval_run, "c2", "Bob", (3, 5), (4, 4), "base")
    add(eval_run, "c2", "Bob", (3, 5), (5, 4), "base")  # re-rated: replaces the line above
    return eval_run


def test_means_intervals_win_rates_and_counts(rated: Path) -> None:
    summary = qualitative_summary(rated)
    tuned, base = summary["tuned"], summary["base"]
    assert tuned["ratings"] == base["ratings"] == 4
    assert tuned["mean"]["code_quality"] == pytest.approx(4.0)  # 5, 4, 4, 3
    assert base["mean"]["idiomatic"] == pytest.approx(2.75)  # 2, 3, 2, 4
    half = t95(3) * math.sqrt(2 / 3) / 2  # sd of 5,4,4,3 is sqrt(2/3)
    assert tuned["interval"]["code_quality"] == pytest.approx([4.0 - half, min(5.0, 4.0 + half)])
    assert tuned["win_rate"] == {"base": pytest.approx(2.5 / 4)}  # two wins, one tie (half), one loss
    assert base["win_rate"] == {"tuned": pytest.approx(1.5 / 4)}
    assert (tuned["wins"], tuned["ties"], tuned["losses"]) == (2, 1, 1)
    assert tuned["win_interval"]["base"] == pytest.approx(wilson(2.5, 4))
    assert "explanation" not in tuned["mean"]
    assert qualitative_cell(tuned).startswith("code 4.0 [")
    assert "62% vs base (n=4)" in qualitative_cell(tuned)


def test_categories_and_agreement(rated: Path) -> None:
    report = qualitative_report(rated)
    assert report["ratings"] == 4 and report["reviewers"] == ["Ada", "Bob"] and report["ties"] == 1
    by_type = report["categories"]["generation x type"]
    assert set(by_type) == {"bbj-gui / completion", "all / completion"}
    assert by_type["bbj-gui / completion"]["tuned"]["win_rate"]["base"] == 1.0
    assert by_type["all / completion"]["tuned"]["mean"]["code_quality"] == pytest.approx(3.5)
    assert set(report["categories"]["difficulty"]) == {"basic", "intermediate"}
    agreement = report["agreement"]
    assert agreement["shared_cases"] == 2
    # preference: c1 both "tuned", c2 "tie" vs "base". Values tuned x2, tie, base (n = 4):
    # observed disagreements 2 (tie-base, base-tie), expected n^2 - sum n_c^2 = 16 - 6 = 10
    assert agreement["alpha"]["preference"] == pytest.approx(1 - (4 - 1) * 2 / 10)
    pairs = [(5, 4), (2, 1), (4, 3), (4, 5)]  # code quality (Ada, Bob) of c1 tuned, c1 base, c2 tuned, c2 base
    assert agreement["kappa"]["Ada | Bob"]["code_quality"] == pytest.approx(weighted_kappa(pairs))


def test_no_ratings_no_qualitative(eval_run: Path) -> None:
    assert qualitative_summary(eval_run) == {}
    assert qualitative_report(eval_run)["agreement"] is None
    assert qualitative_cell(None) == ""


def test_krippendorff_alpha_reference_values() -> None:
    """Krippendorff (2011), 'Computing Krippendorff's alpha-reliability', 4 coders x 12 units."""
    coders = {
        "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    }
    units = {u: {c: v[u] for c, v in coders.items() if v[u] is not None} for u in range(12)}
    assert krippendorff_alpha(units, nominal) == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(units) == pytest.approx(0.849, abs=5e-4)
    assert krippendorff_alpha({1: {"A": 3, "B": 3}}) is None  # no variation: undefined


def test_weighted_kappa_against_the_concordance_identity() -> None:
    """Quadratic-weighted kappa equals 2cov / (var_a + var_b + (mean_a - mean_b)^2)."""
    a, b = [1, 2, 3, 4, 5, 3, 2, 4], [1, 3, 3, 5, 4, 3, 1, 4]
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True)) / n
    va, vb = sum((x - ma) ** 2 for x in a) / n, sum((y - mb) ** 2 for y in b) / n
    assert weighted_kappa(list(zip(a, b, strict=True))) == pytest.approx(2 * cov / (va + vb + (ma - mb) ** 2))
    assert weighted_kappa([(1, 5), (2, 4), (3, 3), (4, 2), (5, 1)]) == pytest.approx(-1.0)
    assert weighted_kappa([(3, 3), (3, 3)]) is None
