"""Every review flow driven through the real app with Pilot, checking the bytes on disk."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import (
    Input,
    Label,
    OptionList,
    Select,
    SelectionList,
    TabbedContent,
)
from tui_helpers import FILES, REVIEWER, SIZE, TODAY, data_path, make_app, open_row, settle, sync

from curate.tui.app import ReviewApp
from curate.tui.checking import checked
from curate.tui.screens.browser import BrowserScreen
from curate.tui.screens.duplicates import DuplicatesScreen
from curate.tui.screens.example import ExampleScreen
from curate.tui.screens.forms import NewExampleForm, QuickEditForm
from curate.tui.screens.note_prompt import NotePrompt
from curate.tui.widgets.source_view import SourceView
from curate.tui.widgets.table import VirtualTable

REVIEW_TAIL = f"reviewer: {REVIEWER}\nreviewed: '{TODAY.isoformat()}'\n"


def original(name: str) -> bytes:
    return FILES[name].encode("utf-8")


def on_disk(name: str) -> bytes:
    return data_path(name).read_bytes()


def table(app: ReviewApp) -> VirtualTable:
    return app.browser.table


def shown(app: ReviewApp) -> list[str]:
    return [e.display.removeprefix("training-data/") for e in table(app).rows]


def header_x(app: ReviewApp, key: str) -> int:
    """The x of a column's header label (columns are separated by one space)."""
    x = 0
    for index, width in table(app).column_layout():
        if table(app).columns[index].key == key:
            return x + 1
        x += width + 1
    raise KeyError(key)


@pytest.mark.parametrize("in_child", [True, False], ids=["checks-in-child", "checks-in-thread"])
@sync
async def test_first_screen_lists_examples_then_findings(review_data: Path, in_child: bool) -> None:
    app = make_app(checks_in_child=in_child)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(app) == sorted(FILES)
        assert app.sub_title == "6 of 6 examples · 1 finding"
        bad = app.entries["training-data/database/bad-type.md"]
        assert [d.code for d in bad.findings or []] == ["BBJ203"]


