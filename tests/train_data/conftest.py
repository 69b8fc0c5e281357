"""Shared helpers for the data pipeline tests: a small curated example set written to disk,
the legacy fixture generator, and running `bbj-train` in-process or as a real subprocess."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = '[tool.bbj-curate]\ntopics = ["gui", "database", "strings", "file-io", "control-flow", "oop", "dwc"]\n'

COMPLETION = """---
title: Greet the user in a window
type: completion
generation: bbj-gui
difficulty: basic
description: Open a window with a button that greets the user.
status: approved
---

## Code

<!-- filename: greet.bbj -->
```bbj
rem Greet the user
sysgui! = BBjAPI().getSysGui()
window! = sysgui!.addWindow(100,100,300,120,"Hello")
button! = window!.addButton(101,20,20,120,28,"Greet")
button!.setCallback(BBjAPI.ON_BUTTON_PUSH,"greet")
process_events

greet:
    a = msgbox("Hello, world")
return
```

<!-- filename: helper.bbj -->
```bbj
rem helper with a ``` inside a string
x$ = "```"
print x$
```

## Expected Behavior

A window with a Greet button opens; pushing it shows a message box.

## Explanation

The window and button are objects; `setCallback` ties the push event to the `greet` label.
"""

COMPREHENSION = """---
title: Trim a string with CVS
type: comprehension
generation: all
status: approved
---

## Code

```bbj
rem Trim a name
name$ = "  Ada  "
print cvs(name$,3)
```

## Expected Output

```text
Ada
```

## Explanation

`cvs(name$,3)` removes leading (1) and trailing (2) spaces; 3 is both.
"""

MIGRATION = """---
title: Move a character prompt to a window
type: migration
generation: [character, bbj-gui]
from_generation: character
to_generation: bbj-gui
status: approved
---

## Code

### Before (character)

```bbj
rem Ask for a name
print 'cs',@(10,5),"Name: ",
input name$
```

### After (bbj-gui)

```bbj
rem Ask for a name in a window
sysgui! = BBjAPI().getSysGui()
window! = sysgui!.addWindow(100,100,300,120,"Name")
edit! = window!.addEditBox(101,20,20,200,24,"")
process_events
```

## Explanation

`@(x,y)` positions become control coordinates, and INPUT becomes an edit box read in a callback.
"""

EXPLANATION = """---
title: Why BBj uses callbacks
type: explanation
generation: bbj-gui
status: in-review
---

## Explanation

Callbacks let BBj dispatch events to labels:

```bbj
button!.setCallback(BBjAPI.ON_BUTTON_PUSH,"pushed")
process_events
```

There is no hand-written event loop.
"""

BROKEN_YAML = "---\ntitle: [unclosed\ntype: completion\n---\n\n## Code\n\n```bbj\nprint 1\n```\n"
BAD_SCHEMA = "---\ntitle: Bad type\ntype: tutorial\ngeneration: all\nstatus: approved\n---\n\n## Code\n\n```bbj\nprint 1\n```\n"
NO_CODE = "---\ntitle: No code here\ntype: completion\ngeneration: all\nstatus: approved\n---\n\n## Explanation\n\nNothing to run.\n"

WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu".split()


def distinct_example(n: int, status: str = "approved", code: str = "") -> str:
    """A valid completion whose text shares little with any other `n` (no near duplicates):
    words drawn from a generator seeded with `n`. `code` replaces the program's body."""
    import random

    pick = random.Random(n).sample
    lines = code or "\n".join(f'print "{" ".join(pick(WORDS, 6))} {n}-{k}"' for k in range(8))
    prose = " ".join(pick(WORDS, 12))
    return (
        f"---\ntitle: Print word set {n}\ntype: completion\ngeneration: all\ndifficulty: basic\nstatus: {status}\n---\n\n"
        f"## Code\n\n```bbj\nrem Print word set {n}\n{lines}\n```\n\n## Expected Behavior\n\nPrints {prose}.\n\n"
        f"## Explanation\n\nEach line prints {' '.join(pick(WORDS, 10))}.\n"
    )


VALID = {
    "gui/greet-user.md": COMPLETION,
    "strings/trim-with-cvs.md": COMPREHENSION,
    "gui/character-prompt-to-window.md": MIGRATION,
    "gui/why-callbacks.md": EXPLANATION,
}
INVALID = {"gui/broken-yaml.md": (BROKEN_YAML, "BBJ103", 3), "gui/bad-schema.md": (BAD_SCHEMA, "BBJ203", 3), "gui/no-code.md": (NO_CODE, "BBJ105", 3)}


def write_examples(root: Path, files: dict[str, str]) -> Path:
    """A project folder with pyproject.toml and training-data/<topic>/<name>.md files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    data = root / "training-data"
    for name, text in files.items():
        path = data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return data


@pytest.fixture
def example_set(tmp_path: Path) -> Path:
    """The four valid examples (one per type) and three invalid ones."""
    return write_examples(tmp_path / "project", {**VALID, **{k: v[0] for k, v in INVALID.items()}})


def load_legacy_fixture() -> ModuleType:
    path = REPO / "tests" / "fixtures" / "legacy" / "legacy_fixture.py"
    spec = importlib.util.spec_from_file_location("legacy_fixture", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["legacy_fixture"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def legacy_fixture() -> ModuleType:
    return load_legacy_fixture()


def bbj_train(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real console script in a subprocess."""
    exe = Path(sys.executable).with_name("bbj-train")
    argv = [str(exe), *map(str, args)] if exe.exists() else [sys.executable, "-m", "train.cli", *map(str, args)]
    return subprocess.run(argv, capture_output=True, text=True, cwd=cwd or REPO, timeout=300, check=False)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
