"""What users of ruff and pre-commit-hooks expect from `bbj-curate`: `new` validates what it
writes and says what it guessed, slugs keep accented letters, `--fix` says what it changed."""

from __future__ import annotations

from pathlib import Path

import pytest

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
