"""Side-by-side diff rendering used by the duplicates view."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.text import Text

from curate.tui.widgets.diff_view import (
    ADDED_CHARS,
    ADDED_LINE,
    REMOVED_CHARS,
    REMOVED_LINE,
    diff_rows,
    diff_table,
)


def side_by_side(left: str, right: str) -> tuple[Text, Text]:
    """Each side's rows joined into one text, to check which characters are marked."""
    rows = diff_rows(left, right)
    return Text("\n").join(r.left for r in rows), Text("\n").join(r.right for r in rows)


def marked(text: Text, style: str) -> set[int]:
    """Character offsets carrying `style`."""
    return {i for span in text.spans if str(span.style) == style for i in range(span.start, span.end)}


def offsets(text: Text, word: str) -> set[int]:
    start = text.plain.index(word)
    return set(range(start, start + len(word)))


@pytest.mark.parametrize(
    ("left", "right", "removed", "added"),
    [
        ('print "Orders"', 'print "Customers"', "Orders", "Customers"),
        ('x$ = "abc"', 'y$ = "abc"', "x", "y"),
    ],
)
def test_changed_characters_inside_a_changed_line(left: str, right: str, removed: str, added: str) -> None:
    a, b = side_by_side(left, right)
    assert marked(a, REMOVED_CHARS) and marked(a, REMOVED_CHARS) <= offsets(a, removed)
    assert marked(b, ADDED_CHARS) and marked(b, ADDED_CHARS) <= offsets(b, added)


@pytest.mark.parametrize(
    ("left", "right", "removed", "added"),
    [
        ("a = 1\nb = 2\nc = 3", "a = 1\nc = 3", "b = 2", ""),
        ("a = 1\nc = 3", "a = 1\nb = 2\nc = 3", "", "b = 2"),
        ("same\nsame", "same\nsame", "", ""),
    ],
)
def test_lines_only_one_side_has(left: str, right: str, removed: str, added: str) -> None:
    a, b = side_by_side(left, right)
    assert marked(a, REMOVED_LINE) == (offsets(a, removed) if removed else set())
    assert marked(b, ADDED_LINE) == (offsets(b, added) if added else set())
    assert not marked(a, REMOVED_CHARS) and not marked(b, ADDED_CHARS)


def test_sides_stay_aligned_with_file_line_numbers() -> None:
    rows = diff_rows("x\ny\nz", "x\nz")
    assert [(r.left_number, r.left.plain, r.right_number, r.right.plain) for r in rows] == [(1, "x", 1, "x"), (2, "y", None, ""), (3, "z", 2, "z")]


def test_a_long_line_wraps_inside_its_column_instead_of_being_cut() -> None:
    long_line = "print " + " ".join(f"word{i}" for i in range(40))
    console = Console(width=80, record=True, color_system=None)
    console.print(diff_table(diff_rows(long_line, long_line + " extra"), "keeper", "member"))
    shown = console.export_text()
    assert all(len(line) <= 80 for line in shown.splitlines())
    for i in range(40):
        assert shown.count(f"word{i} ") + shown.count(f"word{i}\n") >= 2, i  # every word on both sides
    assert "extra" in shown
