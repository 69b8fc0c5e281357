"""The first screen: every example in a virtual table, a filter bar, sorting by key or click."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Header, Input, Select

from curate.diagnostics import Severity
from curate.schema import DIFFICULTIES, GENERATIONS, STATUSES, TYPES
from curate.tui.screens.base import EntryScreen
from curate.tui.store import Entry, Filter, select
from curate.tui.widgets.footer import KeyFooter
from curate.tui.widgets.table import Column, VirtualTable

COLUMNS = [  # `drop`: hidden on narrow terminals, highest first (80 columns: title, type, generation, status, findings)
    Column("title", "Title"),
    Column("topic", "Topic", 12, drop=2),
    Column("type", "Type", 13),
    Column("generation", "Generation", 18, drop=1),
    Column("difficulty", "Difficulty", 12, drop=3),
    Column("status", "Status", 10),
    Column("findings", "Findings", 8),
]
STATUS_STYLES = {"approved": "green", "rejected": "red", "needs-work": "yellow", "in-review": "cyan", "draft": "dim", "unreadable": "bold red"}
SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
FILTERS = ("generation", "type", "status", "difficulty", "topic")


def entry_cells(entry: Entry) -> list[str | Text]:
    if entry.findings is None and entry.problem is None:
        findings = Text("…", style="dim")
    else:
        worst = entry.worst_severity()
        findings = Text(str(entry.finding_count()), style=SEVERITY_STYLES.get(worst, "dim") if worst else "dim")
    return [
        entry.title,
        entry.topic or "",
        entry.type,
        ", ".join(entry.generations),
        entry.difficulty,
        Text(entry.status, style=STATUS_STYLES.get(entry.status, "")),
        findings,
    ]


class BrowserScreen(EntryScreen):
    """Lists the examples; Enter opens one, review keys act on the highlighted row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("o", "cycle_sort", "Sort"),
        Binding("O", "reverse_sort", "Reverse", show=False),
        Binding("escape", "focus_table", "Table", show=False),
    ]
    DEFAULT_CSS = """
    BrowserScreen #filters { height: 1; padding: 0 1; margin-bottom: 1; }
    BrowserScreen #filters Select { width: 1fr; margin-right: 1; }
    BrowserScreen #filters SelectCurrent Static#label { text-wrap: nowrap; text-overflow: ellipsis; }
    BrowserScreen #filters #filter-text { width: 2fr; }
    """

    def __init__(self) -> None:
        super().__init__(id="browser")
        self.criteria = Filter()
        self.sort_key = "path"
        self.reverse = False
        self.option_values: dict[str, list[str]] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="filters"):
            for name in FILTERS:
                yield Select[str]([], prompt=name.capitalize(), id=f"filter-{name}", compact=True)
            yield Input(placeholder="/ search", id="filter-text", compact=True)
        yield VirtualTable(COLUMNS, entry_cells, id="examples")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(VirtualTable).focus()
        self.entries_changed(None)

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#examples", VirtualTable)

    def current_entry(self) -> Entry | None:
        return self.table.current

    def step_to(self, entry: Entry) -> None:
        index = next((i for i, e in enumerate(self.table.rows) if e.display == entry.display), None)
        if index is not None:
            self.table.move_to(index)

    def _options(self) -> dict[str, list[str]]:
        entries = self.review_app.entries.values()
        topics = sorted({e.topic for e in entries if e.topic} | set(self.review_app.config.topics))
        return {"generation": ["all", *GENERATIONS], "type": list(TYPES), "status": list(STATUSES), "difficulty": list(DIFFICULTIES), "topic": topics}

    def entries_changed(self, displays: set[str] | None) -> None:
        if displays is None:
            for name, values in self._options().items():
                if self.option_values.get(name) != values:
                    self.option_values[name] = values
                    self.query_one(f"#filter-{name}", Select).set_options([(Text(v), v) for v in values])
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Recompute the rows from the filter and sort; keep the cursor on the same example."""
        current = self.table.current
        keep_display = current.display if current else None
        rows = select(self.review_app.entries.values(), self.criteria, self.sort_key, self.reverse)
        self.table.sort_column, self.table.sort_reverse = (self.sort_key, self.reverse) if self.sort_key in {c.key for c in COLUMNS} else (None, False)
        self.table.set_rows(rows, keep=(lambda e: e.display == keep_display) if keep_display else None)
        self.review_app.update_subtitle(len(rows))

    def _read_filter(self) -> Filter:
        values = {name: self.query_one(f"#filter-{name}", Select).value for name in FILTERS}
        chosen = {k: (None if v == Select.NULL else str(v)) for k, v in values.items()}
        return Filter(text=self.query_one("#filter-text", Input).value, **chosen)

    @on(Select.Changed)
    @on(Input.Changed, "#filter-text")
    def filter_changed(self) -> None:
        self.criteria = self._read_filter()
        self.refresh_rows()

    @on(Input.Submitted, "#filter-text")
    def search_submitted(self) -> None:
        self.table.focus()

    @on(VirtualTable.Selected)
    def open_example(self, event: VirtualTable.Selected) -> None:
        self.review_app.open_example(event.row.display)

    @on(VirtualTable.SortRequested)
    def sort_requested(self, event: VirtualTable.SortRequested) -> None:
        self.sort_by(event.column)

    def sort_by(self, key: str) -> None:
        """Sort by `key`; asking again for the same key reverses the order."""
        self.reverse = not self.reverse if key == self.sort_key else False
        self.sort_key = key
        self.refresh_rows()

    def action_cycle_sort(self) -> None:
        keys = [c.key for c in COLUMNS]
        position = keys.index(self.sort_key) + 1 if self.sort_key in keys else 0
        self.sort_key, self.reverse = keys[position % len(keys)], False
        self.refresh_rows()

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self.refresh_rows()

    def action_focus_search(self) -> None:
        self.query_one("#filter-text", Input).focus()

    def action_focus_table(self) -> None:
        self.table.focus()
