"""The answer panes draw only the lines on screen: a long answer scrolls and copies whole, the
next case opens at the top, and it was coloured and wrapped while the reviewer read this one."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from rating_helpers import SIZE, make_app
from textual.content import Content
from textual.geometry import Offset
from textual.selection import Selection

from curate.tui.screens.rating import RatingScreen
from curate.tui.widgets.text_pane import TextPane

LONG = "\n".join(f'print "line {n}"' for n in range(150)) + "\nrem " + " ".join(["a long closing remark"] * 8)


def lengthen_first_answers(run: Path) -> None:
    samples = run / "samples.jsonl"
    lines = samples.read_text("utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("{") and '"case_id": "c1"' in line:
            record = json.loads(line)
            lines[i] = json.dumps({**record, "raw": f"```bbj\n{LONG}\n```\n"})
    samples.write_text("\n".join(lines) + "\n", "utf-8")


def test_long_answer_scrolls_copies_whole_and_next_case_comes_prepared(eval_run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lengthen_first_answers(eval_run)
    wrapped: list[str] = []
    render_strips = Content.render_strips

    def spy(self: Content, *args, **kwargs):  # type: ignore[no-untyped-def]
        wrapped.append(self.plain)
        return render_strips(self, *args, **kwargs)

    monkeypatch.setattr(Content, "render_strips", spy)

    async def scenario() -> None:
        app = make_app(eval_run)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, RatingScreen) and screen.case.id == "c1"
            pane = screen.query_one("#answer-left", TextPane)
            wide = pane.virtual_size.height
            assert wide > 151 and pane.show_vertical_scrollbar  # the closing remark wraps
            assert pane.render_line(0).text.startswith('print "line 0"')
            pane.scroll_end(animate=False, immediate=True)
            await pilot.pause()
            top = round(pane.scroll_y)
            assert top > 100 and pane.render_line(0).text.startswith(f'print "line {top}"')
            assert pane.get_selection(Selection(None, None)) == (LONG, "\n")
            screen.selections = {pane: Selection(Offset(0, top), Offset(5, top + 1))}  # a mouse drag
            await pilot.pause()
            assert screen.get_selected_text() == f'print "line {top}"\nprint'
            backgrounds = [{segment.style.bgcolor for segment in pane.render_line(y) if segment.style} for y in (0, 5)]
            assert backgrounds[0] != backgrounds[1], "the selected line is drawn highlighted"
            screen.selections = {}
            while screen.prefetch_timer is not None:  # the next case is prepared while this one is read
                await pilot.pause(0.02)
            following = [screen.view(1, part).content.plain for part in ("prompt", *app.models)]
            wrapped.clear()
            await pilot.press("pagedown")
            await pilot.pause()
            assert screen.case.id == "c2" and round(pane.scroll_y) == 0
            assert pane.text.content.plain in following
            assert not set(wrapped) & set(following), "showing a prepared case must not wrap its texts again"
            await pilot.press("pageup")
            await pilot.resize_terminal(100, 40)
            await pilot.pause()
            width = pane.scrollable_content_region.width
            assert width == 100 // 2 - 3 and pane.virtual_size.height > wide  # narrower: wrapped again
            pane.scroll_end(animate=False, immediate=True)
            await pilot.pause()
            assert all(pane.render_line(y).cell_length <= width for y in range(pane.size.height))

    asyncio.run(scenario())
