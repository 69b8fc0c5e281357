"""The answers a reviewer rates: the first sample, first draft (sample 0, round 0) of each
model for each case of an eval run's `samples.jsonl` (format in docs/evaluation.md).

Every line is accounted for: kept, skipped because it is a later sample or repair round, or
dropped with its line number and the reason (bad JSON, missing field, duplicate)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate.errors import InputError
from curate.jsonl import JsonLines
from curate.safeio import UnsafeFile, read_json_guarded

SAMPLES_FILE = "samples.jsonl"
REPORT_FILE = "report.json"
REQUIRED = ("case_id", "model", "prompt", "raw")
SAMPLES_LIMIT = 1 << 30  # 1 GiB: a million long completions
REPORT_LIMIT = 64 << 20


class RunError(InputError):
    """The folder is not a readable eval run; the message names the file."""


@dataclass(frozen=True)
class Case:
    """What the models were asked, with its category fields."""

    id: str
    prompt: str
    generation: str
    type: str
    difficulty: str
    topic: str | None
    expects: str  # "code" | "prose"
    reference: str | None
    from_generation: str | None = None

    def category(self) -> dict[str, str]:
        return {"generation": self.generation, "type": self.type, "difficulty": self.difficulty, "topic": self.topic or "-"}


@dataclass(frozen=True)
class Answer:
    """One model's answer to one case, with its compile-check result."""

    model: str
    raw: str
    code: str | None
    status: str
    diagnostics: tuple[dict[str, Any], ...] = ()


@dataclass
class EvalRun:
    """Cases in file order, and the answer of each model to each case."""

    path: Path
    name: str
    models: list[str]
    cases: list[Case]
    answers: dict[tuple[str, str], Answer]
    dropped: list[str] = field(default_factory=list)  # "samples.jsonl:12: reason"
    skipped: int = 0  # later samples and repair rounds (not rated)

    def answer(self, case_id: str, model: str) -> Answer | None:
        return self.answers.get((case_id, model))

    def comparable(self, models: tuple[str, str]) -> list[Case]:
        """Cases both models answered."""
        return [c for c in self.cases if (c.id, models[0]) in self.answers and (c.id, models[1]) in self.answers]


def _text(record: dict[str, Any], key: str, default: str = "") -> str:
    value = record.get(key)
    return value if isinstance(value, str) else default


def _case(record: dict[str, Any]) -> Case:
    expects = _text(record, "expects") or ("prose" if record.get("type") in ("comprehension", "explanation") else "code")
    from_generation = record.get("from_generation")
    return Case(
        id=str(record["case_id"]),
        prompt=str(record["prompt"]),
        generation=_text(record, "generation", "all"),
        type=_text(record, "type", "completion"),
        difficulty=_text(record, "difficulty", "-"),
        topic=record.get("topic") if isinstance(record.get("topic"), str) else None,
        expects=expects,
        reference=record.get("reference") if isinstance(record.get("reference"), str) else None,
        from_generation=from_generation if isinstance(from_generation, str) else None,
    )


def _answer(record: dict[str, Any]) -> Answer:
    diagnostics = record.get("diagnostics")
    kept = tuple(d for d in diagnostics if isinstance(d, dict)) if isinstance(diagnostics, list) else ()
    code = record.get("code")
    return Answer(str(record["model"]), str(record["raw"]), code if isinstance(code, str) else None, _text(record, "status", "-"), kept)


def _report_models(run_dir: Path) -> list[str]:
    """Model names in the report's order (the order the release engineer configured)."""
    try:
        report = read_json_guarded(run_dir / REPORT_FILE, REPORT_LIMIT)
        return [str(m["name"]) for m in report.get("models", []) if isinstance(m, dict) and "name" in m]
    except (UnsafeFile, ValueError, TypeError, AttributeError):
        return []


def load_run(run_dir: Path) -> EvalRun:
    """Read `samples.jsonl` of an eval run folder; RunError when there is nothing to read."""
    path = run_dir / SAMPLES_FILE
    if not path.is_file():
        raise RunError(f"{path}: no such file (an eval run folder holds samples.jsonl, written by `bbj-train eval`)")
    cases: dict[str, Case] = {}
    answers: dict[tuple[str, str], Answer] = {}
    dropped: list[str] = []
    skipped = 0
    seen_models: list[str] = []
    reader = JsonLines(path, limit=SAMPLES_LIMIT, max_line_bytes=SAMPLES_LIMIT)
    try:
        lines = list(reader)
    except UnsafeFile as exc:
        raise RunError(f"{path}: {exc.message}") from None
    dropped.extend(f"{SAMPLES_FILE}:{d.line}: {d.message}" for d in reader.dropped)
    for number, record in ((item.line, item.value) for item in lines):
        where = f"{SAMPLES_FILE}:{number}"
        missing = [key for key in REQUIRED if not isinstance(record.get(key), str)]
        if missing:
            dropped.append(f"{where}: missing or not text: {', '.join(missing)}")
            continue
        if record.get("sample", 0) != 0 or record.get("round", 0) != 0:
            skipped += 1
            continue
        key = (str(record["case_id"]), str(record["model"]))
        if key in answers:
            dropped.append(f"{where}: second sample 0 / round 0 of case {key[0]} for {key[1]}; the first is rated")
            continue
        cases.setdefault(key[0], _case(record))
        answers[key] = _answer(record)
        if key[1] not in seen_models:
            seen_models.append(key[1])
    ordered = [m for m in _report_models(run_dir) if m in seen_models]
    models = ordered + [m for m in seen_models if m not in ordered]
    return EvalRun(run_dir, run_dir.name, models, list(cases.values()), answers, dropped, skipped)
