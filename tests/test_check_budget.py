"""The per-file time budget covers the compile check (built-in checker) and the dedupe check
(normalize, shingle, confirm), not only loading and lint: one pathological file is a BBJ007
finding on that file, found within about the budget, instead of a stalled pre-commit hook."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from curate.compile import BuiltinChecker
from curate.compile.checkers import TRANSIENT_CODES
from curate.compile.program import Program, SourceFile
from curate.dedupe import DedupeConfig, Item
from curate.dedupe.cluster import clustering
from curate.timebudget import OVER_BUDGET, BudgetTimer, OverBudget

REPO = Path(__file__).resolve().parents[1]
MANY_LINES = "print 1\n" * 400_000  # 3.2 MB, several seconds for the built-in checker on a quiet machine (1.2 MB fit a 1.5 s budget once)
LONG_LINE = "```bbj\n" + " ".join(f"x{i % 50}=y+{i}" for i in range(300_000)) + "\n```\n"  # one 3.7 MB line: ~2 s to shingle
BUDGET = 0.3


def example(title: str, code: str) -> str:
    return (
        f"---\ntitle: {title}\ntype: completion\ngeneration: all\n---\n\n## Code\n\n```bbj\n{code}```\n\n"
        "## Expected Behavior\n\nPrints one, many times.\n\n## Explanation\n\nPRINT writes to the terminal.\n"
    )


def test_builtin_checker_stops_at_the_budget() -> None:
    program = Program("big.md", (SourceFile("block1.bbj", MANY_LINES, list(range(1, 150_001))),))
    started = time.perf_counter()
    findings = BuiltinChecker(budget=BUDGET).check(program)
    assert time.perf_counter() - started < BUDGET + 1.0
    assert [f.code for f in findings] == [OVER_BUDGET] and "took over 0.3 s" in findings[0].message
    assert OVER_BUDGET in TRANSIENT_CODES  # a verdict about the machine's speed is never cached


def test_a_swallowed_budget_signal_is_raised_again() -> None:
    """A signal handled inside a weakref callback or __del__ has its exception dropped by Python
    (seen: the checker ran on past its budget); the handler arms a retry before it raises, and a
    tick after the block does nothing."""
    with BudgetTimer(30) as timer, timer.file():
        try:
            timer._on_alarm(signal.SIGALRM, None)  # the first raise, dropped as a callback would
        except OverBudget:
            pass
        with pytest.raises(OverBudget):
            time.sleep(5)  # the retry interrupts it
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    timer._on_alarm(signal.SIGALRM, None)  # after the block: no raise


def test_dedupe_leaves_out_an_item_over_the_budget() -> None:
    small = "```bbj\nprint 1\n```\n"
    items = [Item("long.md", LONG_LINE, "example"), Item("a.md", small, "example"), Item("b.md", small, "example")]
    started = time.perf_counter()
    clusters, late = clustering(items, DedupeConfig(item_budget=BUDGET))
    assert time.perf_counter() - started < BUDGET + 1.0
    assert [item.id for item in late] == ["long.md"]
    assert [sorted(c.members) for c in clusters] == [["a.md", "b.md"]]  # the others are still compared


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.bbj-curate]\nchecker = "builtin"\n', "utf-8")
    (tmp_path / "training-data" / "strings").mkdir(parents=True)
    (tmp_path / "training-data" / "strings" / "good.md").write_text(example("Greet the user", 'print "hello"\n'), "utf-8")
    return tmp_path


def hook(cwd: Path, module: str, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)
    return done, time.perf_counter() - started


@pytest.mark.parametrize(
    ("module", "code", "budget", "message"),
    [
        ("hooks.compile", MANY_LINES, "1.5", "checking this code took over 1.5 s"),
        ("hooks.dedupe", "(" * 2_000_000 + "\n", "0.5", "checking this file took over 0.5 s"),
    ],
    ids=["compile", "dedupe"],
)
def test_hook_reports_a_pathological_file_over_budget(project: Path, module: str, code: str, budget: str, message: str) -> None:
    """Each hook on a file whose check alone takes several times the budget (about 4 s of
    checking, 2 s of shingling on a quiet machine): BBJ007 on that file, nothing on the good
    one. The loader is linear (the compile hook's budget leaves it room on a loaded machine)."""
    (project / "training-data" / "strings" / "huge.md").write_text(example("A huge program", code), "utf-8")
    done, seconds = hook(project, module, "--file-budget", budget, "training-data/strings/huge.md", "training-data/strings/good.md")
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert f": {OVER_BUDGET} {message}" in done.stdout and "training-data/strings/huge.md:" in done.stdout, done.stdout
    assert "good.md" not in done.stdout and "Traceback" not in done.stderr
    assert seconds < 60
