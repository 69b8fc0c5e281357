"""What may be trained, defined once for `bbj-curate check`, the hooks, `bbj-train convert`, the
split and the review TUI.

An example is trainable when its status is one of the configured `trainable-statuses`
(default: approved) and no check (schema, lint, compile, dedupe) reports an error for it.
Two consequences are applied where findings are finalized (`curate.lint.finalize`):

- `lint_ignore` (or a `rem noqa:` comment, curate.noqa) cannot silence a gate code on an example whose status trains: compile errors
  (BBJ5xx) and the structure a training record is built from (sections, code blocks, migration
  sides). The finding stays, saying that `lint_ignore` was refused; nothing is dropped silently.
- An example whose `status:` records the decision not to train it (rejected) is not gated by
  the compile and dedupe checks: their errors become warnings on it, so the decision can be
  committed; it is never converted, and it is in no duplicate cluster. A draft is recorded
  too (never converted unless asked for, never a cluster's keeper) but still gated: the hooks
  keep telling its author what to fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from curate.diagnostics import Diagnostic, Severity
from curate.vocabulary import RECORD_ONLY_STATUSES

COMPILE_FAMILY = "BBJ5"
DEDUPE_FAMILY = "BBJ6"
# Structure a training record is built from: without it convert would have to skip the example.
STRUCTURE_CODES = frozenset({"BBJ105", "BBJ107", "BBJ110", "BBJ111"})


def is_gate_code(code: str) -> bool:
    """Codes `lint_ignore` cannot silence on an example whose status trains."""
    return code.startswith(COMPILE_FAMILY) or code in STRUCTURE_CODES


def is_record_only(status: object) -> bool:
    """A status written down as rejected (a file without `status:` is a draft, and gated)."""
    return status in RECORD_ONLY_STATUSES


def refused_ignore(diag: Diagnostic, status: str, by: str = "lint_ignore") -> Diagnostic:
    """The finding `lint_ignore` or a `rem noqa:` comment (`by`) tried to silence, kept and
    saying so; `status` is empty for code checked without an example (the MCP tool)."""
    article = "an" if status[:1] in ("a", "e", "i", "o", "u") else "a"
    where = f"on {article} {status} example: it would be trained" if status else "in checked code: it would not compile"
    return replace(diag, message=f"{diag.message} [{by} cannot silence {diag.code} {where}]")


def not_gated(diag: Diagnostic, status: str) -> Diagnostic:
    """A compile or dedupe error on a rejected example, reported as a warning."""
    if diag.severity is not Severity.ERROR or not diag.code.startswith((COMPILE_FAMILY, DEDUPE_FAMILY)):
        return diag
    return replace(diag, severity=Severity.WARNING, message=f"{diag.message} [not blocking: status {status}, never trained]")


def errors_by_path(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    found: dict[str, list[Diagnostic]] = {}
    for diag in diagnostics:
        if diag.severity is Severity.ERROR:
            found.setdefault(diag.path, []).append(diag)
    return found


def is_trainable(status: str, errors: list[Diagnostic], statuses: Iterable[str] | None) -> bool:
    """The one definition: a status that trains (`statuses=None`: any status that is not
    rejected) and no error-severity finding from any check."""
    allowed = status != "rejected" if statuses is None else status in statuses
    return allowed and not errors


def record_problem(meta: dict[str, object]) -> str | None:
    """Why a converted or imported record must not be trained, for the split: a status that
    only records a decision. (Records reach the split through convert and import-chatml, which
    apply the checks; this catches a hand-made or stale file.)"""
    status = meta.get("status")
    return f"status {status}: never trained" if is_record_only(status) else None


def uncompiled(meta: dict[str, object]) -> int:
    """Compile errors a record was kept with (`import-chatml --keep-uncompiled`)."""
    count = meta.get("compile_errors")
    return count if isinstance(count, int) else 0
