"""Model answers as Markdown: prose and fenced code blocks, in order. Used to colour answers
in the rating screen and to turn an answer into an example (code blocks vs explanation)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from curate.example import FENCE_OPEN
from curate.vocabulary import is_bbj_fence


@dataclass(frozen=True)
class Segment:
    """Prose (`language` None) or the inside of one fenced block (`language` its tag)."""

    text: str
    language: str | None = None

    @property
    def is_bbj(self) -> bool:
        return self.language is not None and is_bbj_fence(self.language)


def segments(markdown: str) -> list[Segment]:
    """Split at fences (an unclosed fence runs to the end, as Markdown renders it)."""
    lines = markdown.split("\n")
    parts: list[Segment] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        opener = FENCE_OPEN.match(lines[i])
        if opener is None:
            prose.append(lines[i])
            i += 1
            continue
        marker = opener.group(2)
        closer = re.compile(r"^ {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$")
        j = i + 1
        while j < len(lines) and not closer.match(lines[j]):
            j += 1
        if "\n".join(prose).strip():
            parts.append(Segment("\n".join(prose).strip("\n")))
        prose = []
        parts.append(Segment("\n".join(lines[i + 1 : j]), opener.group(3).lower()))
        i = j + 1
    if "\n".join(prose).strip():
        parts.append(Segment("\n".join(prose).strip("\n")))
    return parts


def code_blocks(markdown: str) -> list[str]:
    """The BBj blocks (tagged bbj or an alias, or untagged) of a Markdown text."""
    return [s.text for s in segments(markdown) if s.language is not None and (s.is_bbj or s.language == "")]


def prose(markdown: str) -> str:
    """The text outside the fences, paragraphs kept."""
    return "\n\n".join(s.text.strip() for s in segments(markdown) if s.language is None).strip()
