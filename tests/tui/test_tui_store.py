"""The browser's data: the fast front matter pass, filters and sorting."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import FILES

from curate.config import load_config
from curate.tui.store import Entry, Filter, scan, select


@pytest.fixture
def entries(review_data: Path) -> list[Entry]:
    found, problems = scan([Path("training-data")], load_config([Path("training-data")]))
    assert problems == []
    return found


def test_scan_reads_every_front_matter(entries: list[Entry]) -> None:
    assert [e.display for e in entries] == sorted(f"training-data/{name}" for name in FILES)
    reverse = next(e for e in entries if e.display.endswith("reverse.md"))
    assert (reverse.title, reverse.type, reverse.generations, reverse.status, reverse.topic) == (
        "Reverse a string",
        "comprehension",
        ["all"],
        "approved",
        "strings",
    )
    assert all(e.findings is None and e.problem is None for e in entries)


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (Filter(), sorted(FILES)),
        (Filter(generation="bbj-gui"), ["file-io/read-lines.md", "gui/open-window-copy.md", "gui/open-window.md"]),
        (Filter(generation="all"), ["strings/reverse.md"]),
        (Filter(type="completion", topic="gui"), ["gui/open-window-copy.md", "gui/open-window.md"]),
        (Filter(status="needs-work"), ["file-io/read-lines.md"]),
        (Filter(difficulty="advanced"), ["file-io/read-lines.md"]),
        (Filter(text="WINDOW"), ["gui/open-window-copy.md", "gui/open-window.md"]),
        (Filter(text="button customers"), []),
        (Filter(text="ok button"), ["gui/open-window-copy.md"]),
        (Filter(text="count-down"), ["control-flow/count-down.md"]),
        (Filter(text="strings"), ["strings/reverse.md"]),
        (Filter(status="approved", type="completion"), []),
    ],
)
def test_filter(entries: list[Entry], criteria: Filter, expected: list[str]) -> None:
    assert [e.display.removeprefix("training-data/") for e in select(entries, criteria)] == expected


@pytest.mark.parametrize(
    ("key", "reverse", "first", "last"),
    [
        ("title", False, "Count down with a FOR loop", "Show a window with an OK button"),
        ("title", True, "Show a window with an OK button", "Count down with a FOR loop"),
        ("status", False, "Count down with a FOR loop", "Read a text file line by line"),
        ("status", True, "Read a text file line by line", "Open a window with a button"),
        ("difficulty", False, "Count down with a FOR loop", "Read a text file line by line"),
        ("difficulty", True, "Read a text file line by line", "Open a window with a button"),
        ("path", False, "Count down with a FOR loop", "Reverse a string"),
    ],
)
def test_sort(entries: list[Entry], key: str, reverse: bool, first: str, last: str) -> None:
    titles = [e.title for e in select(entries, Filter(), key, reverse)]
    assert (titles[0], titles[-1]) == (first, last)


def test_broken_file_becomes_an_entry_with_its_problem(review_data: Path) -> None:
    (review_data / "training-data" / "gui" / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n", "utf-8")
    (review_data / "training-data" / "gui" / "binary.md").write_bytes(b"---\ntitle: \xff\n---\n")
    found, _ = scan([Path("training-data")], load_config([Path("training-data")]))
    problems = {e.display: e.problem.code for e in found if e.problem}
    assert problems == {"training-data/gui/broken.md": "BBJ103", "training-data/gui/binary.md": "BBJ002"}
    assert all(e.finding_count() == 1 for e in found if e.problem)
