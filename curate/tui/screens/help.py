"""`?` / F1: every key that works where the user is, read from the BINDINGS of the focused
widget, the screen and the app (Textual's active bindings), never from a hand-kept list, so a
new binding shows up here by itself. Hidden bindings (`show=False`) are listed too: the footer
has room for a few keys, this screen has room for all of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from curate.tui.widgets.footer import HELP_ACTION

HELP_TOOLTIP = "Every key of this screen and the global ones"
HELP_BINDINGS: list[BindingType] = [  # for an app's BINDINGS; the footer shows `? Keys` first
    Binding("question_mark", HELP_ACTION, "Keys", key_display="?", show=False, tooltip=HELP_TOOLTIP),
    Binding("f1", HELP_ACTION, "Keys", show=False, tooltip=HELP_TOOLTIP),
]


@dataclass(frozen=True)
class KeyRow:
    keys: str  # as the footer shows them, e.g. "a" or "1 / 2"
    description: str
    tooltip: str


@dataclass(frozen=True)
class KeySection:
    title: str
    rows: list[KeyRow]


def _where(node: object, binding: Binding, screen: Screen[object]) -> str:
    if isinstance(node, App) or binding.action.startswith("app."):  # e.g. Tab: app.focus_next, on every screen
        return "Everywhere"
    if node is screen:
        return f"This screen ({screen.__class__.__name__.removesuffix('Screen')})"
    return f"In the focused {node.__class__.__name__}"


def key_sections(screen: Screen[object]) -> list[KeySection]:
    """The active bindings of `screen`, grouped by where they are defined (focused widget,
    screen, app); keys of one action with one description share a row."""
    app = screen.app
    grouped: dict[str, dict[tuple[str, str], list[Binding]]] = {}
    for node, binding, _enabled, _tooltip in screen.active_bindings.values():
        if binding.system or not binding.description:
            continue
        grouped.setdefault(_where(node, binding, screen), {}).setdefault((binding.action, binding.description), []).append(binding)
    order = sorted(grouped, key=lambda title: (title == "Everywhere", title.startswith("In the focused")))
    sections = []
    for title in order:
        rows = [
            KeyRow(" / ".join(dict.fromkeys(app.get_key_display(b) for b in bindings)), description, bindings[0].tooltip)
            for (_action, description), bindings in grouped[title].items()
        ]
        sections.append(KeySection(title, rows))
    return sections


def sections_table(sections: list[KeySection]) -> RenderableType:
    """One table per section, with the same column widths in all of them."""
    rows = [row for section in sections for row in section.rows]
    key_width = max((len(row.keys) for row in rows), default=1)
    description_width = max((len(row.description) for row in rows), default=1)
    parts: list[RenderableType] = []
    for section in sections:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=key_width)
        table.add_column(no_wrap=True, min_width=description_width)
        table.add_column(style="dim", overflow="fold", ratio=1)
        for row in section.rows:
            table.add_row(Text(row.keys), Text(row.description), Text(row.tooltip))
        parts += [Text(section.title, style="bold underline"), table, Text("")]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened on; Esc, `?` or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,f1", "close", "Close", show=False)]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 100; max-width: 100%; height: auto; max-height: 100%; border: thick $accent; background: $surface; padding: 0 1; }
    HelpScreen #help-title { text-style: bold; margin-bottom: 1; }
    """

    def __init__(self, sections: list[KeySection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Keys (Esc, ? or F1 closes; Ctrl+P searches every action)", id="help-title")
            yield Static(sections_table(self.sections), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)


def show_key_help(app: App[Any]) -> None:
    """Open the key help for the screen shown (the app's `help` action)."""
    if not isinstance(app.screen, HelpScreen):
        app.push_screen(HelpScreen(key_sections(app.screen)))
