"""Counts for the whole set: generation x type (the same numbers as `bbj-curate stats`), how far
the review has come, and which finding codes are most common."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.progress_bar import ProgressBar as BarRenderable
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label, ProgressBar, Static

from curate.commands.stats import collect
from curate.diagnostics import Diagnostic, Severity
from curate.schema import GENERATIONS, STATUSES, TYPES
from curate.tui.screens.browser import SEVERITY_STYLES, STATUS_STYLES
from curate.tui.screens.host import ReviewHost, review_host
from curate.tui.store import UNREVIEWED, Entry
from curate.tui.widgets.footer import KeyFooter

BAR_WIDTH = 30


def generation_table(entries: list[Entry]) -> Table:
    data = collect(entries)  # type: ignore[arg-type]  # Entry has the fields collect reads
    grid: dict[str, int] = data["generation_x_type"]  # type: ignore[assignment]
    extra = sorted({key.split("|")[0] for key in grid} - {"all", *GENERATIONS})
    table = Table("generation", *TYPES, "total", title=f"{len(entries):,} examples: generation × type", title_justify="left")
    for generation in ["all", *GENERATIONS, *extra]:
        row = [grid.get(f"{generation}|{t}", 0) for t in TYPES]
        table.add_row(Text(generation), *(f"{n:,}" for n in row), f"{sum(row):,}")
    return table


def status_table(entries: list[Entry]) -> Table:
    counts = Counter(e.status for e in entries)
    total = max(len(entries), 1)
    table = Table("status", "examples", "", title="review status", title_justify="left")
    for status in [*STATUSES, *sorted(set(counts) - set(STATUSES))]:
        count = counts.get(status, 0)
        bar = BarRenderable(total=total, completed=count, width=BAR_WIDTH, complete_style=STATUS_STYLES.get(status, "white"))
        table.add_row(Text(status, style=STATUS_STYLES.get(status, "")), f"{count:,}", bar)
    return table


def findings_table(entries: list[Entry]) -> Table | Text:
    if any(e.findings is None for e in entries):
        return Text("Findings by code: checks still running…", style="dim")
    codes: Counter[tuple[str, Severity]] = Counter()
    files: Counter[str] = Counter()
    for entry in entries:
        for diag in entry.findings or []:
            codes[(diag.code, diag.severity)] += 1
        for code in {d.code for d in entry.findings or []}:
            files[code] += 1
    table = Table("code", "severity", "findings", "files", title="findings by code", title_justify="left")
    for (code, severity), count in sorted(codes.items(), key=lambda item: (-item[1], item[0][0])):
        table.add_row(Text(code), Text(severity.value, style=SEVERITY_STYLES.get(severity, "")), f"{count:,}", f"{files[code]:,}")
    if not codes:
        table.add_row("—", "", "0", "0")
    return table


def problems_table(problems: list[Diagnostic]) -> Table:
    """Paths that are not in the browser because they could not be listed or read."""
    table = Table("path", "code", "message", title="not listed", title_justify="left")
    for diag in problems:
        table.add_row(Text(diag.path), Text(diag.code, style=SEVERITY_STYLES.get(diag.severity, "")), Text(diag.message))
    return table


class StatsScreen(Screen[None]):
    """Recomputed from the app's entries whenever they change."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]
    DEFAULT_CSS = """
    StatsScreen #progress-row { height: auto; padding: 1 1 0 1; }
    StatsScreen #progress-label { width: auto; margin-right: 2; }
    StatsScreen #tables { padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="stats")

    @property
    def review_app(self) -> ReviewHost:
        return review_host(self.app)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="progress-row"):
            yield Label("", id="progress-label")
            yield ProgressBar(show_eta=False, id="progress")
        with VerticalScroll():
            yield Static(id="tables")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Stats"
        self.entries_changed(None)

    def entries_changed(self, displays: set[str] | None) -> None:
        entries = list(self.review_app.entries.values())
        reviewed = sum(1 for e in entries if e.status not in UNREVIEWED)
        self.query_one("#progress-label", Label).update(f"Reviewed {reviewed:,} of {len(entries):,}")
        self.query_one("#progress", ProgressBar).update(total=max(len(entries), 1), progress=reviewed)
        parts: list[RenderableType] = [generation_table(entries), Text(""), status_table(entries), Text(""), findings_table(entries)]
        if self.review_app.problems:
            parts += [Text(""), problems_table(self.review_app.problems)]
        tables = Group(*parts)
        self.query_one("#tables", Static).update(tables)

    def action_back(self) -> None:
        self.review_app.to_browser()
