"""The BBj Pygments lexer: token kinds on hand-picked lines, and no error token on real code."""

from __future__ import annotations

import json

import pytest
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    String,
    _TokenType,
)
from shared_corpus import CORPUS, require

from curate.tui.bbj_lexer import BBjLexer


def tokens(code: str) -> list[tuple[_TokenType, str]]:
    return [(kind, text) for kind, text in BBjLexer().get_tokens(code) if text.strip()]


@pytest.mark.parametrize(
    ("code", "text", "kind"),
    [
        ("PRINT x", "PRINT", Keyword),
        ("print x", "print", Keyword),
        ("MethodEnd", "MethodEnd", Keyword),
        ("rem a comment", "rem a comment", Comment.Single),
        ("REM Upper case", "REM Upper case", Comment.Single),
        ("x = 1; rem after a compound", "rem after a compound", Comment.Single),
        ('a$ = "say ""hi"""', '""', String.Escape),
        ('a$ = "plain"', "plain", String.Double),
        ("name$ = x$", "name$", Name.Variable),
        ("count% = 3", "count%", Name.Variable),
        ("window! = null()", "window!", Name.Variable),
        ("next! = it!.next()", "next!", Name.Variable),
        ("#field$ = 1", "#field$", Name.Variable.Instance),
        ("loop_exit:", "loop_exit:", Name.Label),
        ("0010 print 1", "0010", Name.Label),
        ("x = 3.14", "3.14", Number),
        ("x = 1e5", "1e5", Number),
        ("x = $0A$", "$0A$", Number.Hex),
        ("print 'CS'", "'CS'", String.Symbol),
        ("if a and b then stop", "and", Operator.Word),
        ("read (1, err=oops) x$", "err", Name.Attribute),
        ("def fnAdd(a, b) = a + b", "fnAdd", Name.Function),
        ("fnend", "fnend", Keyword),
        ("if !done! then stop", "!", Operator),
        ("remove x", "remove", Keyword),
    ],
)
def test_token_kinds(code: str, text: str, kind: _TokenType) -> None:
    found = {t: k for k, t in tokens(code)}
    assert text in found, tokens(code)
    assert found[text] in kind


def test_text_round_trips() -> None:
    code = 'rem x\nclass public A\n  field public BBjString Name$\nclassend\nprint "a"; rem b\n'
    assert "".join(text for _, text in BBjLexer().get_tokens(code)) == code


def corpus_sources() -> list[tuple[str, str]]:
    if not CORPUS.is_dir():
        return []
    sources = [(json.loads(line)["id"], json.loads(line)["code"]) for line in (CORPUS / "snippets.jsonl").read_text("utf-8").splitlines()]
    sources += [(p.name, p.read_text("utf-8", errors="replace")) for p in sorted((CORPUS / "files").rglob("*.bbj"))]
    return sources


def test_real_bbj_has_no_error_tokens() -> None:
    require()
    sources = corpus_sources()
    bad = {name: [text for kind, text in BBjLexer().get_tokens(code) if kind in Error][:3] for name, code in sources}
    bad = {name: texts for name, texts in bad.items() if texts}
    assert not bad, f"{len(bad)} of {len(sources)} sources have error tokens: {dict(list(bad.items())[:5])}"
