"""Leak-free train/validation/test splits.

Each record falls into a split by a stable hash of its id compared with fixed thresholds
(default 80/10/10), so adding records never moves an existing one. Every near-duplicate
cluster goes whole into the split of its member with the smallest hash, and a final check
fails when a test record still has a near duplicate in train."""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate.errors import InputError
from curate.jsonl import JsonLines
from curate.safeio import UnsafeFile, printable_path
from train.data.chatml import conversation_problem
from train.data.templates import stable_fraction

SPLITS = ("train", "validation", "test")
DEFAULT_RATIOS = (0.8, 0.1, 0.1)
DEFAULT_SALT = "bbj-split-v1"
SPLIT_FILES = {name: f"{name}.jsonl" for name in SPLITS}


class SplitInputError(InputError):
    """Input records that cannot be split (unreadable line, missing or repeated id)."""


@dataclass
class SplitResult:
    splits: dict[str, list[dict[str, Any]]]
    clusters: int = 0
    moved_by_cluster: int = 0
    by_stratum: dict[str, dict[str, int]] = field(default_factory=dict)


def parse_ratios(text: str) -> tuple[float, float, float]:
    """'80/10/10' or '0.8,0.1,0.1' -> fractions that sum to 1."""
    parts = [p for p in text.replace(",", "/").split("/") if p.strip()]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"ratios must be numbers like 80/10/10, got {text!r}") from None
    total = sum(values)
    if len(values) != 3 or not all(math.isfinite(v) and v >= 0 for v in values) or not (math.isfinite(total) and total > 0):
        raise ValueError(f"ratios need three finite non-negative numbers (train/validation/test), got {text!r}")
    return values[0] / total, values[1] / total, values[2] / total


def read_records(paths: list[Path]) -> tuple[list[dict[str, Any]], list[Path]]:
    """Records of the given JSONL files, or of every *.jsonl directly inside given folders."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.jsonl")) if path.is_dir() else [path])
    if not files:
        raise SplitInputError(f"no .jsonl files in {', '.join(str(p) for p in paths)}")
    records: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for file in files:
        for where, record in _json_records(file):
            record_id = record.get("meta", {}).get("id") if isinstance(record, dict) and isinstance(record.get("meta"), dict) else None
            if not isinstance(record_id, str) or not record_id or not isinstance(record.get("messages"), list):
                raise SplitInputError(f"{where}: a record needs 'messages' and a string 'meta.id'")
            if problem := conversation_problem(record["messages"]):
                raise SplitInputError(f"{where}: {problem}")
            if record_id in seen:
                raise SplitInputError(f"{where}: id {record_id!r} repeats {seen[record_id]} (use --id-prefix on import)")
            seen[record_id] = where
            records.append(record)
    return records, files


def _json_records(file: Path) -> Iterator[tuple[str, Any]]:
    """(file:line, value) of each non-blank line, read through the guarded JSONL reader; the
    first line it drops (too long, not UTF-8, not JSON, a lone surrogate) raises
    SplitInputError naming it: a split never silently loses a record."""
    name = printable_path(file)
    reader = JsonLines(file, objects=False)
    try:
        for item in reader:
            _refuse_dropped(name, reader)
            yield f"{name}:{item.line}", item.value
    except UnsafeFile as exc:
        raise SplitInputError(f"{name}: {exc.message}") from None
    _refuse_dropped(name, reader)


def _refuse_dropped(name: str, reader: JsonLines) -> None:
    if reader.dropped:
        first = reader.dropped[0]
        raise SplitInputError(f"{name}:{first.line}: {first.message}")


def record_id(record: dict[str, Any]) -> str:
    return str(record["meta"]["id"])


def stratum(record: dict[str, Any]) -> str:
    """generation x type, e.g. 'bbj-gui x completion' (a list of generations joins with '+')."""
    meta = record.get("meta", {})
    generation = meta.get("generation") or "all"
    if isinstance(generation, list):
        generation = "+".join(str(g) for g in generation)
    return f"{generation} x {meta.get('type') or 'unknown'}"


def bucket(fraction: float, ratios: tuple[float, float, float]) -> str:
    if fraction < ratios[0]:
        return "train"
    return "validation" if fraction < ratios[0] + ratios[1] else "test"


def assign(
    records: list[dict[str, Any]],
    ratios: tuple[float, float, float] = DEFAULT_RATIOS,
    salt: str = DEFAULT_SALT,
    dedupe: bool = True,
    threshold: float | None = None,
) -> SplitResult:
    """Split records; near-duplicate clusters stay together."""
    fraction = {record_id(r): stable_fraction(f"{salt}:{record_id(r)}") for r in records}
    chosen = {rid: bucket(value, ratios) for rid, value in fraction.items()}
    clusters = moved = 0
    if dedupe and len(records) > 1:
        from curate.dedupe import DedupeConfig, find_clusters, items_from_chatml

        for cluster in find_clusters(items_from_chatml(records, [record_id(r) for r in records]), DedupeConfig.at(threshold)):
            clusters += 1
            anchor = min(cluster.members, key=lambda member: (fraction[member], member))
            for member in cluster.members:
                if chosen[member] != chosen[anchor]:
                    chosen[member] = chosen[anchor]
                    moved += 1
    result = SplitResult({name: [] for name in SPLITS}, clusters, moved)
    for record in sorted(records, key=record_id):
        name = chosen[record_id(record)]
        result.splits[name].append(record)
        counts = result.by_stratum.setdefault(stratum(record), dict.fromkeys(SPLITS, 0))
        counts[name] += 1
    result.by_stratum = dict(sorted(result.by_stratum.items()))
    return result


def find_split_leaks(splits: dict[str, list[dict[str, Any]]], threshold: float | None = None) -> list[Any]:
    """Pairs (a in test, b in train) of near duplicates: what must never happen."""
    from curate.dedupe import DedupeConfig, find_leaks, items_from_chatml

    test, train = splits.get("test", []), splits.get("train", [])
    if not test or not train:
        return []
    return find_leaks(
        items_from_chatml(test, [record_id(r) for r in test]), items_from_chatml(train, [record_id(r) for r in train]), DedupeConfig.at(threshold)
    )


def read_split(folder: Path, required: tuple[str, ...] = ("train", "test")) -> dict[str, list[dict[str, Any]]]:
    """The records of an existing split folder (a missing file not `required` reads as empty);
    a folder without the required files is not a split: SplitInputError."""
    missing = [SPLIT_FILES[name] for name in required if not os.path.lexists(folder / SPLIT_FILES[name])]
    if missing:
        raise SplitInputError(f"{folder}: no {' or '.join(missing)} here; give a folder written by `bbj-train split`")
    splits: dict[str, list[dict[str, Any]]] = {}
    for name, file in SPLIT_FILES.items():
        path = folder / file
        splits[name] = read_records([path])[0] if os.path.lexists(path) else []
    return splits


def category_counts(splits: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, int]]:
    """Per split: records per generation x type."""
    out: dict[str, dict[str, int]] = {}
    for name, records in splits.items():
        counter: Counter[str] = Counter()
        for record in records:
            counter[stratum(record)] += 1
        out[name] = dict(sorted(counter.items()))
    return out
