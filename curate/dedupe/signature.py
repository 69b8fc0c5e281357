"""MinHash signatures for many shingle sets at once, bit-for-bit those of
`datasketch.MinHash(num_perm, seed, scheme="affine32")` fed the same 32-bit shingle hashes.

datasketch signs one set at a time through Python; this signs every set in one numpy pass per
permutation (`minimum.reduceat` over the concatenated shingles), which is what makes 10,000
examples take seconds. It also never imports datasketch, whose import pulls in scipy (about a
second): the pre-commit hook signs a staged file through this module alone. The signatures
go into datasketch's `MinHashLSH` as `LeanMinHash`es (see `cluster.py`)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

SCHEME = "affine32"
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations h -> a*h + b (mod 2^32, a odd) datasketch draws for `seed`."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer: datasketch's one-shot pre-mix of every input hash."""
    s1, m1, s2, m2, s3 = _FMIX32
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    return values ^ (values >> s3)


def sign(shingle_sets: list[np.ndarray], num_perm: int, seed: int) -> np.ndarray:
    """A (len(shingle_sets), num_perm) uint32 matrix; every set must be non-empty."""
    if not shingle_sets:
        return np.empty((0, num_perm), dtype=np.uint32)
    lengths = np.fromiter((len(s) for s in shingle_sets), dtype=np.int64, count=len(shingle_sets))
    if not lengths.min():
        raise ValueError("cannot sign an empty shingle set")
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    mixed = fmix32(np.concatenate(shingle_sets).astype(np.uint32, copy=False))
    a, b = permutations(num_perm, seed)
    out = np.empty((len(shingle_sets), num_perm), dtype=np.uint32)
    for column in range(num_perm):
        out[:, column] = np.minimum.reduceat(mixed * a[column] + b[column], starts)
    return out


def estimated_jaccard(signature: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Share of equal MinHash values between one signature and each row of a matrix."""
    return (matrix == signature).mean(axis=1) if len(matrix) else np.empty(0)
