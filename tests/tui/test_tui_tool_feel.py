"""Issue 15, review TUI: key help from the bindings, Esc back to the browser, plain-text messages
(Rich markup never eats `[brackets]`), tick glyphs, front matter in the duplicates view and a
layout that degrades at 80x24. Driven through the real app with Pilot and real key presses."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding
from textual.geometry import Region
from textual.widgets import Input, Label, Static
from textual.widgets._toast import Toast
from tui_helpers import FILES, SIZE, data_path, make_app, open_row, settle, sync

from curate.tui.app import ReviewApp
from curate.tui.screens.base import EntryScreen
from curate.tui.screens.browser import BrowserScreen
from curate.tui.screens.confirm import ConfirmApprove
from curate.tui.screens.duplicates import DuplicatesScreen
from curate.tui.screens.example import ExampleScreen
from curate.tui.screens.forms import QuickEditForm
from curate.tui.screens.help import HelpScreen
from curate.tui.screens.note_prompt import NotePrompt
from curate.tui.widgets.tick_list import TickList

SMALL = (80, 24)


def descriptions(*binding_lists: list[object]) -> set[str]:
    return {b.description for bindings in binding_lists for b in bindings if isinstance(b, Binding) and b.description}


def section(help_screen: HelpScreen, starts: str) -> set[str]:
    return {row.description for s in help_screen.sections if s.title.startswith(starts) for row in s.rows}


def plain(widget: Label | Static) -> str:
    """The text the widget shows, line by line, without styles."""
    return "\n".join(strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, *widget.size)))


@sync
async def test_question_mark_and_f1_list_the_keys_of_the_screen_and_the_app(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        # generated from the BINDINGS: every described binding is listed, hidden ones (A, [, O) too
        assert section(help_screen, "This screen (Browser)") >= descriptions(BrowserScreen.BINDINGS, EntryScreen.BINDINGS)
        assert "Approve with a note" in section(help_screen, "This screen")
        assert section(help_screen, "Everywhere") >= descriptions(ReviewApp.BINDINGS)
        assert "Open" in section(help_screen, "In the focused VirtualTable")
        assert "Approve with a note" in plain(help_screen.query_one("#help-keys", Static))
        await pilot.press("escape")
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("enter", "f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        example_keys = section(help_screen, "This screen (Example)")
        assert example_keys >= descriptions(ExampleScreen.BINDINGS, EntryScreen.BINDINGS)
        assert "Search" not in example_keys
        await pilot.press("question_mark")  # ? closes it again
        assert isinstance(app.screen, ExampleScreen)


@sync
async def test_escape_on_a_top_level_screen_returns_to_the_browser(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "s", "d")
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        assert len(app.screen_stack) == 3  # the default screen, the browser, duplicates: one top-level screen at a time
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.browser
        await pilot.press("enter", "f")
        await settle(pilot)
        assert isinstance(app.screen, QuickEditForm)
        await pilot.press("escape")  # a modal closes alone
        assert isinstance(app.screen, ExampleScreen)
        await pilot.press("r")
        assert isinstance(app.screen, NotePrompt)
        await pilot.press("escape")
        assert isinstance(app.screen, ExampleScreen)
        await pilot.press("s", "escape")
        await settle(pilot)
        assert app.screen is app.browser


@sync
async def test_form_messages_are_plain_words_and_brackets_survive(review_data: Path) -> None:
    """The schema's tag regex `^[a-z0-9]+(-[a-z0-9]+)*$` reached the form and Rich ate `[a-z0-9]`."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        form = app.screen
        assert isinstance(form, QuickEditForm)
        form.query_one("#form-tags", Input).value = "Read File, [bold]x[/bold]"
        await pilot.press("ctrl+s")
        await pilot.pause()
        errors = plain(form.query_one("#form-errors", Label))
        assert "tags must be kebab-case, e.g. read-file (got 'Read File')" in errors
        assert "(got '[bold]x[/bold]')" in errors
        assert "a-z0-9" not in errors


@sync
async def test_paths_and_messages_with_brackets_are_shown_as_they_are(review_data: Path) -> None:
    name = "database/[wip] query.md"
    data_path(name).write_text(FILES["database/bad-type.md"], "utf-8")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_row(pilot, name, "a")
        assert isinstance(app.screen, ConfirmApprove)
        assert f"Approve training-data/{name}?" in plain(app.screen.query_one("#confirm-title", Label))
        await pilot.press("y")
        await settle(pilot)
        toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert f"approved: training-data/{name}" in toasts


@sync
async def test_ticked_and_unticked_generations_differ_by_glyph(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")  # count-down.md: generation character
        ticks = app.screen.query_one("#form-generation", TickList)

        def boxes() -> dict[str, str]:
            return {line[4:].strip(): line[:3] for line in (ticks.render_line(y).text.strip() for y in range(ticks.option_count))}

        assert boxes() == {"all": "▐ ▌", "character": "▐x▌", "vpro5": "▐ ▌", "bbj-gui": "▐ ▌", "dwc": "▐ ▌"}
        ticks.focus()
        ticks.highlighted = 4
        await pilot.press("space")
        await pilot.pause()
        assert boxes()["dwc"] == "▐x▌" and ticks.selected == ["character", "dwc"]


@sync
async def test_duplicates_show_front_matter_differences(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        head = plain(app.screen.query_one("#pair-head", Static))
        assert "front matter differs: title" in head
        pair = plain(app.screen.query_one("#pair", Static))
        assert "title: Open a window with a button" in pair and "title: Show a window with an OK button" in pair


@sync
async def test_a_narrow_terminal_hides_columns_instead_of_squeezing_them(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        table = app.browser.table
        shown = [table.columns[i].key for i, _ in table.column_layout()]
        assert shown == ["title", "type", "generation", "status", "findings"]
        assert dict(table.column_layout())[0] >= 24  # the title keeps a readable width
        header = table.render_line(0).text
        assert len(header) == table.size.width and header.rstrip().endswith("Findings")
        assert all(select.size.height == 1 for select in app.browser.query("#filters Select"))
        await pilot.resize_terminal(150, 40)
        await settle(pilot)
        assert [table.columns[i].key for i, _ in table.column_layout()] == [c.key for c in table.columns]
