"""Read and write safetensors files one tensor at a time, without mmap.

`safetensors.safe_open` maps the whole file and `save_file` needs every tensor of a shard in
memory at once; both make a merge's peak memory grow with the shard size. Here a reader yields
tensors in file order with plain reads (the page cache is not process memory) and hashes every
byte it passes, and a writer that knows all names, dtypes and shapes up front writes the header
first and then each tensor as it comes: peak memory is one tensor."""

from __future__ import annotations

import json
import math
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from curate.safeio import ANYWHERE, UnsafeFile, open_guarded

ITEM_BYTES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}
DTYPES = {"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16", "I64": "int64",
          "I32": "int32", "I16": "int16", "I8": "int8", "U8": "uint8", "BOOL": "bool"}  # fmt: skip
MAX_HEADER = 100 * 1024 * 1024  # the format's own limit


class SafetensorsError(ValueError):
    """A file that is not a well-formed safetensors file."""


@dataclass(frozen=True)
class TensorInfo:
    name: str
    dtype: str  # safetensors name, e.g. "BF16"
    shape: tuple[int, ...]
    start: int  # offsets into the data section
    end: int


def open_shard(path: Path) -> BinaryIO:
    """A read handle on a regular file (a FIFO or a link to a device is a SafetensorsError,
    never opened for reading); weight files have no size cap."""
    try:
        return open_guarded(path, None, ANYWHERE)
    except UnsafeFile as exc:
        raise SafetensorsError(f"{path}: {exc.message}") from None


def read_header(path: Path) -> tuple[list[TensorInfo], dict[str, str]]:
    """Tensor entries sorted by offset, and the `__metadata__` map."""
    with open_shard(path) as handle:
        entries, metadata, _ = _header(handle, path)
    return entries, metadata


def header_bytes(handle: BinaryIO, path: Path) -> bytes:
    """The 8-byte length field and the JSON header it announces. The length is checked against
    the format's limit and the file's size before a byte of the header is allocated (a field
    claiming 10^15 bytes is a refusal, not a MemoryError)."""
    prefix = handle.read(8)
    if len(prefix) != 8:
        raise SafetensorsError(f"{path}: too short for a safetensors file")
    (size,) = struct.unpack("<Q", prefix)
    available = os.fstat(handle.fileno()).st_size - 8
    if size > MAX_HEADER or size > available:
        raise SafetensorsError(f"{path}: header length field says {size:,} bytes; the file has {available:,} after it "
                               f"and the format allows {MAX_HEADER:,} (not a safetensors file?)")  # fmt: skip
    raw = handle.read(size)
    if len(raw) != size:
        raise SafetensorsError(f"{path}: truncated inside the header")
    return prefix + raw


def _header(handle: BinaryIO, path: Path) -> tuple[list[TensorInfo], dict[str, str], bytes]:
    header = header_bytes(handle, path)
    data_bytes = os.fstat(handle.fileno()).st_size - len(header)
    try:
        data = json.loads(header[8:])
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise SafetensorsError(f"{path}: unreadable header: {exc}") from None
    if not isinstance(data, dict):
        raise SafetensorsError(f"{path}: header is not a JSON object")
    metadata = data.pop("__metadata__", None) or {}
    entries = [_entry(path, name, info, data_bytes) for name, info in data.items()]
    entries.sort(key=lambda e: e.start)
    return entries, metadata, header


def _entry(path: Path, name: str, info: Any, data_bytes: int) -> TensorInfo:
    """One header entry, its offsets inside the data section and its size equal to its shape's
    (so no read is ever sized by an unchecked number)."""
    if not isinstance(info, dict) or info.get("dtype") not in DTYPES:
        dtype = info.get("dtype") if isinstance(info, dict) else info
        raise SafetensorsError(f"{path}: tensor {name}: unsupported dtype {dtype!r}")
    offsets, shape = info.get("data_offsets"), info.get("shape")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(type(v) is int for v in offsets)
            and isinstance(shape, list) and all(type(v) is int and v >= 0 for v in shape)):  # fmt: skip
        raise SafetensorsError(f"{path}: tensor {name}: malformed shape or data_offsets")
    start, end = offsets
    if not 0 <= start <= end <= data_bytes or end - start != math.prod(shape) * ITEM_BYTES[info["dtype"]]:
        raise SafetensorsError(f"{path}: tensor {name}: data_offsets [{start}, {end}] do not fit its shape {shape} "
                               f"and the file's {data_bytes:,} data bytes")  # fmt: skip
    return TensorInfo(name, info["dtype"], tuple(shape), start, end)


