"""The progress display of `bbj-curate` through a real pseudo-terminal: it shows on a
terminal, never when the output is piped, without colour under NO_COLOR / --no-color, and
the hooks never load rich.progress (their startup stays fast)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pty_capture import output_on_a_terminal

EXAMPLE = (
    "---\ntitle: Count to {n}\ntype: completion\ngeneration: all\ndifficulty: basic\n---\n\n## Code\n\n```bbj\nrem Count to {n}\n"
    "for i = 1 to {n}\n  print i\nnext i\n```\n\n## Expected Behavior\n\nPrints 1 to {n}.\n\n## Explanation\n\nA FOR loop counts.\n"
)
FILES = 24
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-8]|9[0-7])[0-9;]*m")  # a foreground colour SGR
BAR = f"{FILES}/{FILES}"  # rich's MofNCompleteColumn once everything is done


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress")
    (root / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
    folder = root / "training-data" / "control-flow"
    folder.mkdir(parents=True)
    for n in range(FILES):
        (folder / f"count-to-{n + 2}.md").write_text(EXAMPLE.format(n=n + 2), "utf-8")
    return root


def run(project: Path, args: list[str], terminal: bool, **env: str) -> str:
    """stdout and stderr of `bbj-curate ARGS`, both on one pseudo-terminal or both piped."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")} | {"BBJ_CURATE_PROGRESS_AFTER": "0", "TERM": "xterm-256color"} | env
    command = [sys.executable, "-m", "curate.cli", *args]
    if not terminal:
        done = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=120, check=False)
        return done.stdout + done.stderr
    return output_on_a_terminal(command, project, environment, stderr_too=True)


@pytest.mark.parametrize("command", [["check", "-j", "1"], ["lint"], ["stats"], ["dedupe"]], ids=lambda c: c[0])
def test_progress_shows_on_a_terminal_only(project: Path, command: list[str]) -> None:
    shown = run(project, command, terminal=True)
    assert BAR in shown, shown[-2000:]
    assert BAR not in run(project, command, terminal=False)


def test_check_shows_each_stage(project: Path) -> None:
    import shutil

    shutil.rmtree(project / ".bbj-cache", ignore_errors=True)  # cached verdicts are not compiled again
    shown = run(project, ["check", "-j", "1"], terminal=True)
    assert "lint" in shown and "compile" in shown and shown.count(BAR) >= 2
    assert "dedupe" in shown  # the near-duplicate candidates (these examples are all alike)


def test_no_colour_with_no_color_or_the_flag(project: Path) -> None:
    assert COLOUR.search(run(project, ["lint"], terminal=True)), "the bar is coloured on a terminal"
    for shown in (run(project, ["lint"], terminal=True, NO_COLOR="1"), run(project, ["--no-color", "lint"], terminal=True)):
        assert BAR in shown and not COLOUR.search(shown)


def test_short_work_shows_nothing(project: Path) -> None:
    """Under the default delay (1 s) a quick run draws no bar."""
    assert BAR not in run(project, ["lint", "training-data/control-flow/count-to-2.md"], terminal=True, BBJ_CURATE_PROGRESS_AFTER="1")


def test_json_stays_parseable_on_a_terminal(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "curate.cli", "lint", "--format", "json"],
        cwd=project,
        env={**os.environ, "BBJ_CURATE_PROGRESS_AFTER": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip() == "[]"


def test_hooks_do_not_import_rich_progress(project: Path) -> None:
    probe = "import sys; from hooks import lint; lint.main(sys.argv[1:]); print('rich.progress' in sys.modules)"
    files = [str(p) for p in sorted((project / "training-data").rglob("*.md"))]
    done = subprocess.run([sys.executable, "-c", probe, *files], cwd=project, capture_output=True, text=True, check=False)
    assert done.stdout.strip().endswith("False"), done.stdout + done.stderr
