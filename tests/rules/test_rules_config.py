"""Which findings survive: ruff-style select/ignore (longest prefix wins), per-code severity
overrides and the front matter's `lint_ignore`, through the real `bbj-curate lint` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rules_case_table import HEAD, VALID, doc, head

from curate.cli import main
from curate.config import CurateConfig
from curate.rules.base import is_enabled

# A completion with a `basic` fence (BBJ301, error), no REM line (BBJ302, error) and a
# `## Notes` section (BBJ108, warning).
FLAWED = VALID.replace("```bbj\nrem Greet the user\n", "```basic\n") + "\n## Notes\n\nSee the manual.\n"
FLAWED_CODES = {"BBJ301": "error", "BBJ302": "error", "BBJ108": "warning"}


@pytest.mark.parametrize(
    ("select", "ignore", "code", "enabled"),
    [
        (["BBJ"], [], "BBJ301", True),
        (["BBJ"], ["BBJ3"], "BBJ301", False),
        (["BBJ"], ["BBJ3"], "BBJ401", True),
        (["BBJ301"], ["BBJ3"], "BBJ301", True),  # the longer select wins
        (["BBJ301"], ["BBJ3"], "BBJ302", False),
        (["BBJ3"], ["BBJ30"], "BBJ301", False),  # the longer ignore wins
        (["BBJ3"], ["BBJ30"], "BBJ310", True),
        (["BBJ4"], [], "BBJ301", False),
        (["BBJ301"], ["BBJ301"], "BBJ301", False),  # a tie goes to ignore
        (["bbj3"], [], "BBJ301", True),
    ],
)
def test_longest_prefix_wins(select: list[str], ignore: list[str], code: str, enabled: bool) -> None:
    assert is_enabled(code, CurateConfig(select=select, ignore=ignore)) is enabled


def project(tmp_path: Path, settings: str, files: dict[str, str]) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text(f"[tool.bbj-curate]\n{settings}\n", "utf-8")
    for rel, text in files.items():
        path = tmp_path / "training-data" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return tmp_path / "training-data"


def lint_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]]]:
    capsys.readouterr()
    status = main(["lint", "--format", "json", *args])
    return status, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("settings", "cli", "expected", "status"),
    [
        ("", [], FLAWED_CODES, 1),
        ('ignore = ["BBJ3"]', [], {"BBJ108": "warning"}, 0),
        ('select = ["BBJ3"]\nignore = ["BBJ302"]', [], {"BBJ301": "error"}, 1),
        ('select = ["BBJ1", "BBJ301"]\nignore = ["BBJ3"]', [], {"BBJ108": "warning", "BBJ301": "error"}, 1),
        ('severity = {BBJ301 = "warning", BBJ302 = "info", BBJ108 = "error"}', [], {"BBJ301": "warning", "BBJ302": "info", "BBJ108": "error"}, 1),
        ('severity = {BBJ301 = "warning", BBJ302 = "info"}', [], {"BBJ301": "warning", "BBJ302": "info", "BBJ108": "warning"}, 0),
        ("", ["--ignore", "BBJ30"], {"BBJ108": "warning"}, 0),
        ('ignore = ["BBJ108"]', ["--select", "BBJ1"], {}, 0),
        ("", ["--fail-on", "warning", "--ignore", "BBJ3"], {"BBJ108": "warning"}, 1),
    ],
)
def test_select_ignore_severity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: str, cli: list[str], expected: dict[str, str], status: int
) -> None:
    data = project(tmp_path, settings, {"strings/greet-the-user.md": FLAWED})
    code, findings = lint_json(capsys, *cli, str(data))
    assert {f["code"]: f["severity"] for f in findings} == expected
    assert code == status


def test_lint_ignore_silences_only_its_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    silenced = FLAWED.replace(HEAD, head(title="Greet quietly", lint_ignore="[BBJ301, BBJ108]"))
    data = project(tmp_path, "", {"strings/greet-the-user.md": FLAWED, "strings/greet-quietly.md": silenced})
    _, findings = lint_json(capsys, str(data))
    by_file: dict[str, set[str]] = {}
    for f in findings:
        by_file.setdefault(Path(str(f["path"])).name, set()).add(str(f["code"]))
    assert by_file == {"greet-the-user.md": set(FLAWED_CODES), "greet-quietly.md": {"BBJ302"}}


def test_lint_ignore_covers_project_and_loader_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """BBJ208 (a project rule) and BBJ005 (emitted by the loader) obey lint_ignore too."""
    second = doc(head(lint_ignore="[BBJ208, BBJ005]")).replace("\n", "\r\n")
    data = project(tmp_path, "", {"strings/aa-greet.md": VALID, "strings/zz-greet.md": second})
    _, findings = lint_json(capsys, str(data))
    assert findings == []
    unsilenced = project(tmp_path / "again", "", {"strings/aa-greet.md": VALID, "strings/zz-greet.md": VALID.replace("\n", "\r\n")})
    _, findings = lint_json(capsys, str(unsilenced))
    assert sorted((Path(str(f["path"])).name, f["code"], f["line"]) for f in findings) == [("zz-greet.md", "BBJ005", 1), ("zz-greet.md", "BBJ208", 2)]


def test_bad_severity_in_config_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = project(tmp_path, 'severity = {BBJ301 = "fatal"}', {"strings/greet-the-user.md": VALID})
    assert main(["lint", str(data)]) == 2
    assert "severity" in capsys.readouterr().err
