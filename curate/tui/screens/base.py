"""What the browser and the example view share: the review keys, acting on 'the current entry'."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from curate.tui.decisions import APPROVED, NEEDS_WORK, REJECTED
from curate.tui.screens.host import ReviewHost, review_host
from curate.tui.screens.note_prompt import NotePrompt
from curate.tui.store import Entry


class EntryScreen(Screen[None]):
    """A screen with a current example that review decisions apply to."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "Approve", tooltip="Approve the example (removes an old review note)"),
        Binding("A", "approve_with_note", "Approve with a note", show=False),
        Binding("r", "reject", "Reject", tooltip="Reject the example; asks for a note"),
        Binding("n", "needs_work", "Needs work", tooltip="Mark as needs-work; asks for a note"),
        Binding("right_square_bracket", "step_unreviewed(1)", "Next", key_display="]", tooltip="Next unreviewed example"),
        Binding("left_square_bracket", "step_unreviewed(-1)", "Previous unreviewed", key_display="[", show=False),
        Binding("e", "edit", "Edit", tooltip="Open the file in $EDITOR, re-check on return"),
        Binding("f", "quick_edit", "Fields", tooltip="Edit front matter fields in a form"),
    ]

    @property
    def review_app(self) -> ReviewHost:
        return review_host(self.app)

    def current_entry(self) -> Entry | None:
        raise NotImplementedError

    def step_to(self, entry: Entry) -> None:
        """Show `entry` as the current one (move the cursor, or open it)."""
        raise NotImplementedError

    def entries_changed(self, displays: set[str] | None) -> None:
        """Called by the app when entries were re-read (None: all of them)."""

    def _entry_or_warn(self) -> Entry | None:
        entry = self.current_entry()
        if entry is None:
            self.notify("No example selected.", severity="warning")
        return entry

    def action_approve(self) -> None:
        if entry := self._entry_or_warn():
            self.review_app.approve(entry.display, None)

    def _decide_with_note(self, status: str, title: str, required: bool) -> None:
        entry = self._entry_or_warn()
        if entry is None:
            return
        display = entry.display
        current = str(entry.meta.get("review_note", "") or "") if status != APPROVED else ""

        def done(note: str | None) -> None:
            if note is not None and status == APPROVED:
                self.review_app.approve(display, note)
            elif note is not None:
                self.review_app.decide(display, status, note)

        self.app.push_screen(NotePrompt(f"{title}: {display}", required=required, initial=current), done)

    def action_approve_with_note(self) -> None:
        self._decide_with_note(APPROVED, "Approve with a note", required=False)

    def action_reject(self) -> None:
        self._decide_with_note(REJECTED, "Reject (why?)", required=True)

    def action_needs_work(self) -> None:
        self._decide_with_note(NEEDS_WORK, "Needs work (what?)", required=True)

    def action_step_unreviewed(self, direction: int) -> None:
        order = self.review_app.browser_order()
        current = self.current_entry()
        start = next((i for i, e in enumerate(order) if current and e.display == current.display), -1 if direction > 0 else len(order))
        index = start + direction
        while 0 <= index < len(order):
            if order[index].unreviewed:
                self.step_to(order[index])
                return
            index += direction
        self.notify("No more unreviewed examples in this direction (with the current filter).")

    def action_edit(self) -> None:
        if entry := self._entry_or_warn():
            self.review_app.edit_in_editor(entry.display)

    def action_quick_edit(self) -> None:
        if entry := self._entry_or_warn():
            self.review_app.quick_edit(entry.display)
