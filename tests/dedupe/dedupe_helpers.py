"""Example text builders for the dedupe tests: programs long enough for shingles to matter,
with every line distinct, so an edit changes a known share of the shingles."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
    "tango",
    "uniform",
    "victor",
    "whiskey",
    "xray",
    "yankee",
    "zulu",
]


def program(seed: str, lines: int = 30) -> list[str]:
    """`lines` distinct BBj statements; a different seed gives an unrelated program."""
    out = []
    for n in range(lines):
        word = WORDS[(n * 7 + len(seed)) % len(WORDS)]
        out.append(f'{seed}_{word}{n}$ = "{word} {seed} {n}"' if n % 3 else f"print {seed}_{word}{n}$, len({seed}_{word}{n}$), {n * 13}")
    return out


def replace_lines(code: list[str], positions: range, tag: str) -> list[str]:
    changed = list(code)
    for n in positions:
        changed[n] = f'changed_{tag}{n}$ = "{tag} edit {n}"'
    return changed


def example_text(title: str, code: list[str], explanation: str = "It prints things.", status: str = "draft") -> str:
    return (
        f"---\ntitle: {title}\ntype: completion\ngeneration: all\ndifficulty: basic\nstatus: {status}\n---\n\n"
        "## Code\n\n```bbj\n" + "\n".join(code) + "\n```\n\n## Explanation\n\n" + explanation + "\n"
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def git(cwd: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


def project(root: Path) -> Path:
    """A folder with a `[tool.bbj-curate]` pyproject.toml, so config and cache live inside it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text('[tool.bbj-curate]\ncache-dir = ".bbj-cache"\n')
    return root
