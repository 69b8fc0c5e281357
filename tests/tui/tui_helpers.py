"""A small, deterministic example set (relative paths, fixed date and reviewer) and helpers to
drive the review app with Pilot. The fixture that writes it lives in conftest.py."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from curate.checks import CheckOptions
from curate.config import load_config
from curate.tui.app import ReviewApp

TODAY = dt.date(2024, 5, 17)
REVIEWER = "Ada Reviewer"
SIZE = (150, 40)

PYPROJECT = f"""\
[tool.bbj-curate]
reviewer = "{REVIEWER}"
select = ["BBJ2"]
topics = ["gui", "strings", "file-io", "database", "control-flow"]
"""

GUI_CODE = """\
rem Open a window with a button
sysgui! = BBjAPI().getSysGui()
window! = sysgui!.addWindow(100, 100, 400, 300, "Orders")
button! = window!.addButton(1, 10, 10, 120, 25, "OK")
button!.setCallback(BBjAPI.ON_BUTTON_PUSH, "on_ok")
process_events

on_ok:
  print "OK pressed"
return"""


def example(front: str, code: str, explanation: str, expected: str | None = None) -> str:
    parts = [f"---\n{front.strip()}\n---\n", f"## Code\n\n```bbj\n{code}\n```\n"]
    if expected:
        parts.append(f"## Expected Behavior\n\n{expected}\n")
    parts.append(f"## Explanation\n\n{explanation}\n")
    return "\n".join(parts)


FILES: dict[str, str] = {
    "gui/open-window.md": example(
        "title: Open a window with a button\ntype: completion\ngeneration: bbj-gui\ndifficulty: basic\ntags: [window, button]\nstatus: draft",
        GUI_CODE,
        "The program asks BBjAPI for the SysGui, adds a window and a button, and registers a callback\nfor the button push before it waits for events.",
        "A window titled Orders with an OK button appears; pressing it prints OK pressed.",
    ),
    "gui/open-window-copy.md": example(
        "title: Show a window with an OK button\ntype: completion\ngeneration: bbj-gui\ndifficulty: basic\ntags: [window, button]\nstatus: draft",
        GUI_CODE.replace('"Orders"', '"Customers"'),
        "The program asks BBjAPI for the SysGui, adds a window and a button, and registers a callback\nfor the button push before it waits for events.",
        "A window titled Customers with an OK button appears; pressing it prints OK pressed.",
    ),
    "strings/reverse.md": example(
        "title: Reverse a string\ntype: comprehension\ngeneration: all\ndifficulty: intermediate\ntags: [strings]\n"
        "status: approved\nreviewer: Grace\nreviewed: '2024-01-02'",
        'word$ = "stressed"\nfor i = len(word$) to 1 step -1\n  out$ = out$ + word$(i, 1)\nnext i\nprint out$',
        "The loop walks the string from its last character to its first and appends each one.",
        "It prints desserts.",
    ),
    "file-io/read-lines.md": example(
        "title: Read a text file line by line\n# kept: a comment the reviewer wrote\ntype: explanation\ngeneration: [vpro5, bbj-gui]\n"
        "difficulty: advanced\nstatus: needs-work  # set by hand\nreview_note: 'explain err=, please'",
        'ch = unt\nopen (ch)"data.txt"\nwhile 1\n  read (ch, end=eof)line$\n  print line$\nwend\neof:\nclose (ch)',
        "UNT returns a free channel; READ with END= leaves the loop at the end of the file.",
    ),
    "database/bad-type.md": example(
        "title: Query a table\ntype: tutorial\ngeneration: character\ndifficulty: basic\nstatus: in-review",
        'sql = sqlopen("CDStore")\nsqlprep(sql)"SELECT title FROM cdinventory"\nsqlexec(sql)',
        "SQLOPEN opens a channel to the database and SQLPREP prepares the statement.",
    ),
    "control-flow/count-down.md": example(
        "title: Count down with a FOR loop\ntype: completion\ngeneration: character\ndifficulty: basic\nstatus: draft",
        "for i = 10 to 1 step -1\n  print i\nnext i",
        "A FOR loop with a negative STEP counts down.",
        "It prints the numbers 10 down to 1.",
    ),
}


def write_data(root: Path) -> None:
    """pyproject.toml and the examples under root/training-data."""
    (root / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    for name, text in FILES.items():
        path = root / "training-data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def data_path(name: str) -> Path:
    """A file of the set, relative to the working directory the fixture sets."""
    return Path("training-data") / name


def make_app(**kwargs: object) -> ReviewApp:
    """The app on ./training-data with a fixed date; checks without the compile step, in a
    thread (one test covers the spawned child the real app uses; it costs seconds a start)."""
    paths = [Path("training-data")]
    options = kwargs.pop("options", CheckOptions(jobs=1, compile=False, dedupe=True))
    kwargs.setdefault("checks_in_child", False)
    return ReviewApp(paths, load_config(paths), options, today=lambda: TODAY, **kwargs)  # type: ignore[arg-type]


def sync(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async Pilot test with asyncio.run, so no async pytest plugin is needed."""

    @functools.wraps(test)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the workers are done and every message has been handled."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_row(pilot: Pilot[None], name: str, *keys: str) -> None:
    """Put the browser cursor on `name` (a path under training-data, found by searching for it),
    focus the table, then press `keys` on that example and let the app settle."""
    app = pilot.app
    assert isinstance(app, ReviewApp)
    app.browser.query_one("#filter-text", Input).value = name
    await settle(pilot)
    app.browser.table.focus()
    current = app.browser.table.current
    assert current is not None and current.display == f"training-data/{name}"
    if keys:
        await pilot.press(*keys)
        await settle(pilot)
