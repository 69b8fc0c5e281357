"""The review TUI and the training gate (issue 14): approving what would not be trained asks
first (or is refused), an unreadable file shows as such, and the new-example form refuses a
taken title. Driven through the real app with Pilot."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label, Select, SelectionList
from tui_helpers import FILES, SIZE, data_path, make_app, open_row, settle, sync

from curate.checks import CheckOptions
from curate.config import load_config
from curate.diagnostics import Severity
from curate.tui.app import ReviewApp
from curate.tui.screens.confirm import ConfirmApprove
from curate.tui.screens.example import ExampleScreen
from curate.tui.screens.forms import NewExampleForm


@sync
async def test_approving_an_example_with_errors_asks_first(review_data: Path) -> None:
    """Hole: the TUI approved an example with errors with one key and no warning."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_row(pilot, "database/bad-type.md", "a")
        assert isinstance(app.screen, ConfirmApprove)
        assert "BBJ203" in str(app.screen.query_one("#confirm-reasons", Label).render())
        await pilot.press("n")
        await settle(pilot)
        assert data_path("database/bad-type.md").read_text("utf-8") == FILES["database/bad-type.md"]
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert "status: approved" in data_path("database/bad-type.md").read_text("utf-8")


@sync
async def test_refuse_setting_never_approves_an_example_with_errors(review_data: Path) -> None:
    paths = [Path("training-data")]
    config = load_config(paths).replace(approve_untrainable="refuse")
    app = make_app()
    app.config = config
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_row(pilot, "database/bad-type.md", "a")
        assert not isinstance(app.screen, ConfirmApprove)
    assert data_path("database/bad-type.md").read_text("utf-8") == FILES["database/bad-type.md"]


@sync
async def test_a_new_skeleton_is_not_approved_without_confirmation_and_titles_are_unique(review_data: Path) -> None:
    """Holes: the TUI approved an untouched TODO skeleton with one key; its new-example form
    accepted a title another example has. The confirmation names the BBJ114 finding the
    example would have once approved (one rule states what skeleton text is)."""
    app = make_app()
    app.config = app.config.replace(select=[*app.config.select, "BBJ114"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewExampleForm)
        form.query_one("#form-title", Input).value = "REVERSE a  string"
        form.query_one("#form-type", Select).value = "completion"
        form.query_one("#form-generation", SelectionList).select("all")
        form.query_one("#form-topic", Select).value = "strings"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "already used by training-data/strings/reverse.md" in str(form.query_one("#form-errors", Label).render())
        form.query_one("#form-title", Input).value = "Reverse a word"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExampleScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmApprove)
        reasons = str(app.screen.query_one("#confirm-reasons", Label).render())
        assert "BBJ114 skeleton text left in a 'approved' example: 'TODO: replace with the example program'" in reasons
        await pilot.press("escape")
        await settle(pilot)
    assert "status: draft" in data_path("strings/reverse-a-word.md").read_text("utf-8")


@sync
async def test_an_unreadable_file_shows_as_unreadable(review_data: Path) -> None:
    """Hole: a file that could not be read showed up as a draft."""
    data_path("strings/broken.md").write_bytes(b"---\ntitle: \xff\xfe broken\n---\n")
    app: ReviewApp = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        entry = app.entries["training-data/strings/broken.md"]
        assert entry.status == "unreadable" and not entry.unreviewed
        await open_row(pilot, "strings/broken.md", "a")
        assert isinstance(app.screen, ConfirmApprove)
        assert "unreadable" in str(app.screen.query_one("#confirm-reasons", Label).render())


@sync
async def test_approving_a_draft_whose_compile_errors_are_only_warnings_asks_first(review_data: Path) -> None:
    """A draft's compile errors are warnings (recorded, not gated), but approving it would
    train them: the confirmation lists them as the errors they become."""
    draft = data_path("control-flow/count-down.md")
    draft.write_text(FILES["control-flow/count-down.md"].replace("next i", 'print "unterminated'), "utf-8")
    app = make_app(options=CheckOptions(jobs=1, checker="builtin", dedupe=False))
    app.config = app.config.replace(select=["BBJ"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        findings = app.entries["training-data/control-flow/count-down.md"].findings or []
        compile_findings = [d for d in findings if d.code.startswith("BBJ5")]
        assert compile_findings and all(d.severity is Severity.WARNING for d in compile_findings)
        await open_row(pilot, "control-flow/count-down.md")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmApprove)
        reasons = str(app.screen.query_one("#confirm-reasons", Label).render())
        assert "BBJ5" in reasons and "not blocking" not in reasons
        await pilot.press("n")
        await settle(pilot)
    assert "status: draft" in draft.read_text("utf-8")
