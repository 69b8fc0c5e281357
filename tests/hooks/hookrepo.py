"""Helpers for the hook tests: example text, git, and a consumer repository driver."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

VALID_EXAMPLE = """---
title: {title}
type: completion
generation: all
difficulty: basic
tags: [strings]
status: approved
---

## Code

```bbj
rem {title}
name$ = "{word}"
print "Hello, ", name$, "! Your name has ", len(name$), " letters."
for i = 1 to len(name$)
    print name$(i,1)
next i
```

## Expected Output

```text
Hello, {word}! Your name has {n} letters.
```

## Explanation

The program stores a greeting target in a string variable, prints it with `print`, and uses
`len()` to count its characters. The `for` loop walks the string with a substring `name$(i,1)`.
"""


def valid_example(title: str, word: str) -> str:
    return VALID_EXAMPLE.format(title=title, word=word, n=len(word))


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check)


class Consumer:
    def __init__(self, path: Path, home: Path):
        self.path = path
        self.env = {
            **os.environ,
            "PRE_COMMIT_HOME": str(home),
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        }
        self.env.pop("SKIP", None)

    def write(self, rel: str, text: str) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        return target

    def run_precommit(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=self.path, env=self.env, capture_output=True, text=True)

    def commit(self, message: str, *paths: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        subprocess.run(["git", "add", "-A", *paths], cwd=self.path, env=self.env, check=True)
        return subprocess.run(
            ["git", "commit", "-m", message], cwd=self.path, env={**self.env, **(extra_env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
