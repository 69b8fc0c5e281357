"""The whole example file, part by part (front matter as YAML, prose as Markdown, each code
block as BBj), every line numbered with its line in the Markdown file, so a finding's line
is the line shown and jumping to it is a scroll to `line - 1`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.syntax import Syntax
from textual.containers import ScrollableContainer
from textual.widgets import Static

from curate.example import Example
from curate.tui.bbj_lexer import BBjLexer
from curate.vocabulary import is_bbj_fence

CLOSING_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")
SYNTAX_THEME = "monokai"


@dataclass(frozen=True)
class Part:
    """Lines first..last (1-based, inclusive) of the file, shown with one lexer."""

    kind: str  # front | text | code
    first: int
    last: int
    language: str = ""


def _code_line_count(lines: list[str], first_line: int, code: str) -> int:
    if code:
        return code.count("\n") + 1
    index = first_line - 1
    return 0 if index >= len(lines) or CLOSING_FENCE.match(lines[index]) else 1


def split_parts(example: Example) -> list[Part]:
    """Cut the file into contiguous parts covering every line exactly once."""
    lines = example.text.split("\n")
    total = len(lines) - 1 if lines and lines[-1] == "" else len(lines)
    parts: list[Part] = []
    front_last = min(example.body_line - 1, total)
    if front_last >= 1:
        parts.append(Part("front", 1, front_last, "yaml"))
    cursor = front_last + 1
    for block in sorted(example.code_blocks, key=lambda b: b.fence_line):
        count = _code_line_count(lines, block.first_line, block.code)
        if count == 0 or block.first_line > total:
            continue
        if block.first_line > cursor:
            parts.append(Part("text", cursor, block.first_line - 1, "markdown"))
        last = min(block.first_line + count - 1, total)
        parts.append(Part("code", block.first_line, last, block.language))
        cursor = last + 1
    if cursor <= total:
        parts.append(Part("text", cursor, total, "markdown"))
    return parts


def render_part(text: str, part: Part, highlight: set[int]) -> Syntax:
    """Syntax over the whole file restricted to the part's lines: the gutter width is the same
    for every part and the numbers are the file's own line numbers."""
    lexer: object = BBjLexer() if part.kind == "code" and is_bbj_fence(part.language) else part.language or "text"
    return Syntax(
        text,
        lexer,  # type: ignore[arg-type]
        theme=SYNTAX_THEME,
        line_numbers=True,
        line_range=(part.first, part.last),
        highlight_lines={line for line in highlight if part.first <= line <= part.last},
        word_wrap=False,
    )


class SourceView(ScrollableContainer, can_focus=True):
    """Scrollable file view; `jump_to(line)` scrolls there and highlights that line."""

    DEFAULT_CSS = """
    SourceView { height: 1fr; overflow-x: auto; }
    SourceView > Static { width: auto; min-width: 100%; height: auto; padding: 0; margin: 0; }
    """

    def __init__(self, example: Example, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.example = example
        self.parts = split_parts(example)
        self.highlighted: set[int] = set()

    def compose(self):  # type: ignore[no-untyped-def]
        for index, part in enumerate(self.parts):
            yield Static(render_part(self.example.text, part, set()), id=f"part-{index}", classes=f"part-{part.kind}")

    def part_of(self, line: int) -> int | None:
        return next((i for i, part in enumerate(self.parts) if part.first <= line <= part.last), None)

    def jump_to(self, line: int) -> None:
        """Highlight `line` (a file line) and scroll it into the upper third of the view."""
        previous = {self.part_of(old) for old in self.highlighted}
        self.highlighted = {line}
        for index in previous | {self.part_of(line)}:
            if index is not None:
                part = self.parts[index]
                self.query_one(f"#part-{index}", Static).update(render_part(self.example.text, part, self.highlighted))
        target = max(line - 1 - self.scrollable_content_region.height // 3, 0)
        self.call_after_refresh(self.scroll_to, y=target, animate=False)
