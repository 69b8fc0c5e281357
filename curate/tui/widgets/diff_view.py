"""Two texts side by side with their differences marked: whole lines that only one side has,
and inside lines that changed, the characters that differ (difflib on lines, then on chars).

The two sides are one table (line number and text per side), so a long line wraps inside its
column and both sides stay aligned row by row: nothing is cut at the pane's edge."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text

GUTTER = "dim"
REMOVED_LINE, REMOVED_CHARS = "on #3a1e1e", "bold on #8a2c2c"
ADDED_LINE, ADDED_CHARS = "on #1e3a24", "bold on #2c7a3a"


@dataclass(frozen=True)
class DiffRow:
    """One aligned row: a file line of each side, or None where only the other side has one."""

    left_number: int | None
    left: Text
    right_number: int | None
    right: Text


def _changed_pair(left: str, right: str) -> tuple[Text, Text]:
    """One changed line on each side, with the differing characters emphasised."""
    a, b = Text(left, style=REMOVED_LINE), Text(right, style=ADDED_LINE)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, left, right, autojunk=False).get_opcodes():
        if tag != "equal":
            a.stylize(REMOVED_CHARS, i1, i2)
            b.stylize(ADDED_CHARS, j1, j2)
    return a, b


def diff_rows(left: str, right: str) -> list[DiffRow]:
    """Aligned rows of `left` and `right`, numbered with their lines (1-based)."""
    a, b = left.split("\n"), right.split("\n")
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [DiffRow(i + 1, Text(a[i]), j + 1, Text(b[j])) for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            if i < i2 and j < j2:
                la, lb = _changed_pair(a[i], b[j])
            else:
                la = Text(a[i], style=REMOVED_LINE) if i < i2 else Text("")
                lb = Text(b[j], style=ADDED_LINE) if j < j2 else Text("")
            rows.append(DiffRow(i + 1 if i < i2 else None, la, j + 1 if j < j2 else None, lb))
    return rows


def diff_table(rows: list[DiffRow], left_title: str, right_title: str) -> Table:
    """Both sides in one table that fills the width; long lines wrap (a long word folds)."""
    table = Table(box=None, expand=True, pad_edge=False, padding=(0, 1), header_style="bold", show_edge=False)
    for title in (left_title, right_title):
        table.add_column("", style=GUTTER, justify="right", no_wrap=True)
        table.add_column(Text(title), ratio=1, overflow="fold")
    for row in rows:
        table.add_row(
            str(row.left_number) if row.left_number is not None else "",
            row.left,
            str(row.right_number) if row.right_number is not None else "",
            row.right,
        )
    return table


def similarity(left: str, right: str) -> float:
    """Share of matching lines (difflib ratio), shown beside the detector's own score."""
    return difflib.SequenceMatcher(None, left.split("\n"), right.split("\n"), autojunk=False).ratio()
