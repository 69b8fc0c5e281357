"""BBJ401-403: the `generation` label against the code, using the table in
`curate.vocabulary.generation_table`. Warnings: a pattern is strong evidence, not proof."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from curate.diagnostics import Diagnostic, Severity
from curate.example import MIGRATION_SIDE, CodeBlock, Example
from curate.rules.base import Rule, RuleContext
from curate.rules.code_blocks import is_output
from curate.rules.sections import CODE
from curate.vocabulary import GENERATION_ALIASES, GENERATIONS
from curate.vocabulary.generation_table import GenerationPattern, pattern_hits

SIDE_KEYS = {"before": "from_generation", "after": "to_generation"}
HEADING_NAME = re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in sorted(GENERATION_ALIASES, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE)
HEADING_GLUE = re.compile(r"^(?:[\s,/&+]|\band\b|\bor\b)*$", re.IGNORECASE)


def heading_generations(text: str) -> list[str] | None:
    """The generations a Before/After heading names, or None when it names something else too."""
    names = [GENERATION_ALIASES[m.group(1).lower()] for m in HEADING_NAME.finditer(text)]
    rest = HEADING_NAME.sub(" ", text)
    return names if names and HEADING_GLUE.match(rest) else None


def labelled_blocks(example: Example) -> Iterator[tuple[CodeBlock, list[str], str]]:
    """(block, generations it must run under, where the label comes from). A migration's
    Before blocks answer to from_generation and After blocks to to_generation; its other
    blocks are commentary and are not checked."""
    if example.type == "migration":
        for block in example.blocks_in(CODE):
            key = SIDE_KEYS.get(block.migration_side or "")
            labels = example.generations_of(key) if key else []
            if labels and all(label in GENERATIONS for label in labels):
                yield block, labels, key or ""
        return
    generations = example.generations
    if generations and "all" not in generations and all(g in GENERATIONS for g in generations):
        for block in example.code_blocks:
            if not is_output(block):
                yield block, generations, "generation"


def offending_hits(block: CodeBlock, generations: list[str]) -> Iterator[tuple[GenerationPattern, int]]:
    """(pattern, file line) of code that runs under none of `generations`, one per line:
    `print (sysgui)'button'(...)` matches two table entries but is one finding."""
    seen: set[int] = set()
    for pattern, offset in pattern_hits(block.code, frozenset(generations)):
        if offset not in seen:
            seen.add(offset)
            yield pattern, block.first_line + offset


class CodeContradictsGeneration(Rule):
    """The code uses an API that a labelled generation does not have: a `character` or
    `vpro5` example calling `getSysGui()` or `addWindow()`, a `dwc` or `bbj-gui` example
    printing Visual PRO/5 mnemonics to SYSGUI, a `bbj-gui` example calling `getWebManager()`.
    With several generations listed (e.g. a comparison of two), code is flagged only when it
    runs under none of them. See docs/rules.md for the pattern table.

    Bad:
        generation: character
        sysgui! = BBjAPI().getSysGui()
    Good:
        generation: bbj-gui
        sysgui! = BBjAPI().getSysGui()
    """

    code = "BBJ401"
    name = "code-contradicts-generation"
    summary = "Code uses an API that the labelled generation does not have"
    severity = Severity.WARNING

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        for block, generations, source in labelled_blocks(example):
            for pattern, line in offending_hits(block, generations):
                yield self.diag(example, line, _message(pattern, generations, source))


def needs(pattern: GenerationPattern) -> str:
    return " or ".join(g for g in GENERATIONS if g in pattern.allowed)


def _message(pattern: GenerationPattern, generations: list[str], source: str) -> str:
    return f"{pattern.what} needs {needs(pattern)}, but {source} is {', '.join(generations)}"


class GenerationAllWithSpecificCode(Rule):
    """An example labelled `generation: all` uses code that only some generations run (any
    entry of the pattern table). Label it with the generations it really targets.

    Bad:
        generation: all
        window! = BBjAPI().getSysGui().addWindow(10,10,200,100,"Hi")
    Good:
        generation: [bbj-gui, dwc]
        window! = BBjAPI().getSysGui().addWindow(10,10,200,100,"Hi")
    """

    code = "BBJ402"
    name = "generation-all-with-specific-code"
    summary = "generation: all, but the code is generation-specific"
    severity = Severity.WARNING

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        if example.type == "migration" or "all" not in example.generations:
            return
        for block in example.code_blocks:
            if is_output(block):
                continue
            for pattern, line in offending_hits(block, ["all"]):
                yield self.diag(example, line, f"{pattern.what} needs {needs(pattern)}, but generation is 'all'")


class MigrationHeadingMismatch(Rule):
    """A migration's `### Before (<name>)` / `### After (<name>)` heading names a generation
    other than its `from_generation` / `to_generation`. Names are compared case-insensitively
    and may be the front matter's (`vpro5`) or the usual human ones (`Visual PRO/5`,
    `Character Mode`, `BBj GUI`, `DWC`). With a list `to_generation: [bbj-gui, dwc]` the After
    heading may name any of them, or several: `### After (BBj GUI/DWC)`.

    Bad:
        from_generation: vpro5
        ### Before (character)
    Good:
        from_generation: vpro5
        ### Before (vpro5)
    """

    code = "BBJ403"
    name = "migration-heading-mismatch"
    summary = "Before/After heading names another generation than from/to_generation"
    severity = Severity.WARNING

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        if example.type != "migration":
            return
        for section in example.sections:
            match = MIGRATION_SIDE.match(section.title) if section.level == 3 else None
            if not match or match.group(2) is None:
                continue
            key = SIDE_KEYS[match.group(1).lower()]
            expected = example.generations_of(key)
            named = heading_generations(match.group(2))
            if expected and all(g in GENERATIONS for g in expected) and (named is None or not set(named) <= set(expected)):
                yield self.diag(example, section.line, f"heading names '{match.group(2).strip()}' but {key} is {', '.join(expected)}")