def iter_tensors(path: Path, digest: Any | None = None) -> Iterator[tuple[TensorInfo, Any]]:
    """(info, torch tensor) in file order. `digest` (a hashlib object) receives every byte of
    the file, so a caller hashes the file in the same single pass."""
    import torch

    with open_shard(path) as handle:
        entries, _, header = _header(handle, path)
        if digest is not None:
            digest.update(header)
        position = 0
        for entry in entries:
            if entry.start < position:
                raise SafetensorsError(f"{path}: tensor {entry.name} overlaps the one before it")
            chunk = handle.read(entry.end - position)
            if len(chunk) != entry.end - position:
                raise SafetensorsError(f"{path}: truncated inside tensor {entry.name}")
            if digest is not None:
                digest.update(chunk)
            data = bytearray(chunk[entry.start - position :])
            position = entry.end
            dtype = getattr(torch, DTYPES[entry.dtype])
            tensor = torch.frombuffer(data, dtype=dtype) if data else torch.empty(0, dtype=dtype)
            yield entry, tensor.reshape(entry.shape)
        if digest is not None:
            for rest in iter(lambda: handle.read(1 << 20), b""):
                digest.update(rest)


def read_tensors(path: Path, entries: list[TensorInfo]) -> dict[str, Any]:
    """The given tensors of one file (entries from `read_header`), one seek + read each: the
    caller holds exactly what it asked for (a mapped file would keep every touched page resident)."""
    import torch

    out = {}
    with open_shard(path) as handle:
        data_start = len(header_bytes(handle, path))
        for entry in entries:
            handle.seek(data_start + entry.start)
            data = bytearray(handle.read(entry.end - entry.start))
            if len(data) != entry.end - entry.start:
                raise SafetensorsError(f"{path}: truncated inside tensor {entry.name}")
            dtype = getattr(torch, DTYPES[entry.dtype])
            tensor = torch.frombuffer(data, dtype=dtype) if data else torch.empty(0, dtype=dtype)
            out[entry.name] = tensor.reshape(entry.shape)
    return out


class StreamWriter:
    """Writes a safetensors file whose tensor list is known before any data: header first, then
    each tensor in the declared order (checked), so nothing is held back in memory."""

    def __init__(self, path: Path, entries: list[TensorInfo], metadata: dict[str, str]) -> None:
        header: dict[str, Any] = {"__metadata__": metadata} if metadata else {}
        offset = 0
        self._expected: list[tuple[str, str, tuple[int, ...], int]] = []
        for entry in entries:
            size = entry.end - entry.start
            header[entry.name] = {"dtype": entry.dtype, "shape": list(entry.shape), "data_offsets": [offset, offset + size]}
            self._expected.append((entry.name, entry.dtype, entry.shape, size))
            offset += size
        raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
        raw += b" " * (-len(raw) % 8)  # data section 8-byte aligned, as the reference writer does
        self._handle = path.open("wb")
        self._handle.write(struct.pack("<Q", len(raw)) + raw)
        self._index = 0

    def write(self, name: str, tensor: Any) -> None:
        import torch

        expected_name, dtype, shape, size = self._expected[self._index]
        if name != expected_name or tuple(tensor.shape) != shape or tensor.dtype != getattr(torch, DTYPES[dtype]):
            raise SafetensorsError(f"writer expected {expected_name} {dtype}{list(shape)}, got {name} {tensor.dtype}{list(tensor.shape)}")
        data = tensor.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes() if size else b""
        self._handle.write(data)
        self._index += 1

    def close(self) -> None:
        complete = self._index == len(self._expected)
        self._handle.close()
        if not complete:
            raise SafetensorsError(f"writer closed after {self._index} of {len(self._expected)} tensors")
