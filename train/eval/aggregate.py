"""samples.jsonl rows -> a model's metrics and per-category tables (every rate with its 95%
interval). Only code cases (completion, migration) count toward compile@k; prose cases
(comprehension, explanation) get chrF against their reference. compile@1 uses the greedy first
draft only; repair rounds count in their own column only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from train.eval.judge import FABRICATED, STATUSES, UNKNOWN_API
from train.eval.metrics import Rate, bootstrap_mean, pass_at_k, wilson

Row = dict[str, Any]
DIMENSIONS = {
    "generation x type": lambda r: f"{r['generation']} x {r['type']}",
    "difficulty": lambda r: str(r["difficulty"]),
    "topic": lambda r: str(r["topic"] or "-"),
}


def first_drafts(rows: Iterable[Row], expects: str = "code") -> list[Row]:
    return [r for r in rows if r["sample"] == 0 and r["round"] == 0 and r["expects"] == expects]


def _share(rows: Sequence[Row], hit: Any) -> Rate:
    return wilson(sum(1 for r in rows if hit(r)), len(rows))


def compile_at_k(rows: Iterable[Row], k: int) -> Rate:
    """Mean over code cases of the unbiased pass@k over their sampled drafts (sample >= 1), with
    the Wilson interval of that mean over the cases (a bootstrap collapses to a point when every
    case scores 0 or 1, which small sets often do)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        if r["expects"] == "code" and r["round"] == 0 and r["sample"] >= 1:
            counts[r["case_id"]][0] += 1
            counts[r["case_id"]][1] += r["status"] == "ok"
    per_case = [pass_at_k(n, c, k) for n, c in counts.values() if n >= k]
    return wilson(sum(per_case), len(per_case))


def repaired(rows: Iterable[Row]) -> Rate:
    """Share of code cases whose first draft passed at some round (0..N) of the repair loop."""
    best: dict[str, bool] = {}
    for r in rows:
        if r["expects"] == "code" and r["sample"] == 0:
            best[r["case_id"]] = best.get(r["case_id"], False) or r["status"] == "ok"
    return wilson(sum(best.values()), len(best))


def model_metrics(rows: Sequence[Row], ks: Sequence[int], samples: int, repair: int) -> dict[str, Any]:
    code = first_drafts(rows)
    prose = first_drafts(rows, "prose")
    with_must = [r for r in code if r.get("must_call_missing") is not None]
    tokens = [r["output_tokens"] for r in rows if isinstance(r.get("output_tokens"), int)]
    latency = [r["latency_s"] for r in rows if isinstance(r.get("latency_s"), (int, float))]
    metrics: dict[str, Any] = {
        "compile@1": _share(code, lambda r: r["status"] == "ok").to_json(),
        "compile@k": {str(k): compile_at_k(rows, k).to_json() for k in ks if samples >= k} if samples else {},
        "repair": {"rounds": repair, "rate": repaired(rows).to_json()} if repair else None,
        "fabricated_BBJ510": _share(code, lambda r: FABRICATED in r.get("flags", [])).to_json(),
        "unknown_api_BBJ511": _share(code, lambda r: UNKNOWN_API in r.get("flags", [])).to_json(),
        "must_call": _share(with_must, lambda r: not r["must_call_missing"]).to_json(),
        "no_code": _share(code, lambda r: r["status"] == "no-code").to_json(),
        "statuses": {s: sum(r["status"] == s for r in code) for s in STATUSES},
        "chrf": bootstrap_mean([r["chrf"] for r in prose if r.get("chrf") is not None]).to_json(),
        "code_cases": len(code),
        "prose_cases": len(prose),
        "completions": len(rows),
        "mean_output_tokens": round(sum(tokens) / len(tokens), 2) if tokens else None,
        "mean_latency_s": round(sum(latency) / len(latency), 4) if latency else None,
    }
    return metrics


def categories(rows: Sequence[Row]) -> dict[str, dict[str, Any]]:
    """compile@1 of the greedy first drafts per generation x type, difficulty and topic."""
    code = first_drafts(rows)
    tables: dict[str, dict[str, Any]] = {}
    for dimension, key in DIMENSIONS.items():
        groups: dict[str, list[Row]] = defaultdict(list)
        for r in code:
            groups[key(r)].append(r)
        tables[dimension] = {name: _share(group, lambda r: r["status"] == "ok").to_json() for name, group in sorted(groups.items())}
    return tables
