"""Helpers of the compile-check tests: a real executable fake bbjcpl, the real compiler
fixtures from ../shared, and Markdown examples written to disk and loaded the normal way."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from shared_corpus import CORPUS, require

from curate.checks import CheckOptions, CheckRun
from curate.config import CurateConfig
from curate.example import Example, load_example

HERE = Path(__file__).resolve().parent
FIXTURES = CORPUS / "cpl-fixtures"
# in-review: gated, so findings keep the severity the checker gives (a draft's are warnings).
FRONT_MATTER = "---\ntitle: {title}\ntype: {type}\ngeneration: bbj-gui\ndifficulty: basic\nstatus: in-review\n---\n\n"


def install_fake(folder: Path, name: str = "bbjcpl") -> Path:
    """Copy the fake compiler into `folder` as an executable whose shebang is this Python."""
    folder.mkdir(parents=True, exist_ok=True)
    body = (HERE / "fake_bbjcpl" / "bbjcpl.py").read_text("utf-8").split("\n", 1)[1]
    target = folder / name
    target.write_text(f"#!{sys.executable}\n{body}", "utf-8")
    target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return target


def fixture_files() -> Path:
    return require("cpl-fixtures")


def example_text(blocks: list[str], title: str = "Example", type_: str = "completion", explanation: str = "How it works.") -> str:
    """A Markdown example: `blocks` are raw Markdown chunks placed under `## Code`."""
    return FRONT_MATTER.format(title=title, type=type_) + "## Code\n\n" + "\n\n".join(blocks) + f"\n\n## Explanation\n\n{explanation}\n"


def bbj_block(code: str, filename: str | None = None) -> str:
    head = f"<!-- filename: {filename} -->\n" if filename is not None else ""
    return f"{head}```bbj\n{code.rstrip(chr(10))}\n```"


def fence_lines(text: str) -> list[int]:
    """1-based lines of every opening ```bbj fence, found independently of the parser."""
    return [i for i, line in enumerate(text.split("\n"), start=1) if line.strip() == "```bbj"]


def write_example(folder: Path, name: str, text: str) -> Example:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    example, problems = load_example(path, str(path))
    assert example is not None, problems
    return example


def make_run(examples: list[Example], config: CurateConfig, checker: str | None = None, jobs: int | None = 1) -> CheckRun:
    return CheckRun([e.path for e in examples], config, CheckOptions(checker=checker, jobs=jobs, dedupe=False), examples=examples)
