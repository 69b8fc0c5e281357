"""The one exception family and exit table: every front end maps a CurateError to its exit
status and prints it in one line per problem, and a missing input path is a usage error (2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from curate.cli import main as curate_main
from curate.errors import ConfigError, CurateError, ExitCode, InputNotFound, UsageError
from train.cli import main as train_main


def test_library_errors_share_one_base() -> None:
    from curate.compile.errors import CheckerUnavailable
    from curate.example import ExampleLoadError
    from curate.frontmatter_yaml import FrontMatterError
    from train.config import ConfigError as RunConfigError
    from train.data.split import SplitInputError
    from train.training.errors import TrainingError

    for cls in (CheckerUnavailable, ExampleLoadError, FrontMatterError, RunConfigError, SplitInputError, TrainingError, ConfigError):
        assert issubclass(cls, CurateError), cls
    assert InputNotFound([Path("x")]).exit_code == ExitCode.USAGE == 2
    assert [int(c) for c in (ExitCode.OK, ExitCode.FINDINGS, ExitCode.USAGE)] == [0, 1, 2]


def test_errors_module_and_checker_error_import_no_click() -> None:
    code = "import sys, curate.errors, curate.compile.errors, curate.config; print('click' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("command", ["check", "lint", "stats", "dedupe", "syntax", "review"])
def test_missing_input_path_is_a_usage_error(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert curate_main([command, "no-such-folder"]) == ExitCode.USAGE
    assert "no such file or directory: no-such-folder" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["convert", "corpus --from-examples"])
def test_missing_input_path_is_a_usage_error_in_bbj_train(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert train_main([*command.split(), "no-such-folder", "--out", "out"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "no-such-folder" in err and "Traceback" not in err


def test_curate_error_lines_render_diagnostics_or_the_message() -> None:
    from curate.diagnostics import Diagnostic, Severity

    diag = Diagnostic("a.toml", 3, 1, "TRN002", Severity.ERROR, "bad key")
    assert CurateError(diagnostics=[diag]).lines() == ["a.toml:3:1: TRN002 bad key"]
    assert UsageError("two\nlines").lines() == ["error: two", "error: lines"]


def test_check_on_a_folder_without_examples_creates_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
    (tmp_path / "training-data").mkdir()
    monkeypatch.chdir(tmp_path)
    assert curate_main(["check", "training-data"]) == ExitCode.OK
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml", "training-data"]
