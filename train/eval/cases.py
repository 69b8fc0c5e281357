"""Eval cases: the shipped BBj benchmark, extra JSONL files, and the held-out test split.

A case is a request (messages in the training chat format: the pipeline's system prompt for
the target generation, then the user's words), its categories (generation, type, difficulty,
topic), whether it expects code (completion, migration) or prose (comprehension,
explanation), an optional reference answer and the BBj methods/verbs a correct answer calls.
Bad case files fail with file:line and a stable code (EVL0xx), never a traceback. Test-split
cases that are near duplicates of a train record are dropped and counted."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate.diagnostics import Diagnostic, Severity
from curate.jsonl import JsonLines
from curate.safeio import UnsafeFile, printable_path
from curate.schema import DIFFICULTIES, GENERATIONS, TYPES
from train.eval.prompts import task_messages

BENCHMARK = Path("benchmark/bbj-bench-v1.jsonl")
CODE_TYPES = frozenset({"completion", "migration"})
TOPICS = ("gui", "database", "strings", "file-io", "control-flow", "oop", "dwc")
MAX_CASE_FILE_BYTES = 32 * 1024 * 1024

BAD_JSON = "EVL001"
BAD_FIELD = "EVL002"
REPEATED_ID = "EVL003"
REFERENCE_FAILS = "EVL004"
MUST_CALL_MISSING = "EVL005"
UNREADABLE = "EVL006"
NO_CASES = "EVL007"


class CaseError(Exception):
    """Case files that cannot be used; one diagnostic per problem."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.render() for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass
