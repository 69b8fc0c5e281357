"""A one-line prompt for a review note (reject and needs-work must say why)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class NotePrompt(ModalScreen[str | None]):
    """Dismisses with the note, or None when cancelled; a required note cannot be empty."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    NotePrompt { align: center middle; }
    NotePrompt > Vertical { width: 80; max-width: 100%; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    NotePrompt #note-error { color: $error; height: auto; }
    NotePrompt #note-hint { color: $text-muted; }
    """

    def __init__(self, title: str, required: bool = True, initial: str = "") -> None:
        super().__init__()
        self.prompt_title = title
        self.required = required
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.prompt_title), id="note-title")
            yield Input(value=self.initial, placeholder="review note", id="note-input")
            yield Label("", id="note-error")
            yield Label("Enter to save · Esc to cancel", id="note-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        note = event.value.strip()
        if self.required and not note:
            self.query_one("#note-error", Label).update("A note is required: say what is wrong or what to change.")
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        self.dismiss(None)
