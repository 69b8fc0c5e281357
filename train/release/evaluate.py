"""compile@1 of each GGUF of a release on a fixed subset of the BBj benchmark, in-process with
llama.cpp (greedy, the GGUF's own chat template, the training system prompts), judged by the same
compile check as the eval harness. Quantization regressions show here (code that stops compiling)
long before they show in KL divergence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curate.jsonl import JsonLines
from curate.safeio import UnsafeFile
from train.eval.client import STOP_SEQUENCES
from train.eval.extract import extract_code
from train.eval.judge import Judge
from train.eval.prompts import task_messages
from train.training.errors import fail

CODE_TYPES = ("completion", "migration")  # the case types whose answer is a program
DEFAULT_SUITE = Path("benchmark/bbj-bench-v1.jsonl")


def fixed_subset(suite: Path, count: int) -> list[dict[str, Any]]:
    """The first `count` code-producing cases by id: the same subset for every file and release."""
    reader = JsonLines(suite)
    try:
        rows = [item.value for item in reader]
    except UnsafeFile as exc:
        raise fail(str(suite), "REL004", f"cannot read the eval suite: {exc.message}") from None
    if reader.dropped:
        raise fail(str(suite), "REL004", f"cannot read the eval suite: {reader.dropped[0]}")
    cases = sorted((r for r in rows if isinstance(r, dict) and r.get("type") in CODE_TYPES and r.get("prompt")),
                   key=lambda r: str(r.get("id")))  # fmt: skip
    if len(cases) < count:
        raise fail(str(suite), "REL004", f"the eval suite has {len(cases)} code cases, {count} requested")
    return cases[:count]


def compile_at_1(gguf: Path, cases: list[dict[str, Any]], judge: Judge, max_tokens: int = 512, n_ctx: int = 4096) -> dict[str, Any]:
    from llama_cpp import Llama

    llm = Llama(str(gguf), n_ctx=n_ctx, verbose=False, n_gpu_layers=-1)
    codes: list[str | None] = []
    try:
        for case in cases:
            messages = task_messages(str(case["prompt"]), str(case.get("generation") or "all"), case.get("from_generation"))
            chat: Any = messages  # llama_cpp types messages as TypedDicts; these are the same plain dicts
            reply = llm.create_chat_completion(messages=chat, max_tokens=max_tokens, temperature=0.0, stop=list(STOP_SEQUENCES))
            codes.append(extract_code(str(reply["choices"][0]["message"]["content"] or "")))
    finally:
        llm.close()
    verdicts = judge.judge_many(codes)
    passed = sum(verdict.passed for verdict in verdicts)
    return {"file": gguf.name, "cases": len(cases), "passed": passed, "compile_at_1": round(passed / len(cases), 4),
            "statuses": [verdict.status for verdict in verdicts]}  # fmt: skip
