"""Hostile and broken files through the real `bbj-curate lint` process: each one is a
diagnostic with a stable code at the right line and exit status 1, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VALID = (
    "---\ntitle: Greet the user\ntype: completion\ngeneration: all\n---\n\n"
    '## Code\n\n```bbj\nrem Greet the user\nprint "hello"\n```\n\n'
    "## Expected Behavior\n\nPrints hello.\n\n## Explanation\n\nPRINT writes to the terminal.\n"
)


def bbj_curate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "curate.cli", *args], cwd=cwd, env=env, check=False, capture_output=True, text=True, timeout=120)


def write(text: str | bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)

    return make


def sparse_50mb(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)


# (id, how to make training-data/strings/bad.md, expected code, expected line, extra CLI args)
BAD_INPUTS: list[tuple[str, Callable[[Path], None], str, int, list[str]]] = [
    ("broken-yaml", write("---\ntitle: Greet\ntype: [completion\ngeneration: all\n---\n## Code\n"), "BBJ103", 4, []),
    ("yaml-alias-bomb", write("---\na: &a [x, x]\nb: &b [*a, *a]\ntitle: t\n---\n"), "BBJ103", 3, []),
    ("missing-front-matter", write("# Greet the user\n\n## Code\n"), "BBJ101", 1, []),
    ("unterminated-front-matter", write("---\ntitle: Greet\ntype: completion\n\n## Code\n"), "BBJ102", 1, []),
    ("front-matter-list", write("---\n- title\n- type\n---\n"), "BBJ104", 2, []),
    ("binary", write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "BBJ002", 1, []),
    ("invalid-utf8", write(VALID.replace("Prints hello.", "Prints h\udce9llo.").encode("utf-8", "surrogateescape")), "BBJ002", 16, []),
    ("fifty-megabytes", sparse_50mb, "BBJ003", 1, []),
    ("empty", write(b""), "BBJ006", 1, []),
    ("directory", lambda path: path.mkdir(), "BBJ001", 1, []),
    ("symlink-loop", lambda path: os.symlink(path.name, path), "BBJ001", 1, []),
    # BOM and CRLF are warnings (a Windows checkout with core.autocrlf must not fail a hook),
    # so they fail the run only with --fail-on warning.
    ("bom", write(("\ufeff" + VALID).encode("utf-8")), "BBJ004", 1, ["--fail-on", "warning"]),
    ("crlf", write(VALID.replace("\n", "\r\n")), "BBJ005", 1, ["--fail-on", "warning"]),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
    (tmp_path / "training-data" / "strings").mkdir(parents=True)
    return tmp_path


PARAMS = [
    pytest.param(
        *case[1:],
        given,
        id=f"{given}-{case[0]}",
    )
    for given in ("file", "folder")
    for case in BAD_INPUTS
]


@pytest.mark.parametrize(("make", "code", "line", "args", "given"), PARAMS)
def test_bad_input_is_a_diagnostic(project: Path, make: Callable[[Path], None], code: str, line: int, args: list[str], given: str) -> None:
    bad = project / "training-data" / "strings" / "bad.md"
    make(bad)
    target = "training-data/strings/bad.md" if given == "file" else "training-data"
    result = bbj_curate(project, "lint", "--format", "json", *args, target)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, (result.stdout, result.stderr)
    findings = json.loads(result.stdout)
    assert [(f["path"], f["code"], f["line"]) for f in findings] == [("training-data/strings/bad.md", code, line)]


@pytest.mark.parametrize("fmt", ["text", "github", "sarif"])
def test_bad_input_in_every_format(project: Path, fmt: str) -> None:
    (project / "training-data" / "strings" / "bad.md").write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    result = bbj_curate(project, "lint", "--format", fmt, "training-data")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "BBJ103" in result.stdout


def test_missing_path_is_a_usage_error(project: Path) -> None:
    result = bbj_curate(project, "lint", "--format", "json", "training-data/strings/nowhere.md")
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stdout == ""
    assert "no such file or directory: training-data/strings/nowhere.md" in result.stderr
