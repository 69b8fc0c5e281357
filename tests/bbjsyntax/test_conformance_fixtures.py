"""One construct per `.bbj` file under conformance/: what BBj accepts and what it rejects.

Why files: a case is a real BBj program that can be opened in an editor, handed to BASIS's
`bbjcpl` or the language server unchanged, and added without touching Python. Files under
`valid/` must check clean (no finding at all, warnings included); each file under `invalid/`
names the codes it must produce, and no others, in trailing `rem expect: BBJxxx` lines (REM
lines are comments to the checker, so the annotations do not change what is checked).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from curate.bbjsyntax import CODES, check_source

ROOT = Path(__file__).parent / "conformance"
_EXPECT = re.compile(r"^rem expect: (BBJ\d{3})$", re.MULTILINE)


def _cases(kind: str) -> list[Path]:
    return sorted((ROOT / kind).glob("*.bbj"))


def _read(path: Path) -> str:
    # newline="" keeps the file's own line ends: some cases are about line structure
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def expected_codes(text: str) -> set[str]:
    """The codes a case declares in its `rem expect:` lines."""
    return set(_EXPECT.findall(text))


@pytest.mark.parametrize("path", _cases("valid"), ids=lambda p: p.stem)
def test_valid_case_checks_clean(path: Path) -> None:
    text = _read(path)
    assert not expected_codes(text), "a valid case declares no expected codes"
    assert check_source(text) == []


@pytest.mark.parametrize("path", _cases("invalid"), ids=lambda p: p.stem)
def test_invalid_case_reports_exactly_its_codes(path: Path) -> None:
    text = _read(path)
    expected = expected_codes(text)
    assert expected, "an invalid case names at least one expected code"
    assert expected <= set(CODES), f"unknown code in {sorted(expected - set(CODES))}"
    assert {issue.code for issue in check_source(text)} == expected


def test_expect_lines_are_parsed_and_stay_invisible_to_the_checker() -> None:
    text = "for i = 1 to 3\n  print i\nrem expect: BBJ504\nrem expect: BBJ505\n"
    assert expected_codes(text) == {"BBJ504", "BBJ505"}
    assert {i.code for i in check_source(text)} == {"BBJ504"}


def test_both_folders_hold_cases() -> None:
    assert len(_cases("valid")) >= 50
    assert len(_cases("invalid")) >= 30
