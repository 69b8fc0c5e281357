"""The rating app driven with Pilot: blind sides, saving, resume, two reviewers, promote."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from rating_helpers import SIZE, make_app

from curate.cli import cli
from curate.rating import qualitative_report
from curate.rating.store import RATINGS_FILE, load_ratings
from curate.tui.rating_app import RatingApp
from curate.tui.widgets.text_pane import TextPane

ROOT = Path(__file__).resolve().parents[2]


def screen_text(app: RatingApp) -> str:
    statics = [str(w.render()) for w in app.screen.query("Static")]
    return "\n".join([*statics, *(pane.text.content.plain for pane in app.screen.query(TextPane))])


async def rate(app: RatingApp, keys: list[str]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()


def test_stored_rating_names_the_model_whatever_the_side(eval_run: Path) -> None:
    """A gets 5s and wins, B gets 1s: the line must credit the model that was on the left."""
    layouts = {}
    for reviewer in ("Ada", "Bob", "Gus", "Hal"):
        app = make_app(eval_run, reviewer=reviewer)
        layouts[reviewer] = app.layout("c1")
        asyncio.run(rate(app, ["5", "5", "1", "1", "left", "enter"]))
    assert len(set(layouts.values())) == 2, "the fixture reviewers should see both layouts"
    ratings = load_ratings(eval_run)
    for reviewer, (left, right) in layouts.items():
        saved = ratings.of("c1", reviewer)
        assert saved is not None
        assert (saved.left, saved.right, saved.preference) == (left, right, left)
        assert saved.scores[left] == {"code_quality": 5, "idiomatic": 5}
        assert saved.scores[right] == {"code_quality": 1, "idiomatic": 1}


def test_names_hidden_until_saved_and_incomplete_forms_refused(eval_run: Path) -> None:
    async def scenario() -> None:
        app = make_app(eval_run)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert "tuned" not in screen_text(app) and "base" not in screen_text(app)
            await pilot.press("4", "enter")
            await pilot.pause()
            assert not (eval_run / RATINGS_FILE).exists()
            assert "tuned" not in screen_text(app)
            await pilot.press("3", "2", "2", "equals_sign", "m")
            await pilot.pause()
            await pilot.press(*"terse", "enter")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            left, right = app.layout("c1")
            assert f"Answer A: {left}" in screen_text(app) and f"Answer B: {right}" in screen_text(app)
            saved = load_ratings(eval_run).of("c1", "Ada")
            assert saved is not None and saved.preference == "tie" and saved.note == "terse"
            assert saved.scores[left] == {"code_quality": 4, "idiomatic": 3}
            await pilot.press("enter")  # saved and unchanged: next unrated case
            await pilot.pause()
            assert app.screen.case.id == "c2"  # type: ignore[attr-defined]

    asyncio.run(scenario())


def test_prose_cases_ask_for_explanation_accuracy(eval_run: Path) -> None:
    async def scenario() -> None:
        app = make_app(eval_run)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("pagedown", "pagedown")
            await pilot.pause()
            assert app.screen.case.id == "c3"  # type: ignore[attr-defined]
            await pilot.press("4", "5", "2", "1", "right", "enter")
            await pilot.pause()

    asyncio.run(scenario())
    saved = load_ratings(eval_run).of("c3", "Ada")
    assert saved is not None
    assert set(saved.scores[saved.left]) == {"idiomatic", "explanation"}
    assert saved.preference == saved.right


def test_resume_after_quit_and_re_rating(eval_run: Path) -> None:
    first = make_app(eval_run)
    asyncio.run(rate(first, ["5", "4", "3", "2", "left", "enter", "q"]))

    async def reopen() -> None:
        app = make_app(eval_run)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.screen.case.id == "c2"  # type: ignore[attr-defined]  # first unrated
            assert "1 of 4 rated" in str(app.sub_title)
            await pilot.press("pageup")
            await pilot.pause()
            left, _ = app.layout("c1")
            assert app.layout("c1") == first.layout("c1")  # same layout as before the quit
            assert f"Answer A: {left}" in screen_text(app)  # rated: names shown
            assert "[5]" in screen_text(app)
            await pilot.press("up", "up", "up", "1", "enter")  # change A's code quality
            await pilot.pause()

    asyncio.run(reopen())
    lines = (eval_run / RATINGS_FILE).read_text("utf-8").splitlines()
    assert len(lines) == 2
    saved = load_ratings(eval_run).of("c1", "Ada")
    assert saved is not None and saved.scores[saved.left]["code_quality"] == 1


def test_two_reviewers_merged(eval_run: Path) -> None:
    asyncio.run(rate(make_app(eval_run, reviewer="Ada"), ["5", "4", "2", "2", "left", "enter"]))
    asyncio.run(rate(make_app(eval_run, reviewer="Bob"), ["4", "4", "3", "3", "left", "enter", "enter", "2", "2", "2", "2", "equals_sign", "enter"]))
    ratings = load_ratings(eval_run)
    assert sorted(ratings.by_key) == [("c1", "Ada"), ("c1", "Bob"), ("c2", "Bob")]
    report = qualitative_report(eval_run)
    assert report["reviewers"] == ["Ada", "Bob"] and report["ratings"] == 3
    assert report["agreement"]["shared_cases"] == 1


EDITOR = """
import sys
from pathlib import Path
path = Path(sys.argv[1])
text = path.read_text("utf-8")
text = text.replace("TODO: describe what the program does when it runs.", "A window with a Hello button opens; the button shows a greeting.")
path.write_text(text, "utf-8")
"""


def test_promote_writes_a_draft_the_gate_accepts_after_editing(eval_run: Path, tmp_path: Path) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(EDITOR, "utf-8")
    app = make_app(eval_run, editor=f"{sys.executable} {editor}")
    asyncio.run(rate(app, ["p", "5", "5", "1", "1", "right" if app.layout("c1")[1] == "tuned" else "left", "enter", "p"]))
    drafts = list((eval_run.parent.parent / "training-data" / "gui").glob("*.md"))
    assert len(drafts) == 1, "promote before saving must write nothing; after saving exactly one draft"
    text = drafts[0].read_text("utf-8")
    assert "status: draft" in text and "type: completion" in text and "generation: bbj-gui" in text
    assert "source: eval run run-1, case c1, answer of tuned" in text
    assert 'hello!.setCallback(BBjAPI.ON_BUTTON_PUSH,"on_hello")' in text and "TODO" not in text
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "bbj-curate"), "check", "--no-dedupe", str(drafts[0])], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_refuses_what_it_cannot_rate(eval_run: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["review", "--eval", "evals/nope"])
    assert missing.exit_code == 2 and "no such eval run folder" in missing.output
    unknown = runner.invoke(cli, ["review", "--eval", str(eval_run), "--models", "tuned,gpt"])
    assert unknown.exit_code == 2 and "unknown: gpt" in unknown.output
    (eval_run / "samples.jsonl").unlink()
    empty = runner.invoke(cli, ["review", "--eval", str(eval_run)])
    assert empty.exit_code == 2 and "samples.jsonl: no such file" in empty.output
    assert json.loads((eval_run / "report.json").read_text("utf-8"))["name"] == "run-1"
