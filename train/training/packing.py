"""Stage 1 packing: tokenized texts joined with EOS and cut into full max_seq_len blocks.
Stage 2 grouping: conversations sorted by length into token-budget micro-batches.

Blocks cross document boundaries (the EOS between documents tells the model where one ends),
as in pretraining: no token is spent on padding except in the last, partial block.

Stage 2 micro-batches hold whole conversations of similar length, one per row, right-padded to the
longest: rows x longest <= the token budget (micro_batch_size x max_seq_len), so short conversations
give many rows and long ones few. With right padding and causal attention no real token can see a
pad (pads come after it), so the batch needs no attention mask and attention takes the fast causal
kernel; the labels of pads are -100."""

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


@dataclass(frozen=True)
class GroupStats:
    """How much of the grouped micro-batches is padding, and how full the token budget is."""

    micro_batches: int
    examples: int
    real_tokens: int
    padded_tokens: int  # sum over micro-batches of rows x longest row
    budget: int  # token slots per micro-batch

    @property
    def non_padding_share(self) -> float:
        return self.real_tokens / self.padded_tokens if self.padded_tokens else 0.0

    @property
    def fill(self) -> float:
        """Real tokens / (micro-batches x budget): the share of the budgeted slots that carry a token."""
        return self.real_tokens / (self.micro_batches * self.budget) if self.micro_batches else 0.0

    def to_json(self) -> dict[str, float | int]:
        return {"micro_batches": self.micro_batches, "examples": self.examples, "real_tokens": self.real_tokens,
                "padded_tokens": self.padded_tokens, "budget": self.budget,
                "non_padding_share": round(self.non_padding_share, 4), "fill": round(self.fill, 4)}  # fmt: skip


def padded_length(longest: int, bucket: int, budget: int) -> int:
    """The row length of a micro-batch whose longest row is `longest`: exactly that, or with a
    `bucket` rounded up to its next multiple (never past the budget). Buckets leave a few distinct
    batch shapes, so compiled kernels (Unsloth's, torch.compile's) are not rebuilt for every length."""
    if bucket <= 1:
        return longest
    return min(-(-longest // bucket) * bucket, budget)


def group_by_length(lengths: list[int], budget: int, seed: int, bucket: int = 0) -> list[list[int]]:
    """Indices of the examples grouped into micro-batches with rows x padded longest <= budget.

    Longest first, each group takes the next examples while one more row still fits the budget at
    the group's padded longest (first) length; sorting keeps padding small. Every example lands in
    exactly one group, longest first within it; the order of the groups is shuffled by `seed`."""
    if budget < 1:
        raise ValueError(f"token budget must be positive, not {budget}")
    too_long = [length for length in lengths if length > budget or length < 1]
    if too_long:
        raise ValueError(f"example length {too_long[0]} outside 1..{budget} (the token budget)")
    order = sorted(range(len(lengths)), key=lambda index: (-lengths[index], index))
    groups: list[list[int]] = []
    row_length = 0
    for index in order:
        if groups and (len(groups[-1]) + 1) * row_length <= budget:
            groups[-1].append(index)
        else:
            groups.append([index])
            row_length = padded_length(lengths[index], bucket, budget)
    random.Random(seed).shuffle(groups)
    return groups


def group_stats(lengths: list[int], groups: list[list[int]], budget: int, bucket: int = 0) -> GroupStats:
    padded = sum(len(group) * padded_length(max(lengths[index] for index in group), bucket, budget) for group in groups)
    real = sum(lengths[index] for group in groups for index in group)
    return GroupStats(len(groups), sum(len(group) for group in groups), real, padded, budget)


def label_rows(rows: list[list[int]]) -> dict[str, list[list[int]]]:
    """Stage 1 trains on every real token: labels are the ids (the collator pads them with -100)."""
    return {"input_ids": rows, "labels": [list(row) for row in rows]}
