"""Static checks on code beyond compiling: does it call the BBj methods/verbs a correct answer
calls (`must_call`)? And the validation of case files: every reference passes the compile check
and satisfies its own `must_call` (the shipped benchmark is tested with it)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from curate.diagnostics import Diagnostic, Severity
from curate.vocabulary import is_bbj_fence
from train.data.chatml import fenced_blocks
from train.eval.cases import MUST_CALL_MISSING, REFERENCE_FAILS, EvalCase
from train.eval.judge import Judge, render_diagnostics

STRING = re.compile(r'"(?:[^"\n]|"")*"?')
REMARK = re.compile(r"(?im)(^|[;:])\s*(?:\d+\s+)?rem\b.*$")


def code_words(code: str) -> str:
    """The code without string literals and REM remarks (a name in a string is not a call)."""
    return REMARK.sub(r"\1", STRING.sub('""', code))


def missing_calls(code: str | None, names: Sequence[str]) -> list[str]:
    """The names of `must_call` that the code never mentions as a whole token (case-insensitive:
    BBj verbs and method names are)."""
    if not names:
        return []
    text = code_words(code or "")
    return [n for n in names if not re.search(rf"(?i)(?<![\w$!]){_words(n)}(?![\w$!])", text)]


def _words(name: str) -> str:
    """A name as a pattern; the words of a multi-word verb (`READ RECORD`) may be spaced freely."""
    return r"\s+".join(re.escape(word) for word in name.split())


def reference_programs(reference: str) -> list[str]:
    """The BBj code blocks of a Markdown reference answer."""
    return [b.code for b in fenced_blocks(reference) if b.closed and is_bbj_fence(b.language) and b.code.strip()]


def validate_cases(cases: Sequence[EvalCase], judge: Judge) -> list[Diagnostic]:
    """Every code block of every reference passes the check; code cases' references call their
    `must_call`; a code case's reference holds code at all."""
    problems: list[Diagnostic] = []
    blocks = [(case, code) for case in cases for code in reference_programs(case.reference or "")]
    for (case, _), verdict in zip(blocks, judge.judge_many([code for _, code in blocks])):
        if not verdict.passed:
            problems.append(
                _problem(
                    case, REFERENCE_FAILS, f"reference code fails the compile check ({judge.checker.describe()}):\n{render_diagnostics(verdict.diagnostics)}"
                )
            )
    for case in cases:
        programs = reference_programs(case.reference or "")
        if case.expects == "code" and case.reference is not None and not programs:
            problems.append(_problem(case, REFERENCE_FAILS, "a code case's reference holds no ```bbj block"))
        missing = missing_calls("\n".join(programs), case.must_call)
        if missing and case.reference is not None:
            problems.append(_problem(case, MUST_CALL_MISSING, f"reference never calls {', '.join(missing)} (must_call)"))
    return problems


def _problem(case: EvalCase, code: str, message: str) -> Diagnostic:
    path, _, line = case.where.rpartition(":")
    return Diagnostic(path or case.where, int(line) if line.isdigit() else 1, 1, code, Severity.ERROR, f"{case.id}: {message}")
