"""Stage 1 packing: tokenized texts joined with EOS and cut into full max_seq_len blocks.

Blocks cross document boundaries (the EOS between documents tells the model where one ends),
as in pretraining: no token is spent on padding except in the last, partial block."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PackStats:
    """How well rows are filled: `real_tokens / (rows * row_length)`."""

    rows: int
    real_tokens: int
    row_length: int

    @property
    def fill(self) -> float:
        return self.real_tokens / (self.rows * self.row_length) if self.rows else 0.0

    def to_json(self) -> dict[str, float | int]:
        return {"rows": self.rows, "real_tokens": self.real_tokens, "row_length": self.row_length,
                "non_padding_share": round(self.fill, 4)}  # fmt: skip


def pack_blocks(token_lists: Iterable[list[int]], eos_id: int, block_length: int) -> list[list[int]]:
    """Concatenate each list plus EOS and cut the stream into blocks; the last block may be short."""
    stream: list[int] = []
    for tokens in token_lists:
        stream.extend(tokens)
        stream.append(eos_id)
    return [stream[start : start + block_length] for start in range(0, len(stream), block_length)]


def split_held_out(blocks: list[list[int]], share: float, seed: int) -> tuple[list[list[int]], list[list[int]]]:
    """(train, validation) blocks; validation gets round(share * n) blocks, at least one when share > 0
    and there are two or more blocks."""
    if share <= 0 or len(blocks) < 2:
        return blocks, []
    count = min(len(blocks) - 1, max(1, round(share * len(blocks))))
    order = list(range(len(blocks)))
    random.Random(seed).shuffle(order)
    held = set(order[:count])
    train = [block for index, block in enumerate(blocks) if index not in held]
    validation = [block for index, block in enumerate(blocks) if index in held]
    return train, validation


def pack_stats(rows: list[list[int]], row_length: int) -> PackStats:
    return PackStats(len(rows), sum(len(row) for row in rows), row_length)


def label_rows(rows: list[list[int]]) -> dict[str, list[list[int]]]:
    """Stage 1 trains on every real token: labels are the ids (the collator pads them with -100)."""
    return {"input_ids": rows, "labels": [list(row) for row in rows]}
