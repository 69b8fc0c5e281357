"""The repair loop: when the compile check fails, the reply and the checker's diagnostics go back
to the model as a new user turn, up to N rounds. The eval reports the result as its own column
(`compile@1+repair<=N`, never mixed into compile@1: a feedback loop measures pass@k over
attempts); the MCP tool `generate_bbj_code` runs the same loop for one request.

`attempt_code` is the single step (extract + judge); `repair_messages` builds the next turn;
`generate_and_repair` runs the whole loop with any `generate(messages) -> Completion`. The eval
drives the rounds itself across many samples at once with the first two."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from train.eval.client import Completion
from train.eval.extract import extract_code
from train.eval.judge import Judge, Verdict, render_diagnostics

Messages = list[dict[str, str]]
GenerateFn = Callable[[Messages], Completion]

NO_CODE_TURN = "Your reply contains no BBj code. Reply with the complete program in one ```bbj fenced block."


@dataclass
class Attempt:
    """One round: 0 is the first draft, k the k-th repair."""

    round: int
    messages: Messages
    completion: Completion
    code: str | None
    verdict: Verdict


def attempt_code(completion: Completion, judge: Judge) -> tuple[str | None, Verdict]:
    """(extracted code, verdict) of one completion; a failed generation keeps its status."""
    if completion.status != "ok":
        return None, Verdict(completion.status)
    code = extract_code(completion.text)
    return code, judge.judge(code)


def repair_turn(verdict: Verdict) -> str:
    """The user turn that asks for a fix, with the checker's findings as compiler-style lines."""
    if verdict.status == "no-code":
        return NO_CODE_TURN
    return (
        "The BBj compiler rejected this code:\n\n"
        f"{render_diagnostics(verdict.diagnostics)}\n\n"
        "Fix every error and reply with the complete corrected program in one ```bbj fenced block."
    )


def repair_messages(messages: Messages, completion: Completion, verdict: Verdict) -> Messages:
    """The conversation for the next round: the failed reply, then the diagnostics as a user turn."""
    return [*messages, {"role": "assistant", "content": completion.text}, {"role": "user", "content": repair_turn(verdict)}]


def can_repair(verdict: Verdict) -> bool:
    """Only replies that were judged (code or no code) are repaired; a timeout is not retried here."""
    return verdict.status in ("syntax-error", "no-code")


def generate_and_repair(messages: Messages, generate: GenerateFn, judge: Judge, rounds: int) -> list[Attempt]:
    """First draft plus up to `rounds` repairs; stops at the first reply that passes."""
    attempts: list[Attempt] = []
    current = messages
    for number in range(rounds + 1):
        completion = generate(current)
        code, verdict = attempt_code(completion, judge)
        attempts.append(Attempt(number, current, completion, code, verdict))
        if verdict.passed or not can_repair(verdict):
            break
        current = repair_messages(current, completion, verdict)
    return attempts
