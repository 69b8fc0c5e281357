"""Quantize a 16-bit GGUF through llama.cpp's C API (`llama_model_quantize`, shipped in the
llama-cpp-python wheel): no `llama-quantize` binary to build or find. The file type written
into the result is checked, so a silent fallback cannot pass for a Q4_K_M file."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

from train.training.errors import fail

# GGUF `general.file_type` values (llama.h `enum llama_ftype`).
FILE_TYPES = {"F32": 0, "F16": 1, "Q8_0": 7, "Q4_K_M": 15, "BF16": 32}
QUANTS = ("Q4_K_M", "Q8_0")


def quantize(source: Path, target: Path, quant: str, threads: int | None = None) -> None:
    import llama_cpp

    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = FILE_TYPES[quant]
    params.nthread = threads or os.cpu_count() or 1
    code = llama_cpp.llama_model_quantize(str(source).encode(), str(target).encode(), ctypes.byref(params))
    if code != 0 or not target.is_file():
        raise fail(str(source), "REL040", f"llama_model_quantize to {quant} failed (code {code})")
    found = file_type(target)
    if found != FILE_TYPES[quant]:
        raise fail(str(target), "REL041", f"quantized file has general.file_type {found}, expected {FILE_TYPES[quant]} ({quant})")


def file_type(path: Path) -> int | None:
    return gguf_fields(path).get("general.file_type")  # type: ignore[return-value]


def gguf_fields(path: Path) -> dict[str, object]:
    """Scalar and string metadata of a GGUF file (arrays left out), read with gguf's reader
    (which maps the file: a FIFO or a device is refused first, REL017)."""
    from gguf import GGUFReader

    from train.model_files import REFUSED, check

    check(path, REFUSED)
    reader = GGUFReader(str(path))
    fields: dict[str, object] = {}
    for name, field in reader.fields.items():
        if len(field.types) == 1:  # not an array
            fields[name] = field.contents()
    return fields


def tensor_types(path: Path) -> dict[str, str]:
    from gguf import GGUFReader

    from train.model_files import REFUSED, check

    check(path, REFUSED)
    return {tensor.name: tensor.tensor_type.name for tensor in GGUFReader(str(path)).tensors}
