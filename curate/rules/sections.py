"""BBJ105-111, BBJ114: the Markdown body's structure. Which `## ` sections each type needs, empty,
unknown and repeated sections, code blocks that are missing or never closed, and a migration's
`### Before (...)` / `### After (...)` programs."""

from __future__ import annotations

from collections.abc import Iterable

from curate.diagnostics import Diagnostic, Severity
from curate.example import Example, strip_html_comments
from curate.rules.base import Rule, RuleContext
from curate.vocabulary import UNFINISHED_STATUSES

CODE, EXPLANATION = "code", "explanation"
EXPECTED_BEHAVIOR, EXPECTED_OUTPUT = "expected behavior", "expected output"
OUTPUT_SECTIONS = frozenset({EXPECTED_BEHAVIOR, EXPECTED_OUTPUT})
KNOWN_SECTIONS = ("Code", "Expected Behavior", "Expected Output", "Explanation")

# Per type, each entry is a set of alternatives of which one must be present.
REQUIRED_SECTIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "completion": (("Code",), ("Expected Behavior", "Expected Output"), ("Explanation",)),
    "comprehension": (("Code",), ("Explanation",)),
    "explanation": (("Explanation",),),
    "migration": (("Code",), ("Explanation",)),
}
TYPES_WITH_CODE_SECTION = frozenset({"completion", "comprehension", "migration"})


def type_line(example: Example) -> int:
    """Where a finding that follows from the example's type points: the `type:` key."""
    return example.line_of_key("type")


def body_fallback_line(example: Example) -> int:
    """The first body line, clamped to the file (a file may end right after its front matter)."""
    return min(example.body_line, example.text.count("\n") + 1)


class MissingSection(Rule):
    """A section the example's type requires is missing (reported at the `type:` line).
    completion: Code, Expected Behavior or Expected Output, Explanation; comprehension and
    migration: Code, Explanation; explanation: Explanation.

    Bad:
        type: completion
        ## Code
        ## Explanation
    Good:
        type: completion
        ## Code
        ## Expected Behavior
        ## Explanation
    """

    code = "BBJ105"
    name = "missing-section"
    summary = "A section required for the example's type is missing"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        present = {s.key for s in example.sections if s.level == 2}
        for alternatives in REQUIRED_SECTIONS.get(example.type, ()):
            if not any(name.lower() in present for name in alternatives):
                wanted = " or ".join(f"'## {name}'" for name in alternatives)
                yield self.diag(example, type_line(example), f"a {example.type} example needs a {wanted} section")


class EmptySection(Rule):
    """A section has nothing under its heading (HTML comments do not count as content).

    Bad:
        ## Explanation

        ## Code
    Good:
        ## Explanation
        Opens the file, reads one record and closes it.
    """

    code = "BBJ106"
    name = "empty-section"
    summary = "Section heading with no content"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        for section in example.sections:
            body = strip_html_comments(section.body)
            if not body.strip():
                yield self.diag(example, section.line, f"section '{section.title}' is empty")


class NoCodeBlock(Rule):
    """No fenced code block where the type needs one: in `## Code` for completion,
    comprehension and migration; anywhere in the file for an explanation.

    Bad:
        ## Code
        Open the file and read it.
    Good:
        ## Code
        ```bbj
        rem read one record
        read (1,key="A")name$
        ```
    """

    code = "BBJ107"
    name = "no-code-block"
    summary = "No fenced code block where the type needs one"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        if example.type in TYPES_WITH_CODE_SECTION:
            section = example.section(CODE)
            if section is not None and not example.blocks_in(CODE):
                yield self.diag(example, section.line, "the 'Code' section has no fenced code block")
        elif not example.code_blocks:
            section = example.section(EXPLANATION)
            line = section.line if section else body_fallback_line(example)
            yield self.diag(example, line, "the example has no fenced code block")


class UnknownSection(Rule):
    """A `## ` heading that is not one of Code, Expected Behavior, Expected Output,
    Explanation (case-insensitive). Extra sections are allowed but flagged, so a typo such as
    `## Explaination` is caught; add the code to `lint_ignore` to keep a deliberate one.

    Bad:
        ## Explaination
    Good:
        ## Explanation
    """

    code = "BBJ108"
    name = "unknown-section"
    summary = "Section heading is not one of the known sections"
    severity = Severity.WARNING

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        known = {name.lower() for name in KNOWN_SECTIONS}
        for section in example.sections:
            if section.level == 2 and section.key not in known:
                yield self.diag(example, section.line, f"unknown section '{section.title}'", hint=f"known sections: {', '.join(KNOWN_SECTIONS)}")


class DuplicateSection(Rule):
    """The same `## ` section appears twice; only the first would be used.

    Bad:
        ## Code
        ## Explanation
        ## Code
    Good:
        ## Code
        ## Explanation
    """

    code = "BBJ109"
    name = "duplicate-section"
    summary = "Section appears more than once"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        first: dict[str, int] = {}
        for section in example.sections:
            if section.level != 2:
                continue
            if section.key in first:
                yield self.diag(example, section.line, f"section '{section.title}' repeats the one at line {first[section.key]}")
            else:
                first[section.key] = section.line


class UnterminatedCodeFence(Rule):
    """A code fence is opened but never closed, so the rest of the file became code.

    Bad:
        ```bbj
        print "hello"
        ## Explanation
    Good:
        ```bbj
        print "hello"
        ```
        ## Explanation
    """

    code = "BBJ110"
    name = "unterminated-code-fence"
    summary = "Code fence is never closed"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        for block in example.code_blocks:
            if not block.closed:
                yield self.diag(example, block.fence_line, "code fence is never closed")


class MissingMigrationSide(Rule):
    """A migration needs both programs under `## Code`: a code block under
    `### Before (<from>)` and one under `### After (<to>)`.

    Bad:
        ## Code
        ```bbj
        ...
        ```
    Good:
        ## Code
        ### Before (vpro5)
        ```bbj
        ...
        ```
        ### After (bbj-gui)
        ```bbj
        ...
        ```
    """

    code = "BBJ111"
    name = "missing-migration-side"
    summary = "Migration lacks a Before or an After code block"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        if example.type != "migration":
            return
        section = example.section(CODE)
        line = section.line if section else type_line(example)
        sides = {block.migration_side for block in example.blocks_in(CODE)}
        for side in ("before", "after"):
            if side not in sides:
                yield self.diag(example, line, f"migration has no code block under '### {side.title()} (...)' in '## Code'")


class SkeletonText(Rule):
    """A placeholder sentence of the `bbj-curate new` skeleton (`TODO: ...`) is still in the file
    although the example is past `draft`: a reviewer would approve text and code nobody wrote.

    Bad:
        status: in-review
        ## Explanation
        TODO: explain how the code works and why it is written this way.
    Good:
        status: in-review
        ## Explanation
        Opens the file, reads one record and closes it.
    """

    code = "BBJ114"
    name = "skeleton-text"
    summary = "Skeleton placeholder (TODO:) left in an example past draft"
    severity = Severity.WARNING

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        from curate.templates import PLACEHOLDERS

        if example.status in UNFINISHED_STATUSES:
            return
        lines = example.text.split("\n")
        for number in range(example.body_line, len(lines) + 1):
            line = lines[number - 1]
            for placeholder in PLACEHOLDERS:
                if placeholder in line:
                    yield self.diag(example, number, f"skeleton text left in a '{example.status}' example: {placeholder!r}; write it, or set status back to draft",
                                    col=line.index(placeholder) + 1)  # fmt: skip
