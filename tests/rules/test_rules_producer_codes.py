"""Codes emitted outside the lint rules (compile check, built-in checker, dedupe) are catalogued,
so `bbj-curate rules`, SARIF rule lists and `lint_ignore` know them."""

from __future__ import annotations

import pytest

from curate.bbjsyntax import issues
from curate.compile import checkers, program
from curate.dedupe import check as dedupe_check
from curate.rules.base import REGISTRY, CatalogueRule, known_codes

EMITTED = sorted(
    {
        *issues.CODES,
        checkers.COMPILE_ERROR,
        checkers.COMPILER_TIMEOUT,
        checkers.COULD_NOT_RUN,
        checkers.UNPARSEABLE_OUTPUT,
        program.UNSAFE_NAME,
        dedupe_check.NEAR_DUPLICATE,
        dedupe_check.EXACT_DUPLICATE,
    }
)


@pytest.mark.parametrize("code", EMITTED)
def test_every_emitted_code_is_catalogued(code: str) -> None:
    assert code in known_codes()
    assert issubclass(REGISTRY[code], CatalogueRule)


def test_no_catalogued_producer_code_is_stale() -> None:
    """A BBJ5xx/6xx entry that no producer emits any more would document a check that is gone."""
    catalogued = sorted(c for c in known_codes() if c[3] in "56")
    assert catalogued == EMITTED
