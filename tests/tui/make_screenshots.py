"""Regenerate the SVG screenshots in docs/screenshots/ from the tests' example set:

    .venv/bin/python tests/tui/make_screenshots.py

Each one is `app.save_screenshot()` at one step of a real session (not a test: it writes docs)."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "docs" / "screenshots"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from textual.widgets import OptionList  # noqa: E402
from tui_helpers import SIZE, make_app, settle, write_data  # noqa: E402


async def session() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:

        async def shot(name: str) -> None:
            await settle(pilot)
            app.save_screenshot(f"review-{name}.svg", str(OUT))

        await shot("browser")
        await pilot.press("right_square_bracket", "enter")
        await settle(pilot)
        findings = app.screen.query_one("#findings", OptionList)
        findings.focus()
        findings.highlighted = 0
        await pilot.press("enter")
        await shot("example")
        await pilot.press("r", *"not a SQL example: use a real table")
        await shot("reject-note")
        await pilot.press("escape", "escape", "s")
        await shot("stats")
        await pilot.press("escape", "d")
        await shot("duplicates")
        await pilot.press("escape", "c", *"Read a CSV file")
        await shot("new-example")
        await pilot.press("escape", "ctrl+p", *"dup")
        await shot("palette")
        await pilot.press("escape", "question_mark")
        await shot("keys")
        await pilot.press("escape")
        await pilot.resize_terminal(80, 24)
        await shot("browser-80x24")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        write_data(Path(folder))
        os.chdir(folder)
        asyncio.run(session())
    print(f"wrote {len(list(OUT.glob('review-*.svg')))} screenshots to {OUT}")


if __name__ == "__main__":
    main()
