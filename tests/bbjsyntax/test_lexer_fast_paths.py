"""The lexer's fast paths (bytes check, str.splitlines, whole-text lowering, comments skipped
inside a match) must give exactly what the general paths give: same tokens, same line/col."""

from __future__ import annotations

import pytest

from curate.bbjsyntax.lexer import LOW, POS, TEXT, line_starts_of, plain_text, tokenize

TEXTS = [
    "a = 1\nb = 2\n",
    "a = 1\r\nb = 2",  # CRLF, no line break at the end
    "a = 1\rb = 2\r",  # old Mac line ends
    "x = 1 rem note\n: + 2\n",  # REM, then a continuation line
    "0010 rem title\n0020:,A$\n",  # numbered continuation
    "rem only a comment",  # comment up to the end of the text
    'a.rem = 1; REM real comment\nrem$ = "x"\n',  # REM as a member and with a suffix: names
    '\u00c4nderung = 1 rem \u00fcber\nPRINT "\u0130", Abc\n',  # non-ASCII; 'İ' lowercases to 2 chars
    "",
    "\n\n  \n",
]
OTHER_BREAKS = ["a\vb = 1\n", "a = 1\fb = 2\n", "x = 1\x1cy = 2\n", "x = 1 rem \x85 y\nz = 2\n", 'p = "\u2028"\nq = 1\n']


@pytest.mark.parametrize("text", TEXTS)
def test_plain_text_takes_the_fast_line_starts(text: str) -> None:
    assert plain_text(text)
    assert line_starts_of(text, plain=True) == line_starts_of(text, plain=False)
    assert tokenize(text, plain=True) == tokenize(text, plain=False)


@pytest.mark.parametrize("text", OTHER_BREAKS)
def test_other_line_ends_and_controls_are_not_plain(text: str) -> None:
    # str.splitlines would break at these; BBj (and the checker's line numbers) do not
    assert not plain_text(text)
    assert line_starts_of(text) == [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    assert len(text.splitlines()) > text.count("\n")  # what the fast path would have got wrong


def test_identifiers_after_a_wide_lowercase_keep_their_offsets() -> None:
    text = 'x$ = "\u0130\u0130"; Print Y$\n'
    toks = tokenize(text, plain_text(text)).lines[0]
    by_text = {t[TEXT]: t for t in toks}
    assert by_text["Print"][LOW] == "print" and text[by_text["Print"][POS] :].startswith("Print")
    assert by_text["Y$"][LOW] == "y$"


def test_comments_and_continuations_never_become_tokens() -> None:
    lexed = tokenize("a = 1 rem x\n: + 2 REM y\nrem z\n\nb = 3", True)
    assert [[t[TEXT] for t in line] for line in lexed.lines] == [["a", "=", "1", "+", "2"], ["b", "=", "3"]]
