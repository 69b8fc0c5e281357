"""Bad input: one clear BBJ512 (or ordinary issues), never an exception, never a hang."""

from __future__ import annotations

import random
import time
from dataclasses import FrozenInstanceError

import pytest

from curate.bbjsyntax import CHECKER_NAME, CHECKER_VERSION, SyntaxIssue, check_source


def _timed(text: str) -> tuple[list[SyntaxIssue], float]:
    start = time.perf_counter()
    issues = check_source(text)
    return issues, time.perf_counter() - start


def test_public_constants_and_type() -> None:
    assert CHECKER_NAME == "bbj-builtin"
    assert isinstance(CHECKER_VERSION, str) and CHECKER_VERSION
    issue = SyntaxIssue(1, 2, "BBJ501", "m")
    with pytest.raises(FrozenInstanceError):
        issue.line = 3  # type: ignore[misc]
    assert not hasattr(issue, "__dict__")  # slots


def test_empty_and_blank_input() -> None:
    assert check_source("") == []
    assert check_source("\n\n   \r\n\t\n") == []


def test_binary_input_gives_one_issue() -> None:
    blob = bytes(range(256)) * 400
    issues, seconds = _timed(blob.decode("latin-1"))
    assert [i.code for i in issues] == ["BBJ512"]
    assert seconds < 2


def test_bytes_are_accepted_too() -> None:
    assert check_source(b'PRINT "x"\n') == []  # type: ignore[arg-type]


def test_twenty_megabytes_give_one_issue_quickly() -> None:
    issues, seconds = _timed('PRINT "x"\n' * 2_000_000)
    assert [i.code for i in issues] == ["BBJ512"]
    assert seconds < 2


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "(" * 10_000 + "1" + ")" * 10_000,
        "x = " + "(" * 10_000,
        "x = " + "[" * 10_000 + "]" * 10_000,
        "if 1 then\n" * 10_000 + "print 1\n" + "fi\n" * 10_000,
        "while 1\n" * 10_000,
        "if 1 then " * 10_000 + "print 1",
    ],
    ids=["parens", "open-parens", "brackets", "if-fi-blocks", "unclosed-whiles", "one-line-ifs"],
)
def test_deep_nesting_gives_one_issue(text: str) -> None:
    issues, seconds = _timed(text)
    assert [i.code for i in issues] == ["BBJ512"], issues[:5]
    assert seconds < 5


@pytest.mark.parametrize("seed", range(30))
def test_random_text_never_raises(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "abcXYZ019 \t\n\"'$!%#@()[]{};:.,=<>+-*/^&|\\`~rem if then fi for next"
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3000)))
    issues = check_source(text)
    assert all(isinstance(i, SyntaxIssue) for i in issues)
    assert issues == sorted(issues, key=lambda i: (i.line, i.col, i.code, i.message))
    lines = text.count("\n") + text.count("\r") + 1
    assert all(1 <= i.line <= lines and i.col >= 1 for i in issues)


@pytest.mark.parametrize("seed", range(10))
def test_random_token_soup_never_raises(seed: int) -> None:
    rng = random.Random(seed)
    words = [
        "if",
        "then",
        "else",
        "fi",
        "for",
        "i",
        "=",
        "1",
        "to",
        "next",
        "while",
        "wend",
        "class",
        "public",
        "A",
        "method",
        "void",
        "m",
        "(",
        ")",
        "methodend",
        "classend",
        "switch",
        "case",
        "swend",
        '"s"',
        "x!",
        ".",
        "addButton",
        ";",
        ":",
        "\n",
        "\n",
        "rem",
        "def",
        "fnend",
        "[",
        "]",
    ]
    text = " ".join(rng.choice(words) for _ in range(2000))
    assert isinstance(check_source(text), list)
