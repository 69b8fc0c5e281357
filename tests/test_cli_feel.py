"""What users of ruff and pre-commit-hooks expect from `bbj-curate`: `new` validates what it
writes and says what it guessed, slugs keep accented letters, `--fix` says what it changed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from pty_capture import output_on_a_terminal

from curate.cli import main as curate_main
from curate.templates import slugify


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_slugs_transliterate_accents() -> None:
    assert slugify("Größe ändern: Fenster") == "grosse-andern-fenster"
    assert slugify("Crème brûlée, Øl & Łódź") == "creme-brulee-ol-lodz"
    assert slugify("日本") == "example"  # nothing Latin left: the fallback stem


def test_new_refuses_tags_that_are_not_kebab_case(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["new", "--title", "Read a file", "--type", "completion", "--generation", "all", "--topic", "file-io"]
    assert curate_main([*argv, "--tag", "Read File"]) == 2
    assert "tags must be kebab-case, e.g. read-file" in capsys.readouterr().err
    assert not (project / "training-data").exists()
    assert curate_main([*argv, "--tag", "read-file"]) == 0


def test_new_says_which_migration_generations_it_guessed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["new", "--title", "Move a form", "--type", "migration", "--generation", "dwc", "--topic", "gui"]
    assert curate_main(argv) == 0
    err = capsys.readouterr().err
    assert "guessed a migration from bbj-gui to dwc" in err and "--from-generation" in err
    written = (project / "training-data" / "gui" / "move-a-form.md").read_text("utf-8")
    assert "from_generation: bbj-gui" in written and "to_generation: dwc" in written
    assert curate_main([*argv[:2], "Move another form", *argv[3:], "--from-generation", "vpro5", "--to-generation", "dwc"]) == 0
    assert "guessed" not in capsys.readouterr().err


SKELETON_IN_REVIEW = ["new", "--title", "Greet", "--type", "completion", "--generation", "all", "--topic", "strings"]


def _lint_on_a_terminal(project: Path, *extra: str, env: dict[str, str] | None = None) -> str:
    """`bbj-curate lint` with stdout on a pseudo-terminal, as a user sees it."""
    environment = {k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None and not (k == "NO_COLOR" and env is None)}
    return output_on_a_terminal([sys.executable, "-m", "curate.cli", *extra, "lint", "training-data"], project, environment, stderr_too=False)


def test_findings_show_the_source_line_and_a_caret_coloured_only_on_a_terminal(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert curate_main(SKELETON_IN_REVIEW) == 0
    path = next((project / "training-data" / "strings").glob("*.md"))
    path.write_text(path.read_text("utf-8").replace("status: draft", "status: in-review"), "utf-8")
    capsys.readouterr()
    assert curate_main(["lint", "training-data"]) == 0  # warnings only: exit 0 under fail-on error
    piped = capsys.readouterr().out.splitlines()
    at = next(i for i, line in enumerate(piped) if ": BBJ114 " in line and line.endswith("set status back to draft") and "explain" in line)
    number = piped[at].split(":")[1]
    assert piped[at + 2] == f"{number} | TODO: explain how the code works and why it is written this way."
    assert piped[at + 3] == f"{' ' * len(number)} | ^"
    assert "\x1b[" not in "\n".join(piped)  # not a terminal: no colour
    coloured = _lint_on_a_terminal(project)
    assert "\x1b[1;33mBBJ114\x1b[0m" in coloured and "\x1b[1;33m^\x1b[0m" in coloured
    assert "\x1b[" not in _lint_on_a_terminal(project, env={"NO_COLOR": "1"})
    assert "\x1b[" not in _lint_on_a_terminal(project, "--no-color")


@pytest.mark.parametrize("command", ["check", "lint", "syntax"])
def test_a_folder_with_nothing_to_check_warns_and_creates_no_cache(command: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "empty").mkdir()
    assert curate_main([command, "empty"]) == 0
    assert "warning: no " in capsys.readouterr().err
    assert sorted(p.name for p in project.iterdir()) == ["empty", "pyproject.toml"]
