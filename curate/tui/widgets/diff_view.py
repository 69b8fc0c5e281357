"""Two texts side by side with their differences marked: whole lines that only one side has,
and inside lines that changed, the characters that differ (difflib on lines, then on chars)."""

from __future__ import annotations

import difflib

from rich.text import Text

GUTTER = "dim"
REMOVED_LINE, REMOVED_CHARS = "on #3a1e1e", "bold on #8a2c2c"
ADDED_LINE, ADDED_CHARS = "on #1e3a24", "bold on #2c7a3a"


def _numbered(text: Text, number: int | None, width: int) -> Text:
    gutter = Text(f"{number:>{width}} " if number is not None else " " * (width + 1), style=GUTTER)
    return gutter + text


def _changed_pair(left: str, right: str) -> tuple[Text, Text]:
    """One changed line on each side, with the differing characters emphasised."""
    a, b = Text(left, style=REMOVED_LINE), Text(right, style=ADDED_LINE)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, left, right, autojunk=False).get_opcodes():
        if tag != "equal":
            a.stylize(REMOVED_CHARS, i1, i2)
            b.stylize(ADDED_CHARS, j1, j2)
    return a, b


def side_by_side(left: str, right: str, left_start: int = 1, right_start: int = 1) -> tuple[Text, Text]:
    """Aligned renderings of `left` and `right` (line numbers start at the given file lines)."""
    a, b = left.split("\n"), right.split("\n")
    width = len(str(max(left_start + len(a), right_start + len(b))))
    out_left: list[Text] = []
    out_right: list[Text] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                out_left.append(_numbered(Text(a[i]), left_start + i, width))
                out_right.append(_numbered(Text(b[j]), right_start + j, width))
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            if i < i2 and j < j2:
                la, lb = _changed_pair(a[i], b[j])
            else:
                la = Text(a[i], style=REMOVED_LINE) if i < i2 else Text("")
                lb = Text(b[j], style=ADDED_LINE) if j < j2 else Text("")
            out_left.append(_numbered(la, left_start + i if i < i2 else None, width))
            out_right.append(_numbered(lb, right_start + j if j < j2 else None, width))
    return Text("\n").join(out_left), Text("\n").join(out_right)


def similarity(left: str, right: str) -> float:
    """Share of matching lines (difflib ratio), shown beside the detector's own score."""
    return difflib.SequenceMatcher(None, left.split("\n"), right.split("\n"), autojunk=False).ratio()
