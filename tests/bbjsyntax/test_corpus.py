"""Real, compiling BBj must produce zero issues; the real compiler's verdicts must match.

Reads ../shared/bbj-corpus (reference data, never copied into the repository)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bbjsyntax_corpus import CORPUS, SKIP_REASON, corpus_files, read_text
from shared_corpus import missing

from curate.bbjsyntax import check_source

needs_corpus = pytest.mark.skipif(missing(), reason=SKIP_REASON)  # under CI=true: runs, and fails without it
_read = read_text


def _valid_snippets() -> list[dict]:
    path = CORPUS / "snippets.jsonl"
    if not path.is_file():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["expect"] == "valid"]


@needs_corpus
def test_corpus_has_files() -> None:
    assert len(corpus_files()) >= 100


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: str(p.relative_to(CORPUS / "files")))
def test_corpus_file_has_no_issues(path: Path) -> None:
    issues = check_source(_read(path))
    assert issues == [], "\n".join(f"{i.line}:{i.col} {i.code} {i.message}" for i in issues)


@needs_corpus
@pytest.mark.parametrize("snippet", _valid_snippets(), ids=lambda s: s["id"])
def test_valid_snippet_has_no_issues(snippet: dict) -> None:
    issues = check_source(snippet["code"])
    assert issues == [], "\n".join(f"{i.line}:{i.col} {i.code} {i.message}" for i in issues)


_CPL_LINE = re.compile(r": error at line \d+ \((\d+)\):")


@needs_corpus
@pytest.mark.parametrize("name", ["no-errors", "single-error", "multiple-errors"])
def test_same_verdict_as_bbjcpl(name: str) -> None:
    """bbjcpl prints one line per error with the physical line in parentheses."""
    fixtures = CORPUS / "cpl-fixtures"
    source = _read(fixtures / f"{name}.bbj")
    stderr = _read(fixtures / f"{name}-stderr.txt")
    expected = {int(m.group(1)) for m in _CPL_LINE.finditer(stderr)}
    got = {i.line for i in check_source(source)}
    assert got == expected
