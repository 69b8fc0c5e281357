"""Guarded reads of model and adapter folders: a base model, a run's adapter, a merged model.

A model folder is as untrusted as an example (a shared disk, a colleague's copy, a download):
a FIFO as `config.json` blocks transformers forever, a link to /dev/zero as `tokenizer.json` is
read until memory runs out, and `model.safetensors.index.json` names the shard files to open,
so a `weight_map` entry `../../etc/passwd` or `/etc/passwd` is a path taken from a file. Every
file the tools open themselves goes through the guarded reader (`curate/safeio.py`), and every
file a library opens (transformers, safetensors, PEFT, llama.cpp's converter) is checked the
same way first:

- a regular file (not a FIFO, a device, a socket; symbolic links followed and checked);
- small JSON and text files (configs, tokenizer files, chat template) under a size cap checked
  before a byte is read; weight files checked but uncapped (a 14B shard is 4 GB);
- a file named by the shard index must stay inside the model's folder, by name and after
  resolving links (a Hugging Face cache snapshot links into its entry's `blobs/`: the entry
  is the folder there). Files found by their well-known names or by globbing may be links
  anywhere: they name nothing a file chose.

A refusal is a `TrainingError` with the file and the caller's stable code (REL017/REL018 for
the export, TRN040 for training, TRN030 for a run folder's adapter)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

from curate.safeio import (
    ANYWHERE,
    UnsafeFile,
    check_file,
    open_guarded,
    printable_path,
    read_json_guarded,
    read_text_guarded,
)
from train.training.errors import TrainingError, fail

CONFIG_LIMIT = 16 << 20  # config.json, generation_config.json, adapter_config.json, the index: kilobytes in practice
TOKENIZER_LIMIT = 128 << 20  # tokenizer.json of a 256k vocabulary is about 35 MB
INDEX = "model.safetensors.index.json"
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".gguf")  # checked, never capped
LIMITS = {
    "config.json": CONFIG_LIMIT,
    "generation_config.json": CONFIG_LIMIT,
    "adapter_config.json": CONFIG_LIMIT,
    INDEX: CONFIG_LIMIT,
    "chat_template.jinja": CONFIG_LIMIT,
    "chat_template.json": CONFIG_LIMIT,
    "special_tokens_map.json": CONFIG_LIMIT,
    "preprocessor_config.json": CONFIG_LIMIT,
    "LICENSE": CONFIG_LIMIT,
    "added_tokens.json": TOKENIZER_LIMIT,
    "tokenizer.json": TOKENIZER_LIMIT,
    "tokenizer_config.json": TOKENIZER_LIMIT,
    "vocab.json": TOKENIZER_LIMIT,
    "merges.txt": TOKENIZER_LIMIT,
    "tokenizer.model": TOKENIZER_LIMIT,
}
REFUSED = "REL017"  # the export's code for a refused model-folder file
ESCAPES = "REL018"  # the export's code for a shard index naming a file outside the folder


def limit_for(name: str) -> int | None:
    """The size cap of a model-folder file: its own for the known names, none for weights,
    the tokenizer cap for anything else (a README, a training_args file)."""
    if name in LIMITS:
        return LIMITS[name]
    return None if name.endswith(WEIGHT_SUFFIXES) else TOKENIZER_LIMIT


def folder_root(folder: Path) -> Path:
    """The folder a model's links must stay in: the folder itself, or for a Hugging Face cache
    snapshot (`models--org--name/snapshots/<revision>/`) the cache entry holding its blobs."""
    folder = Path(os.path.abspath(folder))
    return folder.parents[1] if folder.parent.name == "snapshots" and len(folder.parents) > 1 else folder


def check(path: Path, code: str, limit: int | None = None, root: Path = ANYWHERE) -> os.stat_result:
    """The `stat` of a checked model file (`limit` defaults to `limit_for` its name)."""
    try:
        return check_file(path, limit if limit is not None else limit_for(path.name), root)
    except UnsafeFile as exc:
        raise _refused(path, code, exc) from None


def read_json(path: Path, code: str) -> dict[str, Any]:
    """A JSON object file of a model folder (config.json, adapter_config.json, ...)."""
    try:
        data = read_json_guarded(path, limit_for(path.name) or CONFIG_LIMIT, ANYWHERE)
    except UnsafeFile as exc:
        raise _refused(path, code, exc) from None
    except ValueError as exc:
        raise fail(printable_path(path), code, f"not UTF-8 JSON: {exc}") from None
    if not isinstance(data, dict):
        raise fail(printable_path(path), code, f"not a JSON object (a {type(data).__name__})")
    return data


def read_text(path: Path, code: str) -> str:
    try:
        return read_text_guarded(path, limit_for(path.name) or CONFIG_LIMIT, ANYWHERE)
    except UnsafeFile as exc:
        raise _refused(path, code, exc) from None
    except ValueError as exc:
        raise fail(printable_path(path), code, f"not UTF-8 text: {exc}") from None


def copy(source: Path, target: Path, code: str) -> None:
    """Copy a checked model file (shutil.copyfile would read a link to /dev/zero forever)."""
    try:
        handle = open_guarded(source, limit_for(source.name), ANYWHERE)
    except UnsafeFile as exc:
        raise _refused(source, code, exc) from None
    with handle, open(target, "wb") as out:
        shutil.copyfileobj(handle, out, 1 << 20)


def indexed_shards(folder: Path, code: str, escape_code: str) -> list[Path]:
    """The shard files `model.safetensors.index.json` names (none without an index), each
    confined to the folder (`escape_code`) and checked; the index itself is checked (`code`)."""
    index = folder / INDEX
    if not os.path.lexists(index):
        return []
    weight_map = read_json(index, code).get("weight_map")
    if not isinstance(weight_map, dict):
        raise fail(printable_path(index), code, "no weight_map object (not a safetensors shard index)")
    root = folder_root(folder)
    shards = []
    for tensor, name in weight_map.items():
        if not isinstance(name, str) or not _plain_relative(name):
            raise fail(printable_path(index), escape_code, f"weight_map entry {tensor!r} names {name!r}: a shard must be "
                       "a file inside the model folder (no absolute path, no ..): refused")  # fmt: skip
        shard = folder / name
        if shard in shards:
            continue
        if not inside(shard, root):
            raise fail(printable_path(index), escape_code, f"weight_map entry {tensor!r} names {name!r}, a link to "
                       f"{os.path.realpath(shard)}: outside the model folder: refused")  # fmt: skip
        try:
            check_file(shard, None, ANYWHERE)
        except UnsafeFile as exc:
            raise fail(printable_path(index), code, f"weight_map entry {tensor!r} names {name!r}: {exc.message}") from None
        shards.append(shard)
    return shards


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, links resolved, is `folder` (links resolved) or under it: the check for a
    path taken from a file (`../../etc/passwd` and `/etc/passwd` are not inside)."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([real, base]) == base


def _plain_relative(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith(("/", "\\")) and "\\" not in name and not any(p in ("..", "") for p in parts)


def check_model_folder(folder: Path, code: str, escape_code: str | None = None) -> None:
    """Check every file a library loading this model would open (configs, tokenizer files,
    chat template, the shard index and its shards, every weight file) before it opens one."""
    for name in LIMITS:
        if os.path.lexists(folder / name):
            check(folder / name, code)
    indexed_shards(folder, code, escape_code or code)
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.name.endswith(WEIGHT_SUFFIXES):
            check(path, code)


def check_tree(folder: Path, code: str) -> None:
    """Every file under `folder` (an adapter folder the export copies whole): checked, links to
    files anywhere allowed (copying follows them) but never to a FIFO or a device; a link to a
    folder is refused (copying would follow it: a link to / would copy the whole disk)."""
    for current, folders, files in os.walk(folder):
        for name in folders:
            if os.path.islink(os.path.join(current, name)):
                link = Path(current) / name
                raise fail(printable_path(link), code, f"model file refused: symbolic link to a folder ({os.path.realpath(link)}): "
                           "copying the adapter would follow it")  # fmt: skip
        for name in files:
            check(Path(current) / name, code)


def _refused(path: Path, code: str, exc: UnsafeFile) -> TrainingError:
    return fail(printable_path(path), code, f"model file refused: {exc.message}")
