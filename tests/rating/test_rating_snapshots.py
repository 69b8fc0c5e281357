"""SVG snapshots of the rating screen (update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

from rating_helpers import SIZE, make_app
from textual.pilot import Pilot


async def half_rated(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.press("4", "3")
    await pilot.pause()


async def saved(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.press("4", "3", "2", "1", "left", "enter")
    await pilot.pause()


async def prose_case(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.press("pagedown", "pagedown")
    await pilot.pause()


def test_blind_case(eval_run: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(eval_run), terminal_size=SIZE, run_before=half_rated)


def test_saved_case_reveals_names(eval_run: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(eval_run), terminal_size=SIZE, run_before=saved)


def test_prose_case(eval_run: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(eval_run), terminal_size=SIZE, run_before=prose_case)
