"""The Qualitative column of the eval report: mean scores with 95% intervals, win rates of
each model against each other one (ties count half) with Wilson intervals, rating counts,
the same per category, and inter-reviewer agreement when reviewers share cases.

Every saved rating counts once: two reviewers rating the same case give two observations."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

from curate.rating.agreement import (
    interval,
    krippendorff_alpha,
    nominal,
    weighted_kappa,
)
from curate.rating.samples import Case, RunError, load_run
from curate.rating.store import DIMENSIONS, TIE, Rating, load_ratings

Z95 = 1.959963984540054
T95_SMALL = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571}


def t95(df: int) -> float:
    """Two-sided 95% Student t quantile: exact for df <= 5, a Cornish-Fisher expansion above
    (error below 0.002 from df 6 on)."""
    if df in T95_SMALL:
        return T95_SMALL[df]
    z = Z95
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def mean_interval(values: list[float]) -> tuple[float, list[float] | None]:
    """Mean and its 95% t interval (None for a single value), clipped to the 1-5 scale."""
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, None
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t95(n - 1) * sd / math.sqrt(n)
    return mean, [max(1.0, mean - half), min(5.0, mean + half)]


def wilson(successes: float, n: int) -> list[float]:
    """95% Wilson score interval of a proportion (fractional successes: ties count half)."""
    p = successes / n
    denominator = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denominator
    return [max(0.0, centre - half), min(1.0, centre + half)]


def model_table(ratings: Iterable[Rating]) -> dict[str, dict[str, Any]]:
    """model -> mean, interval, win_rate (per opponent), win_interval, counts."""
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    outcomes: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[str, int] = defaultdict(int)
    for rating in ratings:
        for model in rating.models:
            counts[model] += 1
            for dim, value in rating.scores.get(model, {}).items():
                scores[model][dim].append(float(value))
            other = rating.right if model == rating.left else rating.left
            outcomes[model][other].append(rating.outcome(model) or 0.0)
    table: dict[str, dict[str, Any]] = {}
    for model in sorted(counts):
        means: dict[str, float] = {}
        intervals: dict[str, list[float] | None] = {}
        for dim in DIMENSIONS:
            if scores[model][dim]:
                means[dim], intervals[dim] = mean_interval(scores[model][dim])
        results = outcomes[model]
        table[model] = {
            "mean": means,
            "interval": intervals,
            "win_rate": {other: sum(r) / len(r) for other, r in sorted(results.items())},
            "win_interval": {other: wilson(sum(r), len(r)) for other, r in sorted(results.items())},
            "wins": sum(1 for r in results.values() for x in r if x == 1.0),
            "ties": sum(1 for r in results.values() for x in r if x == 0.5),
            "losses": sum(1 for r in results.values() for x in r if x == 0.0),
            "ratings": counts[model],
        }
    return table


def category_tables(ratings: list[Rating], cases: dict[str, Case]) -> dict[str, dict[str, dict[str, Any]]]:
    """The model table per generation x type, per difficulty and per topic."""
    keys = {
        "generation x type": lambda c: f"{c.generation} / {c.type}",
        "difficulty": lambda c: c.difficulty,
        "topic": lambda c: c.topic or "-",
    }
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    for name, key in keys.items():
        groups: dict[str, list[Rating]] = defaultdict(list)
        for rating in ratings:
            case = cases.get(rating.case_id)
            if case is not None:
                groups[key(case)].append(rating)
        tables[name] = {group: model_table(members) for group, members in sorted(groups.items())}
    return tables


def agreement(ratings: list[Rating]) -> dict[str, Any] | None:
    """Alpha per dimension and for the preference over every case two or more reviewers rated,
    and quadratic-weighted kappa per reviewer pair; None when no case has two reviewers."""
    by_case: dict[str, list[Rating]] = defaultdict(list)
    for rating in ratings:
        by_case[rating.case_id].append(rating)
    shared = {case_id: group for case_id, group in by_case.items() if len(group) >= 2}
    if not shared:
        return None
    alpha: dict[str, float | None] = {}
    for dim in DIMENSIONS:
        units = {
            (case_id, model): {r.reviewer: r.scores[model][dim] for r in group if dim in r.scores.get(model, {})}
            for case_id, group in shared.items()
            for model in {m for r in group for m in r.models}
        }
        alpha[dim] = krippendorff_alpha(units, interval)
    alpha["preference"] = krippendorff_alpha({case_id: {r.reviewer: r.preference for r in group} for case_id, group in shared.items()}, nominal)
    reviewers = sorted({r.reviewer for group in shared.values() for r in group})
    kappa: dict[str, dict[str, float | None]] = {}
    for first, second in combinations(reviewers, 2):
        per_dim: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for group in shared.values():
            a = next((r for r in group if r.reviewer == first), None)
            b = next((r for r in group if r.reviewer == second), None)
            if a is None or b is None:
                continue
            for model in set(a.scores) & set(b.scores):
                for dim in set(a.scores[model]) & set(b.scores[model]):
                    per_dim[dim].append((a.scores[model][dim], b.scores[model][dim]))
        if per_dim:
            kappa[f"{first} | {second}"] = {dim: weighted_kappa(per_dim[dim]) for dim in DIMENSIONS if dim in per_dim}
    return {"reviewers": reviewers, "shared_cases": len(shared), "alpha": alpha, "kappa": kappa}


def qualitative_report(run_dir: Path) -> dict[str, Any]:
    """Everything the report shows about human ratings of the run (empty tables when none)."""
    loaded = load_ratings(run_dir)
    ratings = loaded.all()
    try:
        cases = {case.id: case for case in load_run(run_dir).cases}
    except RunError:
        cases = {}
    return {
        "models": model_table(ratings),
        "categories": category_tables(ratings, cases),
        "agreement": agreement(ratings),
        "reviewers": loaded.reviewers(),
        "ratings": len(ratings),
        "ties": sum(1 for r in ratings if r.preference == TIE),
        "dropped": loaded.dropped,
    }


def qualitative_summary(run_dir: Path) -> dict[str, dict[str, Any]]:
    """model -> {"mean", "interval", "win_rate", "ratings", ...}: the eval report's Qualitative
    column (the contract with the report writer); {} when nobody has rated the run."""
    return model_table(load_ratings(run_dir).all())


def qualitative_cell(entry: dict[str, Any] | None) -> str:
    """The one-line Qualitative cell of the report's main table for one model."""
    if not entry or not entry.get("ratings"):
        return ""
    parts = []
    for dim, label in (("code_quality", "code"), ("idiomatic", "idiom"), ("explanation", "expl.")):
        if dim in entry["mean"]:
            bounds = entry["interval"].get(dim)
            shown = f"{entry['mean'][dim]:.1f}" + (f" [{bounds[0]:.1f}-{bounds[1]:.1f}]" if bounds else "")
            parts.append(f"{label} {shown}")
    wins = ", ".join(f"{rate:.0%} vs {other}" for other, rate in entry["win_rate"].items())
    return f"{'; '.join(parts)}; wins {wins} (n={entry['ratings']})"


