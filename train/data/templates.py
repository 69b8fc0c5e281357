"""Prompt phrasings per example type. Several per type so the model does not learn one fixed
wording; the choice is a stable hash of the example id, so a rerun gives the same records."""

from __future__ import annotations

import hashlib

USER_PHRASINGS: dict[str, tuple[str, ...]] = {
    "completion": (
        "{task}\n\nWrite this in BBj for {target}.",
        "Write a BBj program for {target} that does the following:\n\n{task}",
        "Task: {task}\n\nTarget: {target}. Show the BBj code and briefly explain it.",
        "How would you implement this in BBj? Target: {target}.\n\n{task}",
    ),
    "comprehension": (
        "Explain what this BBj code does:\n\n{code}",
        "What does the following BBj program do, and how does it work?\n\n{code}",
        "{code}\n\nWalk me through this BBj code.",
        "I found this BBj code, written for {target}. Can you explain it?\n\n{code}",
    ),
    "migration": (
        "Migrate this {source} code to {target}:\n\n{code}",
        "Rewrite the following BBj program for {target}. It is currently written for {source}.\n\n{code}",
        "{code}\n\nThis is {source} code. Port it to {target} and explain what changed.",
        "Convert this BBj code from {source} to {target}:\n\n{code}",
    ),
    "explanation": (
        "{task}",
        "Explain this BBj topic, for {target}: {task}",
        "Question about BBj for {target}: {task}",
        "{task}\n\nPlease answer with a short BBj example.",
    ),
}


def stable_hash(text: str) -> int:
    """A 64-bit hash that is the same on every machine and run (unlike Python's hash())."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def stable_fraction(text: str) -> float:
    """stable_hash mapped onto [0, 1)."""
    return stable_hash(text) / 2**64


def choose_phrasing(example_type: str, example_id: str) -> str:
    options = USER_PHRASINGS[example_type]
    return options[stable_hash(f"phrasing:{example_type}:{example_id}") % len(options)]


def user_prompt(example_type: str, example_id: str, *, task: str = "", code: str = "", target: str = "", source: str = "") -> str:
    """The user turn for one example: its type's phrasing filled in."""
    return choose_phrasing(example_type, example_id).format(task=task, code=code, target=target, source=source).strip()
