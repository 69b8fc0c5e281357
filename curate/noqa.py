"""Per-line suppression in BBj code, as ruff's `# noqa: E501`: a REM comment on a code line,

    print "x" ; rem noqa: BBJ510
    rem noqa: BBJ302, BBJ401

silences those codes on that line of the example (BBj has one comment form, REM, which may
follow `;`). Codes are exact, separated by commas or spaces, in any case; a comment without
codes silences nothing (a blanket suppression would hide the next, unrelated finding).
`curate.lint.finalize` applies it beside `lint_ignore`, under the same training gate, and
`curate.lint.unused_noqa` reports a code that silenced nothing (BBJ306, as ruff's RUF100)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

UNUSED_NOQA = "BBJ306"
# REM where a word starts (as the lexer reads it), then `noqa:` and the codes.
_NOQA = re.compile(
    r"(?<![.\#\w])rem(?![\w$%!@])[^\n]*?\bnoqa[ \t]*:[ \t]*(?P<codes>[A-Za-z]+[0-9]+(?:[ \t]*,?[ \t]*[A-Za-z]+[0-9]+)*+)",
    re.IGNORECASE,
)
_STRING = re.compile(r'"[^"\n]*+"?')  # a string literal ("" escapes are two adjacent literals)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")


@dataclass(frozen=True, slots=True)
class Noqa:
    """One `rem noqa:` comment: the file line it silences, its column, the codes it names."""

    line: int
    col: int
    codes: tuple[str, ...]


def noqa_comments(code: str, first_line: int) -> Iterator[Noqa]:
    """The noqa comments of a code block whose first line is file line `first_line`; text in
    string literals is never read as a comment."""
    for offset, line in enumerate(code.split("\n")):
        if "noqa" not in line.lower():
            continue
        blanked = _STRING.sub(lambda m: " " * len(m.group()), line)
        match = _NOQA.search(blanked)
        if match:
            yield Noqa(first_line + offset, match.start() + 1, tuple(c.upper() for c in _CODE.findall(match["codes"])))


def by_line(comments: Iterable[Noqa]) -> dict[int, frozenset[str]]:
    found: dict[int, frozenset[str]] = {}
    for comment in comments:
        found[comment.line] = found.get(comment.line, frozenset()) | frozenset(comment.codes)
    return found
