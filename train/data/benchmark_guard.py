"""Keep the eval benchmark out of training: `convert`, `split` and `corpus` drop (and report)
records and documents that are near duplicates of a benchmark case, or that contain a
benchmark reference's code verbatim. The same MinHash + rapidfuzz confirmation as the test
split's leakage check (`curate.dedupe.find_leaks`), so "near duplicate" means one thing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

DEFAULT_BENCHMARKS = (Path("benchmark/bbj-bench-v1.jsonl"),)
REASON = "benchmark-near-duplicate"


def benchmark_paths(given: Sequence[Path], disabled: bool = False) -> list[Path]:
    """The files to guard against: those given, else the shipped benchmark when present."""
    if disabled:
        return []
    return list(given) or [p for p in DEFAULT_BENCHMARKS if p.is_file()]


def load_benchmark(paths: Sequence[Path]) -> list[Any]:
    """The cases of the benchmark files (`train.eval.cases.CaseError` names a bad line)."""
    from train.eval.cases import load_case_file

    return [case for path in paths for case in load_case_file(path)]


def case_record(case: Any) -> dict[str, Any]:
    """A case as the ChatML record training would hold for it: its request and reference."""
    messages = [{"role": "user", "content": case.prompt}]
    if case.reference:
        messages.append({"role": "assistant", "content": case.reference})
    return {"messages": messages}


def record_code(record: dict[str, Any]) -> str:
    """The BBj code of a record's messages (what a model would learn to write)."""
    from train.eval.scoring import reference_programs

    return "\n".join(code for m in record.get("messages", []) if isinstance(m, dict) for code in reference_programs(str(m.get("content") or "")))


def record_leaks(records: Sequence[dict[str, Any]], ids: Sequence[str], cases: Sequence[Any]) -> dict[str, str]:
    """record id -> id of the benchmark case it near-duplicates: the whole request + answer, or
    its code alone against the reference's code (templates around a copied answer dilute the
    first comparison, not the second)."""
    if not records or not cases:
        return {}
    from curate.dedupe import Item, find_leaks, items_from_chatml

    found: dict[str, str] = {}
    pairs = find_leaks(items_from_chatml(list(records), list(ids)), items_from_chatml([case_record(c) for c in cases], [c.id for c in cases]))
    codes = [Item(rid, code, "source") for rid, record in zip(ids, records, strict=True) if (code := record_code(record)).strip()]
    references = [Item(c.id, code, "source") for c in cases if (code := record_code(case_record(c))).strip()]
    if codes and references:
        pairs += find_leaks(codes, references)
    for pair in pairs:
        found.setdefault(pair.a, pair.b)
    return found


def drop_benchmark_leaks(records: list[dict[str, Any]], cases: Sequence[Any], id_of: Any) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """(kept records, [{"id", "reason"}] of the dropped ones), order kept."""
    leaks = record_leaks(records, [id_of(r) for r in records], cases)
    kept = [r for r in records if id_of(r) not in leaks]
    dropped = [{"id": rid, "reason": f"{REASON}:{case}"} for rid, case in sorted(leaks.items())]
    return kept, dropped


def benchmark_code_blocks(cases: Sequence[Any]) -> list[tuple[str, str]]:
    """(case id#n, code) of every BBj block of every reference: what corpus documents must not contain."""
    from train.eval.scoring import reference_programs

    return [(f"{case.id}#{n}", code) for case in cases for n, code in enumerate(reference_programs(case.reference or ""), start=1)]