class EvalCase:
    id: str
    messages: list[dict[str, str]]
    generation: str
    type: str
    difficulty: str
    topic: str | None = None
    from_generation: str | None = None
    reference: str | None = None
    must_call: list[str] = field(default_factory=list)
    source: str = "benchmark"
    where: str = ""  # file:line it came from

    @property
    def prompt(self) -> str:
        return [m["content"] for m in self.messages if m["role"] == "user"][-1]

    @property
    def expects(self) -> str:
        return "code" if self.type in CODE_TYPES else "prose"

    def fingerprint(self) -> str:
        """Hash of what the model sees: part of the completion cache key."""
        return hashlib.sha256(json.dumps(self.messages, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def content_id(prefix: str, data: dict[str, Any]) -> str:
    """A deterministic id for a case without one: the hash of its prompt and categories."""
    keys = ("prompt", "generation", "type", "difficulty", "from_generation")
    digest = hashlib.sha256(json.dumps({k: data.get(k) for k in keys}, sort_keys=True).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:10]}"


def case_problem(where: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(where, line, 1, code, Severity.ERROR, message)


def _check_fields(data: dict[str, Any]) -> list[str]:
    problems = []
    if not isinstance(data.get("prompt"), str) or not data["prompt"].strip():
        problems.append("'prompt' must be a non-empty string")
    choices = {"generation": ("all", *GENERATIONS), "type": TYPES, "difficulty": DIFFICULTIES}
    for key, allowed in choices.items():
        if data.get(key) not in allowed:
            problems.append(f"'{key}' must be one of {', '.join(allowed)}, got {data.get(key)!r}")
    if data.get("topic") is not None and data["topic"] not in TOPICS:
        problems.append(f"'topic' must be one of {', '.join(TOPICS)}, got {data['topic']!r}")
    if data.get("from_generation") is not None and data["from_generation"] not in GENERATIONS:
        problems.append(f"'from_generation' must be one of {', '.join(GENERATIONS)}, got {data['from_generation']!r}")
    if data.get("reference") is not None and not isinstance(data["reference"], str):
        problems.append("'reference' must be a string")
    must = data.get("must_call")
    if must is not None and (not isinstance(must, list) or not all(isinstance(m, str) and m.strip() for m in must)):
        problems.append("'must_call' must be a list of method or verb names")
    if data.get("id") is not None and (not isinstance(data["id"], str) or not data["id"].strip()):
        problems.append("'id' must be a non-empty string")
    return problems


def load_case_file(path: Path, source: str = "benchmark") -> list[EvalCase]:
    """Cases of one JSONL file (benchmark format, docs/evaluation.md); CaseError lists every bad line."""
    where = printable_path(path)
    cases: list[EvalCase] = []
    problems: list[Diagnostic] = []
    seen: dict[str, int] = {}
    reader = JsonLines(path, limit=MAX_CASE_FILE_BYTES)
    try:
        lines = list(reader)
    except UnsafeFile as exc:
        raise CaseError([case_problem(where, 1, UNREADABLE, f"cannot read the case file: {exc.message}")]) from None
    problems.extend(case_problem(where, dropped.line, BAD_JSON, dropped.message) for dropped in reader.dropped)
    for number, data in ((item.line, item.value) for item in lines):
        bad = _check_fields(data)
        if bad:
            problems.extend(case_problem(where, number, BAD_FIELD, message) for message in bad)
            continue
        case_id = data.get("id") or content_id(source.split(":")[0], data)
        if case_id in seen:
            problems.append(case_problem(where, number, REPEATED_ID, f"id {case_id!r} repeats line {seen[case_id]}"))
            continue
        seen[case_id] = number
        generation = data["generation"]
        cases.append(EvalCase(
            case_id, task_messages(data["prompt"], generation, data.get("from_generation")), generation, data["type"],
            data["difficulty"], data.get("topic"), data.get("from_generation"), data.get("reference"),
            list(data.get("must_call") or []), source, f"{where}:{number}",
        ))  # fmt: skip
    if problems:
        raise CaseError(sorted(problems, key=lambda problem: problem.line))
    return cases


def _generation_of(meta: dict[str, Any]) -> str:
    generation = meta.get("generation") or "all"
    return "+".join(str(g) for g in generation) if isinstance(generation, list) else str(generation)


def case_from_record(record: dict[str, Any]) -> EvalCase | None:
    """A test-split ChatML record as a case: every turn up to the last user turn (the system
    prompt the pipeline wrote included) and the assistant reply after it as the reference."""
    messages = [m for m in record.get("messages", []) if isinstance(m, dict)]
    users = [i for i, m in enumerate(messages) if m.get("role") == "user"]
    if not users:
        return None
    last = users[-1]
    raw_meta = record.get("meta")
    meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
    reply = messages[last + 1]["content"] if last + 1 < len(messages) and messages[last + 1].get("role") == "assistant" else None
    kind = str(meta.get("type")) if meta.get("type") in TYPES else "completion"
    return EvalCase(
        f"test-{meta.get('id')}", [{"role": str(m["role"]), "content": str(m.get("content") or "")} for m in messages[: last + 1]],
        _generation_of(meta), kind, str(meta.get("difficulty") or "unknown"), meta.get("topic"), meta.get("from_generation"),
        reply, [], "test-split", f"test.jsonl:{meta.get('id')}",
    )  # fmt: skip


@dataclass
class SplitCases:
    cases: list[EvalCase]
    dropped_near_duplicates: list[tuple[str, str]]  # (test id, train id)
    unusable: int = 0


def cases_from_split(split_dir: Path) -> SplitCases:
    """Cases of `split_dir/test.jsonl`, without those that near-duplicate a train record."""
    from train.data.split import find_split_leaks, read_split, record_id

    splits = read_split(split_dir)
    pairs = find_split_leaks(splits)
    leaked = {pair.a: pair.b for pair in pairs}
    cases: list[EvalCase] = []
    unusable = 0
    for record in sorted(splits["test"], key=record_id):
        if record_id(record) in leaked:
            continue
        case = case_from_record(record)
        if case is None:
            unusable += 1
        else:
            cases.append(case)
    return SplitCases(cases, sorted(leaked.items()), unusable)
