"""Side-by-side diff rendering used by the duplicates view."""

from __future__ import annotations

import pytest
from rich.text import Text

from curate.tui.widgets.diff_view import (
    ADDED_CHARS,
    ADDED_LINE,
    REMOVED_CHARS,
    REMOVED_LINE,
    side_by_side,
)


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
    a, b = side_by_side("x\ny\nz", "x\nz", left_start=10, right_start=20)
    left_lines, right_lines = a.plain.split("\n"), b.plain.split("\n")
    assert len(left_lines) == len(right_lines) == 3
    assert [line.split()[0] for line in left_lines] == ["10", "11", "12"]
    assert right_lines[1].strip() == ""
    assert right_lines[2].split()[0] == "21"
