"""What two items are compared on: a normalized token stream per item kind, and its hashed
token n-gram shingles.

Kept and dropped (the same for every kind, so examples, ChatML records and raw source compare):
- Everything is lower-cased. BBj keywords are case-insensitive and keyword case is the commonest
  cosmetic difference; variable names are kept (a renamed variable is a real edit) but lower-cased.
- Code keeps every token: identifiers with their type suffix (`name$`, `obj!`, `n%`), numbers,
  string literal words, `rem` comment words, and each punctuation character (`(`, `,`, `'`, `@`, ...)
  as its own token; whitespace, line breaks and indentation are dropped.
- Prose (Markdown outside code fences) keeps words only: punctuation, Markdown markup and
  heading markers are stripped.
- Front matter is not part of an example's text: the title and tags describe, the body trains.

The normalized text is the tokens joined by single spaces; tokens never contain a space, so
the stream is recovered by `split(" ")`. Shingles are `shingle_size` consecutive tokens, hashed
to 32 bits from stable per-token CRC32s (stable across processes, unlike `hash()`), so a
persisted index stays valid between runs."""

from __future__ import annotations

import re
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

NORMALIZER_VERSION = 1
KINDS = ("example", "chatml", "source", "text")

CODE_TOKEN = re.compile(r"[^\W\d_][\w]*[$!%]?|\d+(?:\.\d+)?|::|[^\w\s]", re.UNICODE)
WORD = re.compile(r"[^\W_]+", re.UNICODE)
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
FENCE_CLOSE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")

_MIX = 0x9E3779B97F4A7C15  # 64-bit golden-ratio multiplier: order-sensitive n-gram combination


def code_tokens(code: str) -> list[str]:
    return CODE_TOKEN.findall(code.lower())


def prose_tokens(text: str) -> list[str]:
    return WORD.findall(text.lower())


def markdown_tokens(text: str) -> list[str]:
    """Prose words outside fences, code tokens inside (```/~~~ fences of any info string)."""
    tokens: list[str] = []
    prose: list[str] = []
    code: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        if fence is None and (opening := FENCE.match(line)):
            fence = opening.group(1)
            tokens.extend(prose_tokens("\n".join(prose)))
            prose = []
        elif fence is not None and (closing := FENCE_CLOSE.match(line)) and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
            fence = None
            tokens.extend(code_tokens("\n".join(code)))
            code = []
        elif fence is None:
            prose.append(line)
        else:
            code.append(line)
    tokens.extend(prose_tokens("\n".join(prose)))
    tokens.extend(code_tokens("\n".join(code)))  # an unclosed fence still counts as code
    return tokens


def tokens_of(text: str, kind: str) -> list[str]:
    """The token stream of raw `text` read as `kind` (see the module docstring)."""
    if kind in ("example", "chatml"):
        return markdown_tokens(text)
    if kind == "source":
        return code_tokens(text)
    if kind == "text":
        return prose_tokens(text)
    raise ValueError(f"unknown item kind {kind!r}; expected one of {', '.join(KINDS)}")


def normalize(text: str, kind: str) -> str:
    return " ".join(tokens_of(text, kind))


def shingles(normalized: str, size: int) -> np.ndarray:
    """Sorted unique uint32 hashes of the `size`-token n-grams; a shorter text is one shingle."""
    import numpy as np

    if not normalized:
        return np.empty(0, dtype=np.uint32)
    hashes = np.fromiter(map(zlib.crc32, normalized.encode("utf-8").split(b" ")), dtype=np.uint64)
    width = min(size, len(hashes))
    count = len(hashes) - width + 1
    grams = hashes[:count].copy()
    mix = np.uint64(_MIX)
    for offset in range(1, width):
        grams = grams * mix + hashes[offset : offset + count]
    folded = (grams ^ (grams >> np.uint64(29))) * mix
    hashed = np.sort((folded >> np.uint64(32)).astype(np.uint32))
    return hashed[np.concatenate(([True], hashed[1:] != hashed[:-1]))]  # np.unique would import numpy.ma: 25 ms


def jaccard(left: np.ndarray, right: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique shingle arrays."""
    import numpy as np

    if not len(left) and not len(right):
        return 1.0
    common = len(np.intersect1d(left, right, assume_unique=True))
    return common / (len(left) + len(right) - common)
