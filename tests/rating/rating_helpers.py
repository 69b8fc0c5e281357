"""A small eval run (samples.jsonl of two models on four cases) and helpers to drive the
rating app with Pilot."""

from __future__ import annotations

import json
from pathlib import Path

from curate.checks import CheckOptions
from curate.config import load_config
from curate.rating.samples import load_run
from curate.tui.rating_app import RatingApp

SIZE = (160, 44)
MODELS = ("base", "tuned")
PYPROJECT = '[tool.bbj-curate]\ntopics = ["gui", "strings", "file-io", "database", "control-flow", "oop", "dwc"]\n'

GOOD_GUI = """rem Window with a button that says hello
sysgui! = BBjAPI().getSysGui()
window! = sysgui!.addWindow(100,100,300,120,"Hello")
hello! = window!.addButton(101,20,40,120,30,"Hello")
hello!.setCallback(BBjAPI.ON_BUTTON_PUSH,"on_hello")
window!.setCallback(BBjAPI.ON_CLOSE,"on_close")
process_events

on_hello:
    i = msgbox("Hello!",64,"Hello")
return

on_close:
release"""

BAD_GUI = """sysgui! = BBjAPI().getSysGui()
window! = sysgui!.addWindow(100,100,300,120,"Hello")
hello! = window!.addButton(101,20,40,120,30,"Hello")
hello!.addEventListener("click", on_hello)"""

CASES = [
    {
        "case_id": "c1",
        "prompt": "Make a BBj GUI window with a Hello button that shows a message.",
        "generation": "bbj-gui",
        "type": "completion",
        "difficulty": "basic",
        "topic": "gui",
        "expects": "code",
    },
    {
        "case_id": "c2",
        "prompt": "Reverse a string in BBj.",
        "generation": "all",
        "type": "completion",
        "difficulty": "intermediate",
        "topic": "strings",
        "expects": "code",
    },
    {
        "case_id": "c3",
        "prompt": "What does process_events do?",
        "generation": "bbj-gui",
        "type": "explanation",
        "difficulty": "basic",
        "topic": "gui",
        "expects": "prose",
    },
    {
        "case_id": "c4",
        "prompt": "Explain err=*next on erase.",
        "generation": "all",
        "type": "comprehension",
        "difficulty": "advanced",
        "topic": "file-io",
        "expects": "prose",
    },
]


def answer(case: dict, model: str) -> dict:
    if case["case_id"] == "c1":
        raw = f"Here you go:\n\n```bbj\n{GOOD_GUI if model == 'tuned' else BAD_GUI}\n```\n"
        status = "ok" if model == "tuned" else "syntax-error"
        diagnostics = (
            [] if model == "tuned" else [{"line": 4, "col": 8, "code": "BBJ511", "severity": "error", "message": "BBjButton has no method addEventListener"}]
        )
    elif case["case_id"] == "c2":
        raw = '```bbj\ntext$ = "abc"\nout$ = ""\nfor i = len(text$) to 1 step -1\n    out$ = out$ + text$(i,1)\nnext i\nprint out$\n```\nWalks the string backwards.'
        status, diagnostics = "ok", []
    else:
        raw = "It waits for events and calls the registered callbacks." if model == "tuned" else "It ends the program."
        status, diagnostics = "ok", []
    code = raw.split("```bbj\n")[1].split("\n```")[0] if "```bbj" in raw else None
    return {
        **case,
        "model": model,
        "sample": 0,
        "round": 0,
        "reference": None,
        "raw": raw,
        "code": code,
        "status": status,
        "diagnostics": diagnostics,
        "output_tokens": 10,
        "latency_s": 0.1,
    }


def write_run(root: Path, name: str = "run-1") -> Path:
    """root/pyproject.toml, root/training-data/, root/evals/<name>/samples.jsonl (+ lines that
    are not rated: a second sample, a repair round, a broken line)."""
    (root / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    (root / "training-data" / "gui").mkdir(parents=True, exist_ok=True)
    run = root / "evals" / name
    run.mkdir(parents=True)
    lines = [answer(case, model) for case in CASES for model in MODELS]
    lines.append({**answer(CASES[0], "tuned"), "sample": 1})
    lines.append({**answer(CASES[0], "base"), "round": 1})
    text = "".join(json.dumps(line) + "\n" for line in lines) + "{not json\n"
    (run / "samples.jsonl").write_text(text, "utf-8")
    (run / "report.json").write_text(json.dumps({"name": name, "models": [{"name": "tuned"}, {"name": "base"}]}), "utf-8")
    return run


def make_app(run_dir: Path, reviewer: str = "Ada", editor: str | None = None, seed: int = 0) -> RatingApp:
    run = load_run(run_dir)
    config = load_config([run_dir])
    return RatingApp(run, ("tuned", "base"), config, reviewer, seed=seed, editor=editor, check_options=CheckOptions(jobs=1, dedupe=False))
