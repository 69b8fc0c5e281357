"""Code out of a model reply, the way chat benchmarks do it (LiveCodeBench takes the last fenced
block; EvalPlus falls back to the longest span that parses), with BBj's checker as the parser.

1. The last closed fenced block tagged as BBj (```bbj, untagged, ```basic, ...); else the last
   closed block of any language (```python code for a BBj task is a wrong answer, not no answer);
   else the last unclosed block (a reply cut at max_tokens).
2. No fence: the longest span of lines the checker accepts. Lines that read as English
   sentences split the reply into runs (the checker accepts some prose, e.g. "You can use
   PRINT", as assignments or calls); runs are tried longest first, and a rejected span is split
   at the lines the checker reports (a bounded number of checks).
3. Nothing found: None, which the judge records as status `no-code` (a failure)."""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable

from curate.vocabulary import is_bbj_fence
from train.data.chatml import fenced_blocks

MAX_SPAN_CHECKS = 40
PROSE_LINE = re.compile(r"^\s*(?:[-*>]\s+|\d+[.)]\s+)?[A-Z][a-z']+(?:,?\s+[a-z'][a-z',]*){2,}|[a-z]\s*[.:?!]\s*$|^\s*#{1,6}\s")


def extract_code(text: str, error_lines: Callable[[str], list[int]] | None = None) -> str | None:
    """The code of a reply, or None when it holds none. `error_lines(code)` judges unfenced
    spans: the 1-based lines of the checker's errors, [] when it accepts the code (default:
    the built-in checker)."""
    blocks = fenced_blocks(text)
    closed = [b for b in blocks if b.closed and b.code.strip()]
    bbj = [b for b in closed if is_bbj_fence(b.language)]
    candidates = bbj or closed or [b for b in blocks if b.code.strip()]
    if candidates:
        return candidates[-1].code.strip("\n")
    if blocks:
        return None  # only empty fences: the reply pretends to hold code and has none
    return longest_accepted_span(text, error_lines or builtin_error_lines)


def builtin_error_lines(code: str) -> list[int]:
    from curate.bbjsyntax import check_source

    return [issue.line for issue in check_source(code) if issue.severity == "error"]


def longest_accepted_span(text: str, error_lines: Callable[[str], list[int]]) -> str | None:
    """Longest first: a rejected span is split at its error lines into the spans between them,
    so a reply with one bad line costs a few checks, not one per sub-span."""
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
    queue = [(-(b - a), a, b) for a, b in runs if b > a]
    heapq.heapify(queue)
    seen: set[tuple[int, int]] = set()
    checks = 0
    while queue and checks < MAX_SPAN_CHECKS:
        _, a, b = heapq.heappop(queue)
        if (a, b) in seen:
            continue
        seen.add((a, b))
        checks += 1
        code = "\n".join(lines[a:b])
        found = error_lines(code)
        if not found:
            return code
        bad = sorted({a + line - 1 for line in found if 1 <= line <= b - a})  # line 0: the whole span, no split
        for first, last in zip([a, *[x + 1 for x in bad]], [*bad, b], strict=True):
            first, last = _trim_start(lines, first, last)
            if last > first:
                heapq.heappush(queue, (-(last - first), first, last))
    return None


def _trim(lines: list[str], start: int, end: int) -> tuple[int, int]:
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, end


def _trim_start(lines: list[str], start: int, end: int) -> tuple[int, int]:
    while start < end and not lines[start].strip():
        start += 1
    return _trim(lines, start, end)
