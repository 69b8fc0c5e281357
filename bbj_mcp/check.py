"""`check_bbj_code`: one piece of code through the same compile check as the hooks (bbjcpl when
found, else the built-in checker), with the built-in checker's BBJ510/BBJ511 findings in either
case, the same config filters (select/ignore/severity), plus the generation-pattern findings
(BBJ401/BBJ402) when the caller names a target generation."""

from __future__ import annotations

import inspect
from functools import cache

from bbj_mcp.results import CheckResult, Finding
from curate.compile import (
    BuiltinChecker,
    Checker,
    Program,
    check_programs,
    select_checker,
)
from curate.compile.program import block_source
from curate.config import CurateConfig
from curate.diagnostics import Diagnostic, Severity
from curate.example import CodeBlock
from curate.lint import finalize
from curate.noqa import noqa_comments
from curate.rules.generation import (
    CodeContradictsGeneration,
    GenerationAllWithSpecificCode,
    needs,
    offending_hits,
)
from curate.rules.producers import FabricatedSyntax, UnknownApiMethod
from curate.vocabulary import ALL_GENERATIONS

INPUT_NAME = "input.bbj"
FLAG_CODES = frozenset({FabricatedSyntax.code, UnknownApiMethod.code})


class CodeChecker:
    """Holds the chosen checker and the config, so each call only checks."""

    def __init__(self, config: CurateConfig, choice: str = "auto") -> None:
        checker = select_checker(config, choice)
        if checker is None:  # `checker = "none"` in the project config: the tool still checks
            checker = select_checker(config, "auto")
        assert checker is not None
        self.checker: Checker = checker
        self.config = config
        # bbjcpl does not name fabricated constructs or unknown API methods: the built-in
        # checker adds those two findings, as in the eval's judge.
        self.flagger = None if isinstance(checker, BuiltinChecker) else BuiltinChecker()

    def check(self, code: str, generation: str | None = None) -> CheckResult:
        program = Program(INPUT_NAME, (block_source(INPUT_NAME, code, 1),))
        diagnostics = check_programs([program], self.checker, None, jobs=1)
        if self.flagger is not None:
            diagnostics += [d for d in check_programs([program], self.flagger, None, jobs=1) if d.code in FLAG_CODES]
        if generation:
            diagnostics += generation_findings(code, generation)
        # `rem noqa:` is honoured as in an example that trains: a compile error always stays
        kept = sorted(finalize(diagnostics, self.config, noqa=list(noqa_comments(code, 1))), key=Diagnostic.sort_key)
        return CheckResult(
            ok=not any(d.severity is Severity.ERROR for d in kept),
            checker=self.checker.name,
            checker_version=self.checker.version,
            diagnostics=[to_finding(d) for d in kept],
        )


def generation_findings(code: str, generation: str) -> list[Diagnostic]:
    """Code that the requested generation cannot run, from the one generation-pattern table:
    BBJ401 for a named generation, BBJ402 for `all` (portable code may use no specific API)."""
    block = CodeBlock("bbj", code, 0, "code")
    rule = GenerationAllWithSpecificCode if generation == ALL_GENERATIONS else CodeContradictsGeneration
    return [
        Diagnostic(INPUT_NAME, line, 1, rule.code, rule.severity, f"{pattern.what} needs {needs(pattern)}, but the requested generation is {generation}")
        for pattern, line in offending_hits(block, [generation])
    ]


def to_finding(diag: Diagnostic) -> Finding:
    return Finding(line=diag.line, col=diag.col, code=diag.code, severity=diag.severity.value, message=diag.message, hint=diag.hint or hint_for(diag.code))


@cache
def hint_for(code: str) -> str:
    """The rule's summary and the 'Good' form from its docstring (the catalogue `bbj-curate
    rules` shows), so an assistant learns the fix along with the finding."""
    from curate.rules.base import REGISTRY, all_rules

    list(all_rules())
    rule = REGISTRY.get(code)
    if rule is None:
        return ""
    doc = inspect.cleandoc(rule.__doc__ or "")
    good = doc.split("Good:", 1)[1].strip() if "Good:" in doc else ""
    good = " / ".join(line.strip() for line in good.splitlines() if line.strip())
    return f"{rule.summary}. Example of the correct form: {good}" if good else rule.summary
