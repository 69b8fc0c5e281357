"""Approving an example the checks would keep out of training asks first: the reviewer sees why
(error findings, untouched skeleton text, checks not finished) and approves anyway or not."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label


class ConfirmApprove(ModalScreen[bool]):
    """Dismisses with True for `y`, False for `n` or Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Approve anyway"),
        Binding("n", "answer(False)", "Keep the status"),
        Binding("escape", "answer(False)", "Cancel", show=False),
    ]
    DEFAULT_CSS = """
    ConfirmApprove { align: center middle; }
    ConfirmApprove > Vertical { width: 90; max-width: 100%; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    ConfirmApprove #confirm-reasons { color: $warning; height: auto; }
    ConfirmApprove #confirm-hint { color: $text-muted; }
    """

    def __init__(self, display: str, reasons: list[str]) -> None:
        super().__init__()
        self.example_display = display
        self.reasons = reasons

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Approve {self.example_display}? It would not be trained as it is:"), id="confirm-title")
            yield Label(Text("\n".join(f"- {reason}" for reason in self.reasons)), id="confirm-reasons")
            yield Label("y approve anyway · n / Esc keep the current status", id="confirm-hint")

    def action_answer(self, approve: bool) -> None:
        self.dismiss(approve)
