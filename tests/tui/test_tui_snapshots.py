"""SVG snapshots of the main screens on the small fixed data set (update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList
from tui_helpers import SIZE, make_app, settle


async def on_example(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("right_square_bracket", "enter")  # database/bad-type.md, with a finding
    await settle(pilot)
    findings = pilot.app.screen.query_one("#findings", OptionList)
    findings.focus()
    findings.highlighted = 0
    await pilot.press("enter")
    await settle(pilot)


async def on_stats(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)


async def on_duplicates(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)


def test_browser(review_data: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=settle)


def test_example_view(review_data: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=on_example)


def test_stats(review_data: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=on_stats)


def test_duplicates(review_data: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=on_duplicates)


# 80x24, the smallest terminal the app is made for: columns hidden, labels cut with an ellipsis,
# the footer cut at the right with `? Keys` first; nothing wraps letter by letter.
SMALL = (80, 24)


def test_browser_at_80x24(review_data: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=settle)


def test_example_view_at_80x24(review_data: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=on_example)


def test_duplicates_at_80x24(review_data: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=on_duplicates)


async def on_key_help(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


def test_key_help_at_80x24(review_data: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=on_key_help)
