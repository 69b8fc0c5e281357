"""Code out of a model reply, the way chat benchmarks do it (LiveCodeBench takes the last fenced
block; EvalPlus falls back to the longest span that parses), with BBj's checker as the parser.

1. The last closed fenced block tagged as BBj (```bbj, untagged, ```basic, ...); else the last
   closed block of any language (```python code for a BBj task is a wrong answer, not no answer);
   else the last unclosed block (a reply cut at max_tokens).
2. No fence: the longest span of lines the checker accepts. Lines that read as English
   sentences split the reply into runs (the checker accepts some prose, e.g. "You can use
   PRINT", as assignments or calls), and only spans inside a run are tried, longest first, with
   a bounded number of checks.
3. Nothing found: None, which the judge records as status `no-code` (a failure)."""

from __future__ import annotations

import re
from collections.abc import Callable

from curate.vocabulary import is_bbj_fence
from train.data.chatml import fenced_blocks

MAX_SPAN_CHECKS = 200
PROSE_LINE = re.compile(r"^\s*(?:[-*>]\s+|\d+[.)]\s+)?[A-Z][a-z']+(?:,?\s+[a-z'][a-z',]*){2,}|[a-z]\s*[.:?!]\s*$|^\s*#{1,6}\s")


def extract_code(text: str, accepts: Callable[[str], bool] | None = None) -> str | None:
    """The code of a reply, or None when it holds none. `accepts(code)` judges unfenced spans
    (default: the built-in checker finds nothing)."""
    blocks = fenced_blocks(text)
    closed = [b for b in blocks if b.closed and b.code.strip()]
    bbj = [b for b in closed if is_bbj_fence(b.language)]
    candidates = bbj or closed or [b for b in blocks if b.code.strip()]
    if candidates:
        return candidates[-1].code.strip("\n")
    if blocks:
        return None  # only empty fences: the reply pretends to hold code and has none
    return longest_accepted_span(text, accepts or builtin_accepts)


def builtin_accepts(code: str) -> bool:
    from curate.bbjsyntax import check_source

    return not check_source(code)


def longest_accepted_span(text: str, accepts: Callable[[str], bool]) -> str | None:
    lines = text.split("\n")
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index, line in enumerate([*lines, "This line ends the last run."]):
        if PROSE_LINE.search(line):
            if start is not None:
                runs.append(_trim(lines, start, index))
                start = None
        elif start is None and line.strip():
            start = index
    checks = 0
    for length in range(max((b - a for a, b in runs), default=0), 0, -1):
        for first, last in runs:
            for a in range(first, last - length + 1):
                if not lines[a].strip() or not lines[a + length - 1].strip():
                    continue
                checks += 1
                if checks > MAX_SPAN_CHECKS:
                    return None
                code = "\n".join(lines[a : a + length])
                if accepts(code):
                    return code
    return None


def _trim(lines: list[str], start: int, end: int) -> tuple[int, int]:
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, end
