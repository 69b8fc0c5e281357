"""What may be trained, defined once for `bbj-curate check`, the hooks, `bbj-train convert`, the
split and the review TUI.

An example is trainable when its status is one of the configured `trainable-statuses`
(default: approved) and no check (schema, lint, compile, dedupe) reports an error for it.
Every finding passes `gate` where findings are finalized (`curate.lint.finalize`, which the
check pipeline, the hooks, the TUI and convert all go through):

- `lint_ignore` (or a `rem noqa:` comment, curate.noqa) cannot silence a gate code on an example whose status trains: compile errors
  (BBJ5xx) and the structure a training record is built from (sections, code blocks, migration
  sides). The finding stays, saying that `lint_ignore` was refused; nothing is dropped silently.
- Recorded, not gated: on an example whose status does not train, compile (BBJ5xx) and dedupe
  (BBJ6xx) errors become warnings, so they never block a commit:
  - a rejected example records the decision not to train it: it is never converted and in no
    duplicate cluster;
  - a draft is work in progress: the warnings tell its author what to fix, and they are errors
    again once its status moves on (in-review, approved); it never keeps a duplicate cluster
    (the draft twin of another example carries the finding) and is never converted unless a
    command is told to train drafts (`--status draft`), which gates it like any trained status.
  Every other status (in-review, needs-work) is gated: it claims the example is (nearly) done."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from curate.diagnostics import Diagnostic, Severity
from curate.vocabulary import RECORD_ONLY_STATUSES, UNFINISHED_STATUSES

COMPILE_FAMILY = "BBJ5"
DEDUPE_FAMILY = "BBJ6"
# Structure a training record is built from: without it convert would have to skip the example.
STRUCTURE_CODES = frozenset({"BBJ105", "BBJ107", "BBJ110", "BBJ111"})


def is_gate_code(code: str) -> bool:
    """Codes `lint_ignore` cannot silence on an example whose status trains."""
    return code.startswith(COMPILE_FAMILY) or code in STRUCTURE_CODES


def is_record_only(status: object) -> bool:
    """A status that records the decision not to train (rejected): such a record never reaches
    the split."""
    return status in RECORD_ONLY_STATUSES


def refused_ignore(diag: Diagnostic, status: str, by: str = "lint_ignore") -> Diagnostic:
    """The finding `lint_ignore` or a `rem noqa:` comment (`by`) tried to silence, kept and
    saying so; `status` is empty for code checked without an example (the MCP tool)."""
    article = "an" if status[:1] in ("a", "e", "i", "o", "u") else "a"
    where = f"on {article} {status} example: it would be trained" if status else "in checked code: it would not compile"
    return replace(diag, message=f"{diag.message} [{by} cannot silence {diag.code} {where}]")


def is_gated(status: str, trains: bool) -> bool:
    """Whether compile and dedupe errors block an example of `status` (`trains`: the status is
    one the command trains): always when it trains, else unless it is rejected or a draft."""
    return trains or (status not in RECORD_ONLY_STATUSES and status not in UNFINISHED_STATUSES)


def gate(diag: Diagnostic, status: str, trains: bool) -> Diagnostic:
    """The training gate on one finding of an example of `status`: a compile or dedupe error
    on an example that is not gated (`is_gated`) is reported as a warning, saying why;
    everything else is unchanged."""
    if is_gated(status, trains) or diag.severity is not Severity.ERROR or not diag.code.startswith((COMPILE_FAMILY, DEDUPE_FAMILY)):
        return diag
    why = "never trained" if status in RECORD_ONLY_STATUSES else "an error once the status moves on to in-review or approved"
    return replace(diag, severity=Severity.WARNING, message=f"{diag.message} [not blocking: status {status}, {why}]")


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
