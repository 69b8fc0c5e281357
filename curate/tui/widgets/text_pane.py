"""A read-only, scrollable view of one long coloured text that draws only the lines on screen.

A `Static` in a scrolling container re-wraps and renders its whole text whenever it changes,
then grows, which costs a second layout pass: swapping a 100-line answer for the next one paid
for every line twice. `TextPane` keeps the wrapped lines of each text per width (`PaneText`),
so a text can be wrapped ahead of time (`prepare`) and showing it only swaps the lines: the
screen draws the visible ones. Wrapping, styles and text selection are `Content`'s, as in a
`Static`, so the pane looks and copies the same."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions

WRAPS_KEPT = 2  # widths of one text kept (the pane's, and the last one before a resize)


class PaneText:
    """A text to show in a `TextPane`, with its wrapped lines per (width, base style)."""

    def __init__(self, text: Text | str) -> None:
        self.content = Content.from_rich_text(text)
        self._wraps: dict[tuple[int, Style], list[Strip]] = {}

    def lines(self, width: int, style: Style, options: RenderOptions) -> list[Strip]:
        """The text wrapped at `width` on `style` (no selection drawn), cached."""
        key = (width, style)
        if key not in self._wraps:
            if len(self._wraps) >= WRAPS_KEPT:
                self._wraps.clear()
            self._wraps[key] = self.content.render_strips(width, None, style, options)
        return self._wraps[key]


class TextPane(ScrollView, can_focus=False):
    """Shows one `PaneText`, scrolled to the top each time the text changes. The scrollbar's
    column is always kept (`scrollbar-gutter: stable`), so the wrapping width depends on the
    pane's width only, not on whether this text is taller than the pane. Lines wrap, so there is
    no horizontal scrollbar (with a stable gutter Textual would add its row to an auto height)."""

    DEFAULT_CSS = """
    TextPane { overflow-x: hidden; scrollbar-gutter: stable; scrollbar-size-vertical: 1; scrollbar-size-horizontal: 0; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = PaneText("")
        self._selected: tuple[tuple[Selection, int], list[Strip]] | None = None  # drawn with the selection

    def show(self, text: PaneText) -> None:
        self.text = text
        self._selected = None
        if self.scroll_offset.y:
            self.scroll_to(0, 0, animate=False, immediate=True)
        self._fit()
        self.refresh()

    def prepare(self, text: PaneText) -> None:
        """Wrap `text` for this pane as it is now, so showing it later costs no wrapping."""
        self._wrapped(text, self.scrollable_content_region.width)

    def _wrapped(self, text: PaneText, width: int) -> list[Strip]:
        """`text` wrapped at `width`; the pane's own text with the mouse selection drawn in it,
        wrapped once per selection (not once per line drawn)."""
        selection = self.text_selection if text is self.text else None
        # The widget's styles as the rules, as Textual's own `Visual.to_strips` passes them.
        if selection is None:
            return text.lines(width, self.visual_style, RenderOptions(self._get_style, self.styles))  # type: ignore[arg-type]
        key = (selection, width)
        if self._selected is None or self._selected[0] != key:
            selected_style = Style.from_styles(self.screen.get_component_styles("screen--selection"))
            options = RenderOptions(self._get_style, self.styles, selection, selected_style)  # type: ignore[arg-type]
            self._selected = (key, text.content.render_strips(width, None, self.visual_style, options))
        return self._selected[1]

    def _fit(self) -> None:
        width = self.scrollable_content_region.width
        if width:
            self.virtual_size = Size(width, len(self._wrapped(self.text, width)))

    def on_resize(self) -> None:
        self._fit()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._wrapped(self.text, width - self.styles.scrollbar_size_vertical))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        lines = self._wrapped(self.text, width)
        index = y + self.scroll_offset.y
        if index >= len(lines):
            return Strip.blank(width, self.visual_style.rich_style)
        return lines[index]

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract(self.text.content.plain), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._selected = None
        self.refresh()
