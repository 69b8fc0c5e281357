"""The 16-bit base model an export merges into: found locally (never downloaded), checked to be
unquantized safetensors, identified by a cheap fingerprint, and sized for the disk check."""

from __future__ import annotations

import hashlib
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from train.model_files import ESCAPES, REFUSED, check_model_folder, read_json
from train.release.merge import base_shards
from train.release.safetensors_stream import header_bytes, open_shard, read_header
from train.training.errors import fail

FINGERPRINT_BYTES = 1 << 20  # of each shard's data section, after its header
Q4_K_M_BYTES_PER_PARAM = 0.62  # ~4.9 bits per weight (llama.cpp's Q4_K_M mix), measured on the export test model
Q8_0_BYTES_PER_PARAM = 1.07  # 8.5 bits per weight


@dataclass(frozen=True)
class BaseModel:
    path: Path
    parameters: int
    bytes: int  # safetensors shards on disk

    def disk_needed(self, quants: list[str], keep_f16: bool) -> int:
        """Bytes the export writes at its peak: merged copy + 16-bit GGUF + each quantized GGUF
        (the merged copy and an unkept F16 file are deleted only at the end), plus 5%."""
        needed = self.bytes + 2 * self.parameters
        for quant in quants:
            needed += int(self.parameters * (Q8_0_BYTES_PER_PARAM if quant == "Q8_0" else Q4_K_M_BYTES_PER_PARAM))
        return int(needed * 1.05)


def resolve_base(given: str | None, recorded: str | None) -> Path:
    """`--base` if given, else the run's base_model when it is a local folder or already in the
    Hugging Face cache. Anything that would need a download is refused."""
    candidate = given if given is not None else recorded
    if candidate is None:
        raise fail("--base", "REL010", "no base model: give --base <folder with the 16-bit safetensors>")
    path = Path(candidate).expanduser()
    if path.is_dir():
        return path.resolve()
    if given is None and looks_like_repo_id(candidate):
        cached = hub_cache(candidate)
        if cached is not None:
            return cached
    where = "--base" if given is not None else "run.json base_model"
    if path.exists():
        raise fail(str(path), "REL010", f"{where}: not a folder")
    if looks_like_repo_id(candidate):
        raise fail(candidate, "REL010", f"{where}: {candidate!r} is not a local folder and the export never "
                   "downloads: give --base <folder holding its 16-bit safetensors>")  # fmt: skip
    raise fail(str(path), "REL010", f"{where}: folder not found")


def looks_like_repo_id(name: str) -> bool:
    return name.count("/") == 1 and not name.startswith((".", "/", "~"))


def hub_cache(repo_id: str) -> Path | None:
    """The snapshot folder of `repo_id` in the local Hugging Face cache (never downloads)."""
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id, local_files_only=True))
    except Exception:  # noqa: BLE001 - not cached (or no hub library): the caller refuses
        return None


def inspect_base(path: Path) -> BaseModel:
    """Refuse a folder that is not an unquantized safetensors model; count its parameters.
    Every file the export will read from it is checked first (REL017/REL018)."""
    config_file = path / "config.json"
    if not os.path.lexists(config_file):
        raise fail(str(config_file), "REL011", "base folder has no config.json (not a Hugging Face model folder)")
    check_model_folder(path, REFUSED, ESCAPES)
    config = read_json(config_file, REFUSED)
    if config.get("quantization_config"):
        method = config["quantization_config"].get("quant_method", "?")
        raise fail(str(config_file), "REL012", f"base is quantized ({method}): merge needs the 16-bit weights "
                   "(a bnb-4bit download is not the base to merge into)")  # fmt: skip
    shards = base_shards(path)
    if not shards:
        raise fail(str(path), "REL011", "base folder has no *.safetensors weights")
    parameters = 0
    for shard in shards:
        try:
            entries, _ = read_header(shard)
        except (ValueError, OSError) as exc:
            raise fail(str(shard), "REL011", f"unreadable safetensors file: {exc}") from None
        parameters += sum(math.prod(entry.shape) for entry in entries)
    return BaseModel(path, parameters, sum(shard.stat().st_size for shard in shards))


def base_fingerprint(path: Path) -> str | None:
    """sha256 over each shard's name, header and first MiB of data: equal for the same weights,
    different for another model (or another seed) of the same architecture, and cheap to compute
    on a 30 GB model. None when the folder holds no safetensors; SafetensorsError for a shard
    that is not a regular file or whose header length is out of bounds."""
    shards = base_shards(path)
    if not shards:
        return None
    digest = hashlib.sha256()
    for shard in shards:
        with open_shard(shard) as handle:
            digest.update(shard.name.encode() + header_bytes(handle, shard) + handle.read(FINGERPRINT_BYTES))
    return digest.hexdigest()


def check_disk(out_parent: Path, needed: int) -> None:
    free = shutil.disk_usage(out_parent).free
    if free < needed:
        raise fail(str(out_parent), "REL014", f"not enough disk space: the export needs about {needed / 1e9:.1f} GB, "
                   f"{free / 1e9:.1f} GB free (nothing was written)")  # fmt: skip
