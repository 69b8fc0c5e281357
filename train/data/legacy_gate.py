"""The compile gate for legacy records: the same check curated examples pass. Every BBj block of
every turn (fences labelled as BBj or retagged by the import) is compiled with the checker
`bbj-curate check` would use (bbjcpl when found, else the built-in one), behind the same
verdict cache. A record with a compile error leaves the records that reach the split: the
report lists its diagnostics and `--to-markdown` writes it as a draft to review, unless the
caller keeps it (then its meta says so and the command says how many, loudly)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from curate.config import CurateConfig
from curate.diagnostics import Diagnostic, Severity
from curate.vocabulary import is_bbj_fence
from train.data.chatml import fenced_blocks
from train.data.legacy import ImportResult

COMPILE_REASON = "compile-error"


@dataclass
class GateResult:
    """Error diagnostics per record id, and which checker judged (name and reason)."""

    errors: dict[str, list[Diagnostic]] = field(default_factory=dict)
    checker: str = "none"
    blocks: int = 0


def block_id(record_id: str, turn: int, role: str, block: int) -> str:
    """Where a diagnostic points: `legacy:17 turn 2 (assistant) block 1`; its line is the
    line inside that block."""
    return f"{record_id} turn {turn} ({role}) block {block}"


def compile_records(records: list[dict[str, Any]], config: CurateConfig, checker_name: str | None = None, jobs: int | None = None) -> GateResult:
    """Compile every BBj block of `records`; `checker_name` as `bbj-curate check --checker`."""
    from curate.compile import Program, check_programs, open_cache, select_checker
    from curate.compile.program import block_source

    result = GateResult()
    checker = select_checker(config, checker_name)
    if checker is None:
        return result
    result.checker = checker.describe()
    owner: dict[str, str] = {}
    programs = []
    for record in records:
        record_id = str(record["meta"]["id"])
        for turn, message in enumerate(record["messages"], start=1):
            bbj = [b for b in fenced_blocks(message["content"]) if b.closed and is_bbj_fence(b.language) and b.code.strip()]
            for number, block in enumerate(bbj, start=1):
                where = block_id(record_id, turn, message["role"], number)
                owner[where] = record_id
                programs.append(Program(where, (block_source(block.filename or "block.bbj", block.code, 1),)))
    result.blocks = len(programs)
    cache = open_cache(config)
    try:
        diagnostics = check_programs(programs, checker, cache, jobs)
    finally:
        cache.close()
    for diag in diagnostics:
        if diag.severity is Severity.ERROR:
            result.errors.setdefault(owner[diag.path], []).append(diag)
    return result


def reason(errors: list[Diagnostic]) -> str:
    """The report's drop reason: the first error, and how many more."""
    first = errors[0]
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{COMPILE_REASON}:{first.code} {first.path} line {first.line}: {first.message}{more}"


def apply_gate(result: ImportResult, gate: GateResult, keep: bool) -> list[dict[str, Any]]:
    """Record each failing line's diagnostics in the report; drop its record from
    `result.records` (or, with `keep`, mark it `compile_errors` and keep it). Returns the
    failing records, for the review drafts."""
    failing = [r for r in result.records if r["meta"]["id"] in gate.errors]
    for record in failing:
        errors = gate.errors[record["meta"]["id"]]
        line = int(record["meta"]["line"])
        result.diagnostics[line] = [d.to_json() for d in errors]
        outcome, why = result.outcomes[line]
        if keep:
            record["meta"]["compile_errors"] = len(errors)
            result.outcomes[line] = (outcome, [*why, f"kept-despite-{reason(errors)}"])
        else:
            result.outcomes[line] = ("dropped", [*why, reason(errors)])
    if not keep:
        result.records = [r for r in result.records if r["meta"]["id"] not in gate.errors]
    return failing
