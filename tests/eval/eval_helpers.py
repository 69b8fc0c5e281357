"""Shared data of the eval tests: cases with known answers, the scripted server's script, configs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openai_server import Reply

OK = '```bbj\nprint "hello"\nend\n```'
BAD = "```bbj\nfunction hello() {\n}\n```"
PROSE = "PRINT writes its arguments to the current output channel."
CASES: list[dict[str, Any]] = [
    {"id": "g1", "prompt": "Print hello", "generation": "all", "type": "completion", "difficulty": "basic", "topic": "strings",
     "reference": OK, "must_call": ["print"]},
    {"id": "g2", "prompt": "Greet in a GUI", "generation": "bbj-gui", "type": "completion", "difficulty": "intermediate", "topic": "gui",
     "reference": OK, "must_call": ["msgbox"]},
    {"id": "g3", "prompt": "Migrate this", "generation": "dwc", "type": "migration", "difficulty": "advanced", "from_generation": "vpro5",
     "reference": OK},
    {"id": "g4", "prompt": "Slow one", "generation": "character", "type": "completion", "difficulty": "basic", "reference": OK},
    {"id": "p1", "prompt": "What does PRINT do?", "generation": "all", "type": "explanation", "difficulty": "basic",
     "reference": "PRINT writes text to the screen or a channel."},
]  # fmt: skip
# Per case: the greedy reply (seed 0) and the sampled replies for seeds 1..4.
GREEDY = {"g1": OK, "g2": BAD, "g3": "I would rather not write code today.", "g4": "SLOW", "p1": PROSE}
SAMPLED = {"g1": [OK, OK, BAD, OK], "g2": [BAD, OK, BAD, BAD], "g3": [BAD, BAD, BAD, BAD], "g4": [OK, OK, OK, OK]}


def script(body: dict[str, Any]) -> Reply:
    """Answers by the case's prompt (first user turn) and seed; a repair turn gets OK for g2."""
    users = [m["content"] for m in body["messages"] if m["role"] == "user"]
    case = next(c["id"] for c in CASES if c["prompt"] == users[0])
    if len(users) > 1:  # a repair round
        return Reply(OK if case == "g2" else "Still no code.")
    text = GREEDY[case] if body["seed"] == 0 else SAMPLED[case][body["seed"] - 1]
    if text == "SLOW":
        return Reply("too late", delay_s=1.5)
    return Reply(text, tokens=10)


def write_cases(path: Path) -> Path:
    path.write_text("".join(json.dumps(c) + "\n" for c in CASES), encoding="utf-8")
    return path


def eval_toml(case_file: Path, base_url: str, out: Path, **extra: Any) -> str:
    settings = {"name": "t", "output_dir": out.as_posix(), "cases": [case_file.as_posix()], "samples": 4, "k": [1, 2, 4],
                "max_tokens": 64, "timeout_s": 0.5, "retries": 0, "concurrency": 3, "checker": "builtin", **extra}  # fmt: skip
    lines = [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    lines += ["", "[[models]]", 'name = "scripted"', 'backend = "openai"', f'base_url = "{base_url}"', 'model = "m"']
    return "\n".join(lines) + "\n"