@pytest.mark.parametrize(
    ("selects", "text", "expected"),
    [
        ({"status": "draft"}, "", ["control-flow/count-down.md", "gui/open-window-copy.md", "gui/open-window.md"]),
        ({"generation": "bbj-gui", "type": "explanation"}, "", ["file-io/read-lines.md"]),
        ({"topic": "gui"}, "ok button", ["gui/open-window-copy.md"]),
        ({}, "window", ["gui/open-window-copy.md", "gui/open-window.md"]),
        ({"difficulty": "advanced", "status": "approved"}, "", []),
    ],
)
@sync
async def test_filter(review_data: Path, selects: dict[str, str], text: str, expected: list[str]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for name, value in selects.items():
            app.browser.query_one(f"#filter-{name}", Select).value = value
        if text:
            await pilot.press("slash", *text)
        await settle(pilot)
        assert shown(app) == expected
        assert app.sub_title.startswith(f"{len(expected)} of 6 examples")


@sync
async def test_sort_by_header_click_and_key(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#examples", offset=(header_x(app, "status"), 0))
        await settle(pilot)
        assert app.browser.sort_key == "status"
        assert [e.status for e in table(app).rows][:3] == ["draft", "draft", "draft"]
        await pilot.click("#examples", offset=(header_x(app, "status"), 0))
        await settle(pilot)
        assert app.browser.reverse and table(app).rows[0].status == "needs-work"
        await pilot.press("o")
        assert app.browser.sort_key == "findings"


@sync
async def test_approve_writes_only_the_review_keys(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert table(app).current.display == "training-data/control-flow/count-down.md"
        await pilot.press("a")
        await settle(pilot)
    expected = original("control-flow/count-down.md").replace(b"status: draft\n---", b"status: approved\n" + REVIEW_TAIL.encode() + b"---")
    assert on_disk("control-flow/count-down.md") == expected
    assert app.entries["training-data/control-flow/count-down.md"].status == "approved"


@sync
async def test_reject_with_a_note_keeps_comments(review_data: Path) -> None:
    app = make_app()
    note = "wrong: no close on error"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_row(pilot, "file-io/read-lines.md", "r")
        assert isinstance(app.screen, NotePrompt)
        prompt = app.screen.query_one(Input)
        assert prompt.value == "explain err=, please"  # the old note, to edit
        prompt.value = ""
        await pilot.press(*note, "enter")
        await settle(pilot)
    expected = (
        original("file-io/read-lines.md")
        .replace(b"status: needs-work  # set by hand", b"status: rejected  # set by hand")
        .replace(b"review_note: 'explain err=, please'", b"review_note: '" + note.encode() + b"'")
        .replace(b"\n---\n\n## Code", b"\n" + REVIEW_TAIL.encode() + b"---\n\n## Code")
    )
    assert on_disk("file-io/read-lines.md") == expected


@sync
async def test_needs_work_requires_a_note(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NotePrompt)
        assert "required" in str(app.screen.query_one("#note-error", Label).render())
        await pilot.press("escape")
        await settle(pilot)
        assert on_disk("control-flow/count-down.md") == original("control-flow/count-down.md")
        await pilot.press("n", *"explain STEP -1", "enter")
        await settle(pilot)
    expected = original("control-flow/count-down.md").replace(
        b"status: draft\n---", b"status: needs-work\n" + REVIEW_TAIL.encode() + b"review_note: explain STEP -1\n---"
    )
    assert on_disk("control-flow/count-down.md") == expected


@sync
async def test_undo_restores_the_exact_bytes(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_row(pilot, "file-io/read-lines.md", "a")
        assert on_disk("file-io/read-lines.md") != original("file-io/read-lines.md")
        assert b"review_note" not in on_disk("file-io/read-lines.md")  # approving drops the old note
        await pilot.press("u")
        await settle(pilot)
        assert on_disk("file-io/read-lines.md") == original("file-io/read-lines.md")
        assert app.entries["training-data/file-io/read-lines.md"].status == "needs-work"
        await pilot.press("u")  # nothing left: no change
        await settle(pilot)
    assert on_disk("file-io/read-lines.md") == original("file-io/read-lines.md")


@sync
async def test_undo_refuses_after_an_outside_change(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        changed = on_disk("control-flow/count-down.md") + b"\nAdded by someone else.\n"
        data_path("control-flow/count-down.md").write_bytes(changed)
        await pilot.press("u")
        await settle(pilot)
    assert on_disk("control-flow/count-down.md") == changed


@sync
async def test_file_changed_on_disk_is_reloaded_not_overwritten(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        outside = original("control-flow/count-down.md").replace(b"Count down", b"Count backwards")
        data_path("control-flow/count-down.md").write_bytes(outside)
        await pilot.press("a")
        await settle(pilot)
        assert on_disk("control-flow/count-down.md") == outside
        entry = app.entries["training-data/control-flow/count-down.md"]
        assert entry.title == "Count backwards with a FOR loop" and entry.status == "draft"
        await pilot.press("a")  # the reloaded version can now be decided on
        await settle(pilot)
    assert on_disk("control-flow/count-down.md") == outside.replace(b"status: draft\n---", b"status: approved\n" + REVIEW_TAIL.encode() + b"---")


@sync
async def test_next_and_previous_unreviewed(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        steps = []
        for key in [
            "right_square_bracket",
            "right_square_bracket",
            "left_square_bracket",
            "right_square_bracket",
            "right_square_bracket",
            "right_square_bracket",
        ]:
            await pilot.press(key)
            await settle(pilot)
            steps.append(table(app).current.display.removeprefix("training-data/"))
        assert steps == [
            "database/bad-type.md",
            "gui/open-window-copy.md",
            "database/bad-type.md",
            "gui/open-window-copy.md",
            "gui/open-window.md",
            "gui/open-window.md",
        ]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExampleScreen)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.screen.display_path == "training-data/gui/open-window-copy.md"


@sync
async def test_selecting_a_finding_jumps_to_its_line(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_row(pilot, "database/bad-type.md", "enter")
        screen = app.screen
        assert isinstance(screen, ExampleScreen)
        await pilot.press("t")  # show the rendered Markdown first
        assert screen.query_one(TabbedContent).active == "tab-rendered"
        findings = screen.query_one("#findings", OptionList)
        findings.focus()
        findings.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "tab-source"
        assert screen.query_one(SourceView).highlighted == {3}  # `type: tutorial` is line 3


@sync
async def test_jump_scrolls_a_long_file(review_data: Path) -> None:
    long_code = "\n".join(f'print "line {i}"' for i in range(120))
    text = FILES["control-flow/count-down.md"].replace("for i = 10 to 1 step -1", long_code)
    data_path("control-flow/count-down.md").write_text(text, "utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.query_one(SourceView)
        assert view.scroll_y == 0
        app.screen.jump_to(100)
        await settle(pilot)
        top = int(view.scroll_y)
        assert top > 0 and top <= 99 < top + view.scrollable_content_region.height
        assert view.highlighted == {100}
        app.refresh_views(None)  # e.g. the checks finishing: the view keeps its place
        await settle(pilot)
        assert app.screen.query_one(SourceView) is view and int(view.scroll_y) == top


@sync
async def test_quick_edit_changes_only_that_field(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, QuickEditForm)
        form.query_one("#form-title", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "title cannot be empty" in str(form.query_one("#form-errors", Label).render())
        form.query_one("#form-title", Input).value = "Count down: FOR with STEP -1"
        await pilot.press("ctrl+s")
        await settle(pilot)
    expected = original("control-flow/count-down.md").replace(b"title: Count down with a FOR loop", b"title: 'Count down: FOR with STEP -1'")
    assert on_disk("control-flow/count-down.md") == expected


@sync
async def test_edit_in_editor_rereads_and_rechecks(review_data: Path) -> None:
    script = review_data / "fake_editor.py"
    script.write_text(
        "import pathlib, sys\np = pathlib.Path(sys.argv[1])\np.write_text(p.read_text().replace('type: completion', 'type: recipe'))\n",
        "utf-8",
    )
    app = make_app(editor=f"{sys.executable} {script}")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.entries["training-data/control-flow/count-down.md"].findings == []
        await pilot.press("e")
        await settle(pilot)
        entry = app.entries["training-data/control-flow/count-down.md"]
        assert entry.type == "recipe"
        assert [d.code for d in entry.findings or []] == ["BBJ203"]


@sync
async def test_new_example_passes_check(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewExampleForm)
        await pilot.press(*"Close a file safely")
        form.query_one("#form-type", Select).value = "completion"
        form.query_one("#form-generation", SelectionList).select("bbj-gui")
        form.query_one("#form-topic", Select).value = "file-io"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExampleScreen)
        assert app.screen.display_path == "training-data/file-io/close-a-file-safely.md"
        assert app.entries["training-data/file-io/close-a-file-safely.md"].findings == []
    path = data_path("file-io/close-a-file-safely.md")
    assert path.read_text("utf-8").startswith("---\ntitle: Close a file safely\ntype: completion\ngeneration: bbj-gui\n")
    argv = [sys.executable, "-m", "curate.cli", "check", str(path), "--select", "BBJ"]
    result = await asyncio.to_thread(subprocess.run, argv, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@sync
async def test_new_example_form_validates(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        form.query_one("#form-generation", SelectionList).select("all")
        form.query_one("#form-generation", SelectionList).select("dwc")
        await pilot.press("ctrl+s")
        await pilot.pause()
        errors = str(form.query_one("#form-errors", Label).render())
        for message in ["title cannot be empty", "Pick a type", "'all' cannot be combined"]:
            assert message in errors
        assert form.query_one("#form-topic", Select).value == "control-flow"  # the current row's topic
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
    assert sorted(p.relative_to("training-data").as_posix() for p in Path("training-data").rglob("*.md")) == sorted(FILES)


@sync
async def test_resolve_a_duplicate(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DuplicatesScreen)
        pair = screen.pair()
        assert pair is not None and set(pair) == {"training-data/gui/open-window.md", "training-data/gui/open-window-copy.md"}
        kept, dropped = pair
        await pilot.press("1")
        await settle(pilot)
        assert screen.pair() is None
    kept_name, dropped_name = (p.removeprefix("training-data/") for p in (kept, dropped))
    assert on_disk(kept_name) == original(kept_name)
    expected = original(dropped_name).replace(
        b"status: draft\n---", b"status: rejected\n" + REVIEW_TAIL.encode() + f"review_note: duplicate of {kept_name}\n---".encode()
    )
    assert on_disk(dropped_name) == expected


@sync
async def test_command_palette_lists_the_actions(review_data: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        await pilot.press(*"needs")
        await settle(pilot)
        hits = app.screen.query_one(OptionList)
        prompts = [str(o.prompt) for o in hits.options]
        assert prompts[0].startswith("Needs work"), prompts  # matched by name, ahead of help-text matches
        assert hits.highlighted == 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NotePrompt)


def test_review_command_is_registered_and_checks_paths(review_data: Path) -> None:
    help_text = subprocess.run([sys.executable, "-m", "curate.cli", "--help"], capture_output=True, text=True, timeout=60, check=False).stdout
    assert "review" in help_text and "Open the review TUI" in help_text
    missing = subprocess.run([sys.executable, "-m", "curate.cli", "review", "no-such-folder"], capture_output=True, text=True, timeout=60, check=False)
    assert missing.returncode == 2 and "no such file or directory: no-such-folder" in missing.stderr


@sync
async def test_first_frame_comes_before_any_file_is_read(review_data: Path) -> None:
    class Probe(ReviewApp):
        def on_ready(self) -> None:
            self.at_first_frame = (len(self.entries), self.sub_title)
            super().on_ready()

    app = Probe([Path("training-data")], make_app().config, checks_in_child=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.at_first_frame == (0, "reading front matter…")
        assert len(app.entries) == len(FILES)


def test_a_broken_check_step_falls_back_to_lint(review_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import curate.checks
    from curate.checks import CheckOptions, lint_step

    def broken_step(run: object) -> None:
        raise RuntimeError("checker crashed")

    monkeypatch.setattr(curate.checks, "STEPS", [lint_step, broken_step])
    diagnostics, failure = checked([Path("training-data")], make_app().config, CheckOptions(jobs=1))
    assert failure == "RuntimeError: checker crashed"
    assert [(d.path, d.code) for d in diagnostics] == [("training-data/database/bad-type.md", "BBJ203")]


@sync
async def test_table_keeps_the_cursor_in_view(review_data: Path) -> None:
    text = FILES["control-flow/count-down.md"]
    for i in range(120):
        data_path(f"control-flow/loop-{i:03d}.md").write_text(text.replace("Count down with", f"Loop {i:03d} with"), "utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = table(app)
        visible = grid.scrollable_content_region.height - 1
        await pilot.press("end")
        assert grid.cursor_row == len(grid.rows) - 1 == 125
        assert grid.scroll_y <= grid.cursor_row < grid.scroll_y + visible
        await pilot.press("pageup", "up")
        assert grid.scroll_y <= grid.cursor_row < grid.scroll_y + visible
        await pilot.press("home")
        assert (grid.cursor_row, grid.scroll_y) == (0, 0)
        app.browser.query_one("#filter-text", Input).value = "loop 119"
        await settle(pilot)
        assert [e.title for e in grid.rows] == ["Loop 119 with a FOR loop"] and grid.cursor_row == 0
