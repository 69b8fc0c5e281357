"""One example: its front matter, the file with numbered lines (BBj code highlighted), the
rendered Markdown, and its findings; selecting a finding jumps to its line."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Header,
    Label,
    Markdown,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from curate.diagnostics import Diagnostic
from curate.example import Example, load_example
from curate.tui.screens.base import EntryScreen
from curate.tui.screens.browser import SEVERITY_STYLES, STATUS_STYLES
from curate.tui.store import Entry
from curate.tui.widgets.footer import KeyFooter
from curate.tui.widgets.source_view import SourceView

META_ORDER = ("title", "type", "generation", "difficulty", "tags", "status", "reviewer", "reviewed", "review_note")


def meta_table(entry: Entry) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    keys = [k for k in META_ORDER if k in entry.meta] + [k for k in entry.meta if k not in META_ORDER]
    for key in keys:
        value = entry.meta[key]
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        table.add_row(key, Text(shown, style=STATUS_STYLES.get(shown, "") if key == "status" else ""))
    table.add_row("path", Text(entry.display, style="dim"))
    return table


def finding_label(diag: Diagnostic) -> Text:
    text = Text(f"{diag.line:>4} ", style="dim")
    text.append(diag.code, style=SEVERITY_STYLES.get(diag.severity, ""))
    text.append(f" {diag.message}")
    return text


class ExampleScreen(EntryScreen):
    """Shows the example named by `display`; re-reads it whenever the app says it changed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("t", "toggle_tab", "Tab", tooltip="Switch between the source and the rendered Markdown"),
    ]
    DEFAULT_CSS = """
    ExampleScreen #example-body { height: 1fr; }
    ExampleScreen #side { width: 40%; max-width: 46; min-width: 30; border-right: solid $panel; }
    ExampleScreen #meta { height: auto; max-height: 50%; padding: 0 1; }
    ExampleScreen #findings-title { padding: 0 1; margin-top: 1; text-style: bold; }
    ExampleScreen #findings { height: 1fr; border: none; }
    ExampleScreen #load-problem { color: $error; padding: 1 2; }
    """

    def __init__(self, display: str) -> None:
        super().__init__(id="example")
        self.display_path = display
        self.example: Example | None = None
        self.diags: list[Diagnostic] = []
        self.loaded_digest = ""
        self._load_lock = asyncio.Lock()

    @property
    def entry(self) -> Entry | None:
        return self.review_app.entries.get(self.display_path)

    def current_entry(self) -> Entry | None:
        return self.entry

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="example-body"):
            with Vertical(id="side"):
                yield Static(id="meta")
                yield Label("Findings", id="findings-title")
                yield OptionList(id="findings")
            with TabbedContent(id="tabs"):
                with TabPane("Source", id="tab-source"):
                    yield Vertical(id="source-pane")
                with TabPane("Rendered", id="tab-rendered"):
                    yield Markdown(id="rendered")
        yield KeyFooter()

    async def on_mount(self) -> None:
        await self.load()

    async def load(self) -> None:
        """(Re)read the file and fill every panel (one load at a time). When the file is the
        one already shown, only the front matter and findings are refreshed, so the scroll
        position and the marked line survive the checks finishing."""
        async with self._load_lock:
            entry = self.entry
            if entry is None:
                self.dismiss()
                return
            if entry.digest != self.loaded_digest:
                await self._load_source(entry)
            self.query_one("#meta", Static).update(meta_table(entry))
            self._fill_findings(entry)

    async def _load_source(self, entry: Entry) -> None:
        """Re-read the file; the same file (after a decision) keeps its scroll position."""
        previous = [view.scroll_y for view in self.query(SourceView) if view.example.display_path == entry.display]
        self.loaded_digest = entry.digest
        self.sub_title = entry.display
        self.example, notes = load_example(entry.path, entry.display, entry.topic)
        pane = self.query_one("#source-pane", Vertical)
        await pane.remove_children()
        if self.example is None:
            await pane.mount(Static(Text("\n".join(d.render() for d in notes) + "\n\nPress e to fix the file in $EDITOR."), id="load-problem"))
            await self.query_one("#rendered", Markdown).update("")
        else:
            view = SourceView(self.example, id="source")
            await pane.mount(view)
            if previous:
                view.call_after_refresh(view.scroll_to, y=previous[0], animate=False)
            await self.query_one("#rendered", Markdown).update(self.example.text[self._body_offset(self.example) :])

    @staticmethod
    def _body_offset(example: Example) -> int:
        lines = example.text.split("\n")
        return sum(len(line) + 1 for line in lines[: example.body_line - 1])

    def _fill_findings(self, entry: Entry) -> None:
        findings = self.query_one("#findings", OptionList)
        findings.clear_options()
        diags = entry.known_findings()
        title = self.query_one("#findings-title", Label)
        if entry.findings is None:
            title.update("Findings (checks running…)")
        else:
            title.update(f"Findings ({len(diags)})" if diags else "Findings: none")
        findings.add_options([Option(finding_label(d), id=f"f{i}") for i, d in enumerate(diags)])
        self.diags = diags

    @on(OptionList.OptionSelected, "#findings")
    def finding_selected(self, event: OptionList.OptionSelected) -> None:
        self.jump_to(self.diags[event.option_index].line)

    def jump_to(self, line: int) -> None:
        """Show the Source tab scrolled to `line`, with the line highlighted."""
        self.query_one("#tabs", TabbedContent).active = "tab-source"
        views = self.query("#source").results(SourceView)
        for view in views:
            view.jump_to(line)

    def entries_changed(self, displays: set[str] | None) -> None:
        if displays is None or self.display_path in displays:
            self.call_later(self.load)

    def step_to(self, entry: Entry) -> None:
        self.display_path, self.loaded_digest = entry.display, ""
        self.call_later(self.load)

    def action_back(self) -> None:
        self.review_app.to_browser()

    def action_toggle_tab(self) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.active = "tab-rendered" if tabs.active == "tab-source" else "tab-source"
