"""A SelectionList whose ticked and unticked boxes differ by glyph, not only by colour:
Textual draws the same `X` in both and tells them apart by colour alone, which a colour-blind
reviewer, a monochrome terminal or NO_COLOR cannot see. Ticked shows `x`, unticked a blank."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.selection_list import SelectionType

TICKED, UNTICKED = "x", " "


class TickList(SelectionList[SelectionType]):
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = int(self.scroll_offset.y) + y
        segments = list(strip)
        # SelectionList draws each option as BUTTON_LEFT, BUTTON_INNER, BUTTON_RIGHT, then the prompt
        if index >= self.option_count or len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        glyph = TICKED if self.get_option_at_index(index).value in self.selected else UNTICKED
        segments[1] = Segment(glyph, segments[1].style)
        return Strip(segments, strip.cell_length)
