"""`-` / `--stdin-filename PATH` for `lint`, `check` and `syntax` (editor integration, as
ruff's), through real subprocesses with the document on stdin: findings are reported under
PATH (which need not exist) with excerpts from the document, the configuration is PATH's, and
no cache is written for it anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

NO_REM = (
    "---\ntitle: Say hi\ntype: completion\ngeneration: all\ndifficulty: basic\nstatus: in-review\n---\n\n## Code\n\n```bbj\n"
    'console.log("hi")\n```\n\n## Expected Behavior\n\nPrints hi.\n\n## Explanation\n\nPRINT writes text.\n'
)
CODE_LINE = 12  # in-review: a compile error blocks it


def curate(cwd: Path, *args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "curate.cli", *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose config ignores BBJ302, and an unrelated working folder beside it."""
    root = tmp_path / "project"
    (root / "training-data" / "strings").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.bbj-curate]\nignore = ["BBJ302"]\n', "utf-8")
    (tmp_path / "elsewhere").mkdir()
    return root


def caches(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.rglob(".bbj-cache"))


def test_check_reports_under_the_stdin_filename_with_its_config(project: Path, tmp_path: Path) -> None:
    target = project / "training-data" / "strings" / "say-hi.md"  # does not exist
    result = curate(tmp_path / "elsewhere", "check", "--stdin-filename", str(target), stdin=NO_REM)
    assert result.returncode == 1, result.stderr
    shown = f"{Path('..') / 'project' / 'training-data' / 'strings' / 'say-hi.md'}:{CODE_LINE}:1: BBJ510"
    assert shown in result.stdout
    assert f'{CODE_LINE} | console.log("hi")' in result.stdout  # the excerpt comes from stdin
    assert "BBJ302" not in result.stdout  # the project's config, found from PATH
    assert "BBJ113" not in result.stdout and not target.exists()
    assert caches(tmp_path) == []  # no verdict cache, no dedupe index, for a document that is no file


def test_lint_dash_reads_stdin_and_judges_no_file_location(tmp_path: Path) -> None:
    result = curate(tmp_path, "lint", "--format", "json", "-", stdin=NO_REM)
    findings = json.loads(result.stdout)
    assert result.returncode == 1 and {f["path"] for f in findings} == {"-"}
    assert {f["code"] for f in findings} == {"BBJ302"}  # no BBJ112/113 for a file that has no name
    named = curate(tmp_path, "lint", "--format", "json", "--stdin-filename", "training-data/Bad Name.md", stdin=NO_REM)
    assert {f["code"] for f in json.loads(named.stdout)} >= {"BBJ112", "BBJ113"}
    assert caches(tmp_path) == []


def test_syntax_reads_source_from_stdin(tmp_path: Path) -> None:
    result = curate(tmp_path, "syntax", "--stdin-filename", "src/hello.bbj", stdin='rem hi\nconsole.log("hi")\n')
    assert result.returncode == 1 and "src/hello.bbj:2:1: BBJ510" in result.stdout and '2 | console.log("hi")' in result.stdout
    clean = curate(tmp_path, "syntax", "-", stdin='rem hi\nprint "hi"\n')
    assert clean.returncode == 0 and "1 file checked" in clean.stdout
    assert caches(tmp_path) == []


def test_fix_prints_the_fixed_document_and_diff_the_change(tmp_path: Path) -> None:
    """As ruff: `--fix -` writes the fixed document to stdout and what remains to stderr."""
    basic = NO_REM.replace("```bbj", "```basic")
    fixed = curate(tmp_path, "lint", "--fix", "--stdin-filename", "training-data/strings/say-hi.md", stdin=basic)
    assert fixed.stdout == NO_REM and fixed.returncode == 1  # BBJ302 is left, and is an error
    assert "1 fixed, 1 remaining." in fixed.stderr and f"say-hi.md:{CODE_LINE}:1: BBJ302" in fixed.stderr
    diff = curate(tmp_path, "lint", "--diff", "-", stdin=basic)
    assert diff.returncode == 1 and "-```basic\n+```bbj" in diff.stdout
    assert curate(tmp_path, "lint", "--diff", "-", stdin=NO_REM).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written anywhere


@pytest.mark.parametrize(
    "args",
    [("lint", "-", "training-data"), ("lint", "--stdin-filename", "x.md", "training-data"), ("lint", "--fix", "-o", "out.txt", "-")],
    ids=["dash-among-paths", "filename-with-paths", "fix-with-output"],
)
def test_usage_errors(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "training-data").mkdir()
    result = curate(tmp_path, *args, stdin=NO_REM)
    assert result.returncode == 2, result.stderr
    assert "stdin" in result.stderr or "`-`" in result.stderr
    assert not (tmp_path / "out.txt").exists()