def _score(entry: dict[str, Any], dim: str) -> str:
    if dim not in entry["mean"]:
        return "-"
    bounds = entry["interval"].get(dim)
    return f"{entry['mean'][dim]:.2f}" + (f" [{bounds[0]:.2f}-{bounds[1]:.2f}]" if bounds else "")


def qualitative_markdown(report: dict[str, Any]) -> list[str]:
    """The eval report's human-rating sections (Markdown lines) from `qualitative_report`."""
    models = report["models"]
    if not models:
        return []
    names = sorted(models)
    lines = [
        "",
        "## Human ratings (blind, side by side)",
        "",
        f"{report['ratings']} ratings by {len(report['reviewers'])} reviewer(s): {', '.join(report['reviewers'])}. Scores 1-5 with 95% t intervals; win rate counts a tie as half a win (95% Wilson interval).",
    ]
    lines += ["", "| Model | code quality | idiomatic | explanation accuracy | win rate | wins / ties / losses | ratings |", "|---|---|---|---|---|---|---|"]
    for name in names:
        entry = models[name]
        wins = "; ".join(
            f"{rate:.0%} vs {other} [{entry['win_interval'][other][0]:.0%}-{entry['win_interval'][other][1]:.0%}]" for other, rate in entry["win_rate"].items()
        )
        lines.append(
            f"| {name} | {_score(entry, 'code_quality')} | {_score(entry, 'idiomatic')} | {_score(entry, 'explanation')} | {wins} | {entry['wins']} / {entry['ties']} / {entry['losses']} | {entry['ratings']} |"
        )
    for dimension, groups in report["categories"].items():
        if not groups:
            continue
        lines += [
            "",
            f"### Human ratings by {dimension}",
            "",
            "| " + " | ".join([dimension, *[f"{n}: idiomatic / win rate (n)" for n in names]]) + " |",
            "|" + "---|" * (len(names) + 1),
        ]
        for group, table in groups.items():
            cells = []
            for name in names:
                entry = table.get(name)
                if not entry:
                    cells.append("-")
                    continue
                win = next(iter(entry["win_rate"].values()), None)
                cells.append(f"{_score(entry, 'idiomatic')} / {'-' if win is None else f'{win:.0%}'} ({entry['ratings']})")
            lines.append("| " + " | ".join([group, *cells]) + " |")
    agreement = report.get("agreement")
    if agreement:
        alpha = agreement["alpha"]
        shown = ", ".join(f"{dim} {'-' if value is None else f'{value:.2f}'}" for dim, value in alpha.items())
        lines += ["", f"Inter-reviewer agreement on {agreement['shared_cases']} shared case(s), Krippendorff's alpha: {shown}."]
        for pair, kappas in agreement["kappa"].items():
            lines.append(f"Weighted kappa (quadratic), {pair}: " + ", ".join(f"{dim} {'-' if k is None else f'{k:.2f}'}" for dim, k in kappas.items()) + ".")
    if report.get("dropped"):
        lines += ["", f"{len(report['dropped'])} ratings line(s) skipped: " + "; ".join(report["dropped"][:5])]
    return lines
