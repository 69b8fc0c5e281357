"""VirtualTable rows that grow batch by batch (the front matter pass): the scroll range and the
scrollbar follow every batch, whether or not the batch needed a layout pass."""

from __future__ import annotations

from textual.app import App, ComposeResult
from tui_helpers import sync

from curate.tui.widgets.table import Column, VirtualTable


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield VirtualTable([Column("n", "N")], lambda row: [str(row)], id="t")


@sync
async def test_growing_rows_keep_scroll_range_and_scrollbar_in_step() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(VirtualTable)
        table.focus()
        table.set_rows(list(range(3)))
        await pilot.pause()
        assert not table.show_vertical_scrollbar and table.max_scroll_y == 0
        for count in (50, 400, 5_000):  # the first batch adds the scrollbar, the others only grow
            table.set_rows(list(range(count)))
            await pilot.pause()
            assert table.virtual_size.height == count + 1
            assert table.show_vertical_scrollbar and table.vertical_scrollbar.window_virtual_size == count + 1  # the thumb's size
            assert table.max_scroll_y == count + 1 - table.scrollable_content_region.height
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 4_999 and table.scroll_y == table.max_scroll_y
        assert "4999" in "".join(segment.text for segment in table.render_line(table.scrollable_content_region.height - 1))
        table.set_rows(list(range(2)))
        await pilot.pause()
        assert not table.show_vertical_scrollbar and table.scroll_y == 0 and table.cursor_row == 1
