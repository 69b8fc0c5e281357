"""`bbj-curate review`: the Textual app. It owns the data (entries, findings, the writer with
its undo history) and the workers; screens only show entries and ask the app to act.

The first screen paints at once; a worker reads every front matter (fast pass) to fill the
table, then a second worker runs the full checks and fills in the findings counts."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from curate.checks import CheckOptions
from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from curate.discover import Target, discover, display_path, topic_of
from curate.rules.metadata import title_key
from curate.templates import new_example_path
from curate.trainable import DEDUPE_FAMILY
from curate.tui.checking import checked, checked_in_child, prepare_child_processes
from curate.tui.commands import ReviewCommands
from curate.tui.decisions import (
    APPROVED,
    FileWriter,
    StaleFileError,
    approval_problems,
    resolve_reviewer,
    review_updates,
)
from curate.tui.editor import open_in_editor
from curate.tui.frontmatter_edit import FrontMatterEditError
from curate.tui.screens.base import EntryScreen
from curate.tui.screens.browser import BrowserScreen
from curate.tui.screens.confirm import ConfirmApprove
from curate.tui.screens.duplicates import DuplicatesScreen
from curate.tui.screens.example import ExampleScreen
from curate.tui.screens.forms import NewExampleForm, NewExampleRequest, QuickEditForm
from curate.tui.screens.help import HELP_BINDINGS, show_key_help
from curate.tui.screens.host import ReviewHost
from curate.tui.screens.stats import StatsScreen
from curate.tui.store import Entry, read_entry

INDEX_BATCH_SECONDS = 0.25  # how often the front matter pass hands rows to the table


class ReviewApp(App[None]):
    """Review, fix and author examples; every write goes through `FileWriter`."""

    TITLE = "bbj-curate review"
    COMMANDS = App.COMMANDS | {ReviewCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "undo", "Undo", tooltip="Undo the last decision or edit (exact bytes)"),
        Binding("s", "stats", "Stats", tooltip="Counts, review progress, findings by code"),
        Binding("d", "duplicates", "Dups", tooltip="Near-duplicate clusters side by side"),
        Binding("c", "new_example", "New", tooltip="Create a new example from the template"),
        Binding("q", "quit", "Quit"),
        *HELP_BINDINGS,
    ]

    def __init__(
        self,
        paths: list[Path],
        config: CurateConfig,
        options: CheckOptions | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        reviewer: str | None = None,
        editor: str | None = None,
        checks_in_child: bool = True,
    ) -> None:
        super().__init__()
        self.paths = paths
        self.config = config
        self.options = options or CheckOptions()
        self.today = today
        self.reviewer = reviewer or resolve_reviewer(config)
        self.editor = editor
        self.checks_in_child = checks_in_child
        self.entries: dict[str, Entry] = {}
        self.problems: list[Diagnostic] = []
        self.writer = FileWriter()
        self.state = "indexing"
        self._check_generation = 0
        self._changed_during_check: set[str] = set()
        if checks_in_child:
            prepare_child_processes()

    # -- lifecycle and workers ----------------------------------------------------------------

    def on_mount(self) -> None:
        self.browser = BrowserScreen()
        self.push_screen(self.browser)
        self.update_subtitle(0)

    def on_ready(self) -> None:
        """Start reading only once the first frame is on screen (the worker competes for the GIL)."""
        self.index_examples()

    @work(thread=True, exclusive=True, group="index")
    def index_examples(self) -> None:
        """Read every front matter, handing rows to the table in batches so they show early."""
        targets, problems = discover(self.paths, self.config)
        batch: list[Entry] = []
        last = time.monotonic()
        for target in targets:
            batch.append(read_entry(target))
            if time.monotonic() - last >= INDEX_BATCH_SECONDS:
                self.call_from_thread(self._add_entries, batch)
                batch, last = [], time.monotonic()
        self.call_from_thread(self._add_entries, batch)
        self.call_from_thread(self._indexed, problems)

    def _add_entries(self, entries: list[Entry]) -> None:
        self.entries.update((e.display, e) for e in entries)
        self.refresh_views(None)

    def _indexed(self, problems: list[Diagnostic]) -> None:
        self.problems = problems
        self.state = "checking"
        self.refresh_views(None)
        self._check_generation += 1
        self._changed_during_check.clear()
        self.check_all(self._check_generation)

    @work(thread=True, exclusive=True, group="checks")
    def check_all(self, generation: int) -> None:
        run = checked_in_child if self.checks_in_child else checked
        diagnostics, failure = run(self.paths, self.config, self.options)
        self.call_from_thread(self._checked, diagnostics, generation, failure)

    def _checked(self, diagnostics: list[Diagnostic], generation: int, failure: str = "") -> None:
        if generation != self._check_generation:
            return
        if failure:
            self.notify(f"checks failed ({failure}); showing lint findings only", severity="error", timeout=10, markup=False)
        by_path: dict[str, list[Diagnostic]] = defaultdict(list)
        for diag in diagnostics:
            by_path[diag.path].append(diag)
        stale = set(self._changed_during_check)
        for display, entry in self.entries.items():
            if display not in stale:
                entry.findings = by_path.get(display, [])
        self.problems += [d for path, found in by_path.items() if path not in self.entries for d in found]
        self.state = "ready"
        self.refresh_views(None)
        for display in stale:
            self.recheck(display)

    @work(thread=True, group="recheck")
    def recheck(self, display: str) -> None:
        """Lint and compile one file again after it changed (duplicates need the whole set)."""
        entry = self.entries.get(display)
        if entry is None:
            return
        options = CheckOptions(checker=self.options.checker, jobs=1, dedupe=False, compile=self.options.compile)
        diagnostics, _ = checked([entry.path], self.config, options)
        self.call_from_thread(self._rechecked, display, diagnostics)

    def _rechecked(self, display: str, diags: list[Diagnostic]) -> None:
        entry = self.entries.get(display)
        if entry is None:
            return
        kept = [d for d in entry.findings or [] if d.code.startswith(DEDUPE_FAMILY)]  # duplicates need the whole set: kept
        entry.findings = sorted([*diags, *kept], key=Diagnostic.sort_key)
        self.refresh_views({display})

    # -- shared state -------------------------------------------------------------------------

    def refresh_views(self, displays: set[str] | None) -> None:
        """Tell every screen on the stack that entries changed (None: all of them)."""
        for screen in self.screen_stack:
            handler = getattr(screen, "entries_changed", None)
            if handler is not None:
                handler(displays)

    def update_subtitle(self, shown: int) -> None:
        """'312 of 10,000 examples', then what the workers are doing or the findings count."""
        state = {"indexing": "reading front matter…", "checking": "checks running…"}.get(self.state)
        if state is None:
            count = sum(e.finding_count() for e in self.entries.values())
            state = f"{count:,} finding{'s' if count != 1 else ''}"
        self.sub_title = f"{shown:,} of {len(self.entries):,} examples · {state}" if self.entries else state

    def browser_order(self) -> list[Entry]:
        """The entries in the browser's current filter and sort order."""
        return list(self.browser.table.rows)

    def reload_entry(self, display: str) -> None:
        """Re-read one file's front matter (keeping its findings until the recheck lands)."""
        old = self.entries.get(display)
        if old is None:
            return
        fresh = read_entry(Target(old.path, old.display, old.topic))
        fresh.findings = old.findings
        self.entries[display] = fresh
        if self.state == "checking":
            self._changed_during_check.add(display)
        self.refresh_views({display})

    def twin_name(self, display: str) -> str:
        """How a rejection note names the example kept: its path under the data root."""
        entry = self.entries[display]
        root = (self.config.root / self.config.data_root).resolve()
        try:
            return entry.path.resolve().relative_to(root).as_posix()
        except ValueError:
            return display

    # -- writes ---------------------------------------------------------------------------------

    def write_updates(self, display: str, updates: dict[str, Any], label: str) -> bool:
        """Apply front matter updates; a file changed on disk is reloaded, never overwritten."""
        entry = self.entries.get(display)
        if entry is None:
            return False
        try:
            self.writer.update(entry.path, display, entry.digest, updates, label)
        except StaleFileError as exc:
            self.reload_entry(display)
            self.notify(f"{exc}: reloaded it, nothing written. Check it and decide again.", severity="warning", timeout=8, markup=False)
            return False
        except FrontMatterEditError as exc:
            self.notify(f"{display}: {exc}", severity="error", timeout=8, markup=False)
            return False
        except OSError as exc:
            self.notify(f"{display}: cannot write: {exc.strerror or exc}", severity="error", timeout=8, markup=False)
            return False
        self.reload_entry(display)
        self.notify(label, markup=False)
        self.recheck(display)
        return True

    def approve(self, display: str, note: str | None) -> None:
        """Approve, after a confirmation (or a refusal, `approve-untrainable = "refuse"`) when
        the example would not be trained as it is."""
        entry = self.entries.get(display)
        options = CheckOptions(checker=self.options.checker, jobs=1, dedupe=False, compile=self.options.compile)
        reasons = approval_problems(entry, self.config, options) if entry is not None else []
        if not reasons:
            self.decide(display, APPROVED, note)
        elif self.config.approve_untrainable == "refuse":
            self.notify(
                f"{display}: not approved: {reasons[0]}" + (f" (+{len(reasons) - 1} more)" if len(reasons) > 1 else ""),
                severity="error",
                timeout=10,
                markup=False,
            )
        else:

            def answered(approve: bool | None) -> None:
                if approve:
                    self.decide(display, APPROVED, note)

            self.push_screen(ConfirmApprove(display, reasons), answered)

    def decide(self, display: str, status: str, note: str | None) -> bool:
        updates = review_updates(status, self.reviewer, self.today(), note)
        return self.write_updates(display, updates, f"{status}: {display}")

    def action_undo(self) -> None:
        try:
            change = self.writer.undo()
        except StaleFileError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        except OSError as exc:
            self.notify(f"cannot undo: {exc.strerror or exc}", severity="error", markup=False)
            return
        if change is None:
            self.notify("Nothing to undo.")
            return
        self.reload_entry(change.display)
        self.recheck(change.display)
        self.notify(f"Undone: {change.label}", markup=False)

    def edit_in_editor(self, display: str) -> None:
        """Open the file in $VISUAL/$EDITOR (argv list, no shell), then re-read and re-check it."""
        entry = self.entries.get(display)
        if entry is None:
            return
        problem = open_in_editor(self, entry.path, self.editor)
        if problem:
            self.notify(problem, severity="error", markup=False)
            return
        self.reload_entry(display)
        self.recheck(display)

    def quick_edit(self, display: str) -> None:
        entry = self.entries.get(display)
        if entry is None:
            return

        def done(changed: dict[str, Any] | None) -> None:
            if changed:
                self.write_updates(display, changed, f"edited {', '.join(changed)}: {display}")

        self.push_screen(QuickEditForm(display, entry.meta), done)

    def action_new_example(self) -> None:
        current = self.screen.current_entry() if isinstance(self.screen, EntryScreen) else None
        taken = {title_key(e.title): e.display for e in self.entries.values() if e.meta.get("title")}
        self.push_screen(NewExampleForm(list(self.config.topics), current.topic if current else None, taken), self.create_example)

    def create_example(self, request: NewExampleRequest | None) -> None:
        """Write the skeleton under the data root, list it, check it and open it."""
        if request is None:
            return
        data_root = self.config.root / self.config.data_root
        path = new_example_path(data_root, request.topic, request.title)
        if not path.resolve().is_relative_to(data_root.resolve()):
            self.notify(f"refusing to write outside the data root: {path}", severity="error", markup=False)
            return
        display = display_path(path)
        try:
            self.writer.create(path, display, request.render().encode("utf-8"))
        except (StaleFileError, OSError) as exc:
            self.notify(f"cannot create {display}: {exc}", severity="error", markup=False)
            return
        entry = read_entry(Target(path, display, topic_of(path, self.config)))
        self.entries[display] = entry
        self.refresh_views(None)
        self.recheck(display)
        self.notify(f"created {display}", markup=False)
        self.open_example(display)

    # -- navigation -----------------------------------------------------------------------------

    # The browser is the root; the example, stats and duplicates screens are top-level screens
    # opened from it (or from each other): at most one is on the stack above the browser, so Esc
    # on any of them returns to the browser. Modal screens (forms, prompts, help) stack on top
    # and Esc closes just them.

    def to_browser(self) -> None:
        """Close every screen above the browser."""
        while len(self.screen_stack) > 1 and self.screen is not self.browser:
            self.pop_screen()

    def open_top_level(self, screen: Screen[None]) -> None:
        """Show a top-level screen in place of the one shown (the browser stays below)."""
        self.to_browser()
        self.push_screen(screen)

    def open_example(self, display: str) -> None:
        if display in self.entries:
            self.open_top_level(ExampleScreen(display))

    def action_stats(self) -> None:
        if not isinstance(self.screen, StatsScreen):
            self.open_top_level(StatsScreen())

    def action_duplicates(self) -> None:
        if not isinstance(self.screen, DuplicatesScreen):
            self.open_top_level(DuplicatesScreen())

    def action_help(self) -> None:
        show_key_help(self)


if TYPE_CHECKING:
    _IS_A_HOST: type[ReviewHost] = ReviewApp  # mypy: the app is what its screens expect of it
