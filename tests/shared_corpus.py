"""The one way tests reach ../shared/bbj-corpus (real BBj source, compiler fixtures, labelled
snippets; read in place, never copied into the repository). Without it a test is skipped with
the reason, except under CI=true: CI always has the corpus, so there its absence is a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "bbj-corpus"
REASON = "../shared/bbj-corpus not present (reference data lives outside the repository)"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing() -> bool:
    """For `skipif` markers: True (skip) only outside CI; under CI the test runs and `require` fails it."""
    return not CORPUS.is_dir() and not in_ci()


def require(part: str = "") -> Path:
    """`CORPUS / part`, or skip the test (fail it under CI=true) when it is not there."""
    path = CORPUS / part
    if path.exists():
        return path
    message = f"{path} not found: {REASON}"
    if in_ci():
        pytest.fail(f"{message}; CI=true runs always have it", pytrace=False)
    pytest.skip(message)
