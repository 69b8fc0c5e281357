"""A virtual table for thousands of rows: it renders only the lines on screen (Textual's Line
API), so replacing all rows after a filter change costs a list assignment, not a re-layout.

Textual's DataTable measures every cell of every new row; refilling it with 10,000 rows took
about 3 s here (bench/bench_tui.py --baseline), far over the 100 ms a filter change may take."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

CellRenderer = Callable[[Any], Sequence["str | Text"]]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None = None  # None: takes the width the other columns leave
    drop: int = 0  # on a narrow terminal columns with drop > 0 are hidden, highest first; 0: always shown


MIN_FLEX_WIDTH = 24  # a narrower flexible column (the title) hides droppable columns instead


class VirtualTable(ScrollView, can_focus=True):
    """Rows of any objects, rendered through `cells(row)`; a fixed header sorts on click."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Open", show=True),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--odd",
    }
    DEFAULT_CSS = """
    VirtualTable { height: 1fr; background: $surface; overflow-x: hidden; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; color: $foreground; }
    VirtualTable > .virtual-table--cursor { background: $block-cursor-blurred-background; }
    VirtualTable:focus > .virtual-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    VirtualTable > .virtual-table--odd { background: $surface-lighten-1; }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class Selected(Message):
        def __init__(self, table: VirtualTable, row: Any) -> None:
            super().__init__()
            self.table, self.row = table, row

    class SortRequested(Message):
        def __init__(self, table: VirtualTable, column: str) -> None:
            super().__init__()
            self.table, self.column = table, column

    def __init__(self, columns: Sequence[Column], cells: CellRenderer, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.cells = cells
        self.rows: list[Any] = []
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._layout: tuple[int, list[tuple[int, int]]] = (-1, [])  # (width, layout): every line of every frame asks

    # -- data ---------------------------------------------------------------------------------

    def set_rows(self, rows: list[Any], keep: Callable[[Any], bool] | None = None) -> None:
        """Replace every row; the cursor stays on the row `keep` picks out when it is still there."""
        self.rows = rows
        index = next((i for i, row in enumerate(rows) if keep(row)), None) if keep else None
        self._resize_virtual(Size(self.size.width, len(rows) + 1))
        self.cursor_row = min(index if index is not None else self.cursor_row, max(len(rows) - 1, 0))
        self.refresh()

    def _resize_virtual(self, size: Size) -> None:
        """A new row count without a layout pass while the scrollbar stays as it is: assigning
        `virtual_size` lays out the whole screen (every filter widget re-rendered), which the
        front matter pass paid on each batch of rows it handed over."""
        if size == self.virtual_size:
            return
        if (size.height > self.scrollable_content_region.height) != self.show_vertical_scrollbar:
            self.virtual_size = size  # the scrollbar comes or goes: the layout must make room
            return
        self.set_reactive(VirtualTable.virtual_size, size)
        self._scroll_update(size)  # Textual's own no-layout path (Widget._size_updated)

    @property
    def current(self) -> Any | None:
        return self.rows[self.cursor_row] if 0 <= self.cursor_row < len(self.rows) else None

    def move_to(self, index: int) -> None:
        if self.rows:
            self.cursor_row = max(0, min(index, len(self.rows) - 1))

    # -- cursor -------------------------------------------------------------------------------

    def watch_cursor_row(self, row: int) -> None:
        visible = max(self.scrollable_content_region.height - 1, 1)
        if row < self.scroll_y:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= self.scroll_y + visible:
            self.scroll_to(y=row - visible + 1, animate=False, immediate=True)
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor_row + direction * max(self.scrollable_content_region.height - 2, 1))

    def action_jump(self, index: int) -> None:
        self.move_to(index if index >= 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None:
                self.post_message(self.SortRequested(self, column.key))
            return
        self.move_to(int(self.scroll_y) + offset.y - 1)
        if event.chain >= 2:
            self.action_select()

    def on_resize(self, _: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)

    # -- rendering ----------------------------------------------------------------------------

    def column_layout(self) -> list[tuple[int, int]]:
        """(column index, width) of the columns shown: the flexible column gets what the fixed
        ones leave; while that is under MIN_FLEX_WIDTH, droppable columns are hidden (the highest
        `drop` first), so a narrow terminal shows fewer columns instead of squeezed ones."""
        width = self.scrollable_content_region.width
        if self._layout[0] == width:
            return self._layout[1]
        shown = list(range(len(self.columns)))
        droppable = sorted((i for i, c in enumerate(self.columns) if c.drop > 0), key=lambda i: -self.columns[i].drop)

        def flex_width() -> int:
            return width - sum((self.columns[i].width or 0) + 1 for i in shown)

        while droppable and flex_width() < MIN_FLEX_WIDTH:
            shown.remove(droppable.pop(0))
        flex = max(flex_width(), 10)
        self._layout = (width, [(i, self.columns[i].width or flex) for i in shown])
        return self._layout[1]

    def _column_at(self, x: int) -> Column | None:
        start = 0
        for index, width in self.column_layout():
            if start <= x < start + width + 1:
                return self.columns[index]
            start += width + 1
        return None

    def _line(self, cells: Sequence[str | Text], style: Style) -> Strip:
        text = Text(no_wrap=True, end="")
        for index, width in self.column_layout():
            cell = cells[index]
            piece = cell.copy() if isinstance(cell, Text) else Text(str(cell))
            piece.truncate(width, overflow="ellipsis", pad=True)
            text.append_text(piece)
            text.append(" ")
        segments = list(text.render(self.app.console, end=""))
        width = self.scrollable_content_region.width
        return Strip(Segment.apply_style(segments, style)).extend_cell_length(width, style).crop(0, width)

    def _header_labels(self) -> list[str]:
        arrow = " ▼" if self.sort_reverse else " ▲"
        return [c.label + (arrow if c.key == self.sort_column else "") for c in self.columns]

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y == 0:
            return self._line(self._header_labels(), base + self.get_component_rich_style("virtual-table--header"))
        index = int(self.scroll_y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(self.scrollable_content_region.width, base)
        style = base
        if index % 2:
            style += self.get_component_rich_style("virtual-table--odd")
        if index == self.cursor_row:
            style += self.get_component_rich_style("virtual-table--cursor")
        return self._line(self.cells(self.rows[index]), style)
