"""`?` in the rating app lists its keys, read from the rating screen's and the app's bindings."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rating_helpers import SIZE, make_app
from textual.binding import Binding

from curate.tui.rating_app import RatingApp
from curate.tui.screens.help import HelpScreen
from curate.tui.screens.rating import RatingScreen


def test_question_mark_lists_the_rating_keys(eval_run: Path) -> None:
    app = make_app(eval_run)

    async def session() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            listed = {s.title: {row.description for row in s.rows} for s in help_screen.sections}
            screen_keys = {b.description for b in RatingScreen.BINDINGS if isinstance(b, Binding) and b.description}
            assert listed["This screen (Rating)"] >= screen_keys
            assert listed["Everywhere"] >= {b.description for b in RatingApp.BINDINGS if isinstance(b, Binding)}
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, RatingScreen)

    asyncio.run(session())
