"""Files written the way the upstream BBj training-data repository writes them (quoted titles,
JSON-style lists, human generation names in migration headings, bare output fences, a list
`to_generation`) pass every check: the two formats stay one."""

from __future__ import annotations

from pathlib import Path

from curate.checks import CheckOptions, run_checks
from curate.config import CurateConfig

MIGRATION = """---
title: "Replace a terminal prompt by a form"
type: migration
generation: dwc
from_generation: character
to_generation: ["bbj-gui", "dwc"]
difficulty: intermediate
tags: [migration, input]
description: "Move a character-mode prompt into a window with an input field"
---

## Code

### Before (Character Mode)

```bbj
REM Ask for a city in the terminal
INPUT "City: ", city$
PRINT "Shipping to ", city$
```

### After (BBj GUI/DWC)

```bbj
REM Ask for a city in a window
sysgui! = BBjAPI().getSysGui()
form! = sysgui!.addWindow(80, 80, 360, 160, "Shipping")
form!.addStaticText(1, 10, 12, 80, 22, "City:")
city! = form!.addEditBox(2, 100, 10, 200, 24, "")
ok! = form!.addButton(3, 100, 50, 90, 28, "OK")
ok!.setCallback(ok!.ON_BUTTON_PUSH, "confirm")
form!.setCallback(form!.ON_CLOSE, "leave")
process_events

confirm:
    x = msgbox("Shipping to " + city!.getText())
    return

leave:
    release
```

## Expected Behavior

Both versions ask for a city; the second one in a window with an OK button.

## Explanation

The prompt becomes a static text, the INPUT an edit box, and the flow a button callback.
"""

OUTPUT = """---
title: "Count the vowels of a word"
type: comprehension
generation: all
difficulty: basic
tags: [strings]
---

## Code

```bbj
REM Count the vowels of a word
word$ = "BASIS"
count = 0
FOR i = 1 TO LEN(word$)
    IF POS(word$(i,1) = "AEIOU") > 0 THEN count = count + 1
NEXT i
PRINT "Vowels: ", count
END
```

## Expected Output

```
Vowels: 2
```

## Explanation

POS finds the letter in the string of vowels; a result above zero means it is one.
"""


def test_upstream_style_examples_pass_every_check(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name, text in {"gui/replace-a-prompt.md": MIGRATION, "strings/count-vowels.md": OUTPUT}.items():
        path = tmp_path / "training-data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    config = CurateConfig(root=tmp_path, checker="builtin", cache_dir=str(tmp_path / "cache"))
    run = run_checks([Path("training-data")], config, CheckOptions(jobs=1))
    assert run.files == 2
    assert [d.render() for d in run.diagnostics] == []
