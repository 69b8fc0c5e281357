"""Constructs whose checks need more than a code set: fabricated lines, where issues are reported.

The one-construct conformance cases (valid and invalid programs) live as `.bbj` files under
conformance/ (test_conformance_fixtures.py)."""

from __future__ import annotations

import pytest
from bbjsyntax_mutants import FABRICATED_LINES

from curate.bbjsyntax import check_source


@pytest.mark.parametrize("line", FABRICATED_LINES)
def test_fabricated_line(line: str) -> None:
    issues = check_source(f"x = 1\n{line}\ny = 2\n")
    assert any(i.code == "BBJ510" and i.line == 2 for i in issues), issues


def test_unclosed_block_is_reported_at_its_opener() -> None:
    code = "class public A\n  method public void m()\n    while 1\n      x = 1\n  methodend\nclassend\n"
    issues = check_source(code)
    assert [(i.line, i.code) for i in issues] == [(3, "BBJ504")]


def test_dropped_inner_end_blames_the_inner_block() -> None:
    """Indentation refines which block lost its end once the structure is known broken."""
    code = "while a\n  while b\n    x = 1\nwend\n"
    assert [(i.line, i.code) for i in check_source(code)] == [(2, "BBJ504")]


def test_issue_positions_are_one_based_and_sorted() -> None:
    code = 'x = 1\n  y = "abc\nz = (1\n'
    issues = check_source(code)
    assert [(i.line, i.col, i.code) for i in issues] == [(2, 7, "BBJ503"), (3, 5, "BBJ502")]
    assert issues == sorted(issues, key=lambda i: (i.line, i.col))
