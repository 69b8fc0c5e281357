"""Fill-in-the-middle samples in Qwen2.5-Coder's format, PSM order:
`<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>{middle}`.

Whether a document becomes a FIM sample, and where it is cut, depends only on the seed and
the document id, so a rebuild gives the same corpus."""

from __future__ import annotations

import random

from train.data.templates import stable_hash

FIM_PREFIX = "<|fim_prefix|>"
FIM_SUFFIX = "<|fim_suffix|>"
FIM_MIDDLE = "<|fim_middle|>"
FIM_MARKERS = (FIM_PREFIX, FIM_SUFFIX, FIM_MIDDLE)


def _rng(doc_id: str, seed: int) -> random.Random:
    return random.Random(stable_hash(f"fim:{seed}:{doc_id}"))


def fim_parts(text: str, rng: random.Random) -> tuple[str, str, str]:
    """(prefix, middle, suffix) at two distinct random cut points, so the middle is never empty."""
    first, second = sorted(rng.sample(range(len(text) + 1), 2))
    return text[:first], text[first:second], text[second:]


def render_fim(prefix: str, middle: str, suffix: str) -> str:
    return f"{FIM_PREFIX}{prefix}{FIM_SUFFIX}{suffix}{FIM_MIDDLE}{middle}"


def maybe_fim(doc_id: str, text: str, rate: float, seed: int) -> tuple[str, bool]:
    """The training text of one document: a FIM sample with probability `rate`, else the text.

    Documents that already contain a FIM marker are never transformed (the caller drops them)."""
    if rate <= 0 or len(text) < 2 or any(marker in text for marker in FIM_MARKERS):
        return text, False
    rng = _rng(doc_id, seed)
    if rng.random() >= rate:
        return text, False
    return render_fim(*fim_parts(text, rng)), True


def parse_fim(sample: str) -> tuple[str, str, str]:
    """(prefix, middle, suffix) of a well-formed sample; ValueError when it is not one."""
    if any(sample.count(marker) != 1 for marker in FIM_MARKERS):
        raise ValueError("a FIM sample has exactly one of each marker")
    if not sample.startswith(FIM_PREFIX):
        raise ValueError("a FIM sample starts with <|fim_prefix|>")
    body = sample[len(FIM_PREFIX) :]
    prefix, _, rest = body.partition(FIM_SUFFIX)
    suffix, found, middle = rest.partition(FIM_MIDDLE)
    if not found:
        raise ValueError("markers out of order: expected prefix, suffix, middle")
    return prefix, middle, suffix
