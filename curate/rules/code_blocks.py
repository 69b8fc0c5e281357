"""BBJ301-305: conventions of the fenced code blocks: the fence language, the REM line every
program starts with, empty blocks, and the `<!-- filename: ... -->` names of multi-file programs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from curate.diagnostics import Diagnostic, Severity
from curate.example import FENCE_OPEN, CodeBlock, Example, filename_problem
from curate.rules.base import CatalogueRule, Rule, RuleContext
from curate.rules.sections import CODE, OUTPUT_SECTIONS
from curate.vocabulary import BBJ_FENCE, OUTPUT_FENCE_LANGUAGES, is_bbj_fence

FIXABLE_LANGUAGES = frozenset({"", "basic", "vb", "vbnet"})
REM_LINE = re.compile(r"^[ \t]*(?:[0-9]+[ \t]+)?rem\b", re.IGNORECASE)


def is_output(block: CodeBlock) -> bool:
    return block.section.strip().lower() in OUTPUT_SECTIONS


class FenceLanguageNotBbj(Rule):
    """A code block's fence language is not `bbj`. Blocks under `## Expected Output` or
    `## Expected Behavior` show program output instead and may be `text` or bare.
    `--fix` rewrites the fence line (only it) when the language is empty, `basic`, `vb`
    or `vbnet`; other languages need a person to look.

    Bad:
        ```basic
        print "hello"
        ```
    Good:
        ```bbj
        print "hello"
        ```
    """

    code = "BBJ301"
    name = "fence-language-not-bbj"
    summary = "Code fence language is not 'bbj' (output blocks: 'text' or none)"
    fixable = True

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        for block in example.code_blocks:
            if not block.closed:
                continue  # BBJ110 reports it; its "language" may be a stray closing fence
            if is_output(block):
                if block.language not in OUTPUT_FENCE_LANGUAGES:
                    diag = self.diag(example, block.fence_line, f"output block has language '{block.language}'; use ```text")
                    yield replace(diag, fixable=False)
            elif block.language != BBJ_FENCE:
                shown = block.language or "(none)"
                diag = self.diag(example, block.fence_line, f"code block language is {shown}; use ```bbj")
                yield diag if block.language in FIXABLE_LANGUAGES else replace(diag, fixable=False)

    def fix(self, example: Example, text: str) -> str:
        lines = text.split("\n")
        for block in example.code_blocks:
            if block.closed and not is_output(block) and block.language in FIXABLE_LANGUAGES:
                line = lines[block.fence_line - 1]
                match = FENCE_OPEN.match(line)
                if match:
                    lines[block.fence_line - 1] = match.group(1) + match.group(2) + "bbj" + line[match.end(3) :]
        return "\n".join(lines)


def first_code_line(block: CodeBlock) -> tuple[int, str] | None:
    """(file line, text) of the block's first non-blank line, or None for an empty block."""
    for offset, line in enumerate(block.code.split("\n")):
        if line.strip():
            return block.first_line + offset, line
    return None


class MissingRemHeader(Rule):
    """A `bbj` program under `## Code` does not start with a `REM` comment saying what it does
    (case-insensitive; a line number prefix such as `0010 REM` counts). Blocks fenced as
    `basic`, `vb`, `vbnet` or bare count as bbj here. Snippets in other sections are excerpts
    and are not checked.

    Bad:
        ```bbj
        print "hello"
        ```
    Good:
        ```bbj
        rem Greet the user
        print "hello"
        ```
    """

    code = "BBJ302"
    name = "missing-rem-header"
    summary = "Program does not start with a REM comment"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        for block in example.blocks_in(CODE):
            if not block.closed or not is_bbj_fence(block.language):
                continue
            first = first_code_line(block)
            if first and not REM_LINE.match(first[1]):
                yield self.diag(example, first[0], "program should start with a REM comment that says what it does")


class EmptyCodeBlock(Rule):
    """A code block has no content.

    Bad:
        ```bbj
        ```
    Good:
        ```bbj
        rem Greet the user
        print "hello"
        ```
    """

    code = "BBJ303"
    name = "empty-code-block"
    summary = "Code block is empty"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        for block in example.code_blocks:
            if block.closed and not block.code.strip():
                yield self.diag(example, block.fence_line, "code block is empty")


class UnsafeFilename(Rule):
    """A `<!-- filename: ... -->` comment names a path that is empty, absolute, has a drive
    letter, a backslash, a `..` part or a control character: it must be a plain relative path.

    Bad:
        <!-- filename: ../../etc/passwd -->
        <!-- filename: C:\\bbj\\main.bbj -->
    Good:
        <!-- filename: lib/util.bbj -->
    """

    code = "BBJ304"
    name = "unsafe-filename"
    summary = "filename comment is not a safe relative path"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        for block in example.code_blocks:
            if block.filename is not None:
                problem = filename_problem(block.filename)
                if problem:
                    yield self.diag(example, block.filename_line, f"filename {block.filename!r} {problem}")


def program_of(block: CodeBlock) -> str:
    """Blocks of one program share a name space: a migration's Before and After are two programs."""
    return block.migration_side or ""


class DuplicateFilename(Rule):
    """Two code blocks of one program carry the same `<!-- filename: ... -->` (compared
    case-insensitively, as on Windows and macOS). A migration's Before and After blocks are
    separate programs and may reuse a name.

    Bad:
        <!-- filename: main.bbj -->  (twice in ## Code)
    Good:
        <!-- filename: main.bbj -->
        <!-- filename: util.bbj -->
    """

    code = "BBJ305"
    name = "duplicate-filename"
    summary = "Two code blocks of one program have the same filename"

    def check(self, example: Example, ctx: RuleContext) -> Iterable[Diagnostic]:
        seen: dict[tuple[str, str], int] = {}
        for block in example.code_blocks:
            if not block.filename:
                continue
            key = (program_of(block), block.filename.casefold())
            if key in seen:
                yield self.diag(example, block.filename_line, f"filename {block.filename!r} is already used at line {seen[key]}")
            else:
                seen[key] = block.filename_line


class UnusedNoqa(CatalogueRule):
    """A `rem noqa: CODE` comment (`curate.noqa`) whose code silenced nothing on its line, or
    names no rule: it would hide a later, unrelated finding, or a typo silences nothing (as
    ruff's RUF100). Judged only for codes the run checked: `bbj-curate lint` leaves compile
    codes alone. Reported by `bbj-curate check`/`lint` and the hooks after the other checks.

    Bad:
        print "hello" ; rem noqa: BBJ510
    Good:
        print "hello"
        x = 1 ; rem noqa: BBJ401 (a deliberate vpro5 call in a bbj-gui example)
    """

    code = "BBJ306"
    name = "unused-noqa"
    summary = "A `rem noqa:` code suppresses nothing on its line, or names no rule"
    severity = Severity.WARNING
