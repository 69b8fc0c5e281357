"""Files a model folder can plant for the export, the merge and `bbj-train serve` (a FIFO that
blocks every open, a link to /dev/zero that never ends, a shard index or a Modelfile naming a
file outside its folder, a safetensors length field claiming a petabyte, an oversize config):
each is refused with the file and a stable code before a byte of it is read, never a hang or a
traceback. Blocking reads run in a daemon thread (`within`) or a real subprocess with a timeout."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from planted import dev_zero, fifo, within
from release_helpers import random_adapter

from train.training.errors import TrainingError

TIMEOUT = 90
INDEX = "model.safetensors.index.json"


def folder_link(path: Path) -> None:
    path.symlink_to("/")


def oversize(path: Path) -> None:
    with path.open("r+b" if path.exists() else "wb") as handle:
        handle.truncate(17 << 20)  # sparse: over the 16 MiB config cap without writing it


def refusal(work: Callable[[], Any]) -> tuple[str, str]:
    """(code, path: message) of the TrainingError `work` raises within 20 s."""
    with pytest.raises(TrainingError) as caught:
        within(20, work)
    diagnostic = caught.value.diagnostics[0]
    return diagnostic.code, f"{diagnostic.path}: {diagnostic.message}"


@pytest.fixture(scope="module")
def adapter(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return random_adapter(base, tmp_path_factory.mktemp("adapter") / "adapter")


@pytest.fixture
def run(tmp_path: Path, base: Path, adapter: Path) -> dict[str, Path]:
    """A run folder (run.json, config.json, the adapter) whose base is a private copy of the
    export test model, to plant files in."""
    folder = tmp_path / "run"
    shutil.copytree(adapter, folder / "adapter")
    model = shutil.copytree(base, tmp_path / "base")
    (folder / "run.json").write_text(json.dumps({"base_model": str(model)}), "utf-8")
    (folder / "config.json").write_text(json.dumps({"name": "planted", "max_seq_len": 64}), "utf-8")
    return {"run": folder, "base": model, "out": tmp_path / "dist"}


def plan(run: dict[str, Path]) -> Any:
    from train.release.export import ExportOptions, plan_export

    return plan_export(ExportOptions(run=run["run"], base=str(run["base"]), out_root=run["out"]))


def test_export_refuses_a_fifo_config_json(run: dict[str, Path]) -> None:
    """Through the real command: exit 2 with the file and REL017, in well under the timeout."""
    fifo(run["base"] / "config.json")
    done = subprocess.run([sys.executable, "-m", "train.cli", "export", "--run", str(run["run"]), "--base", str(run["base"]),
                           "--out", str(run["out"])], capture_output=True, text=True, timeout=TIMEOUT, check=False)  # fmt: skip
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "REL017" in done.stderr and "config.json" in done.stderr and "a named pipe (FIFO)" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not run["out"].exists()


@pytest.mark.parametrize(
    ("where", "name", "plant", "message"),
    [
        pytest.param("base", "tokenizer.json", dev_zero, "symbolic link to /dev/zero, a character device", id="base-tokenizer-dev-zero"),
        pytest.param("base", "generation_config.json", fifo, "a named pipe (FIFO)", id="base-generation-config-fifo"),
        pytest.param("base", "config.json", oversize, "the limit is 16,777,216", id="base-config-oversize"),
        pytest.param("base", "LICENSE", dev_zero, "a character device", id="base-licence-dev-zero"),
        pytest.param("adapter", "adapter_config.json", oversize, "the limit is 16,777,216", id="adapter-config-oversize"),
        pytest.param("adapter", "adapter_model.safetensors", dev_zero, "a character device", id="adapter-weights-dev-zero"),
        pytest.param("adapter", "README.md", fifo, "a named pipe (FIFO)", id="adapter-readme-fifo"),
        pytest.param("adapter", "extra", folder_link, "symbolic link to a folder (/)", id="adapter-folder-link"),
    ],
)  # fmt: skip
def test_export_plan_refuses_planted_model_files(run: dict[str, Path], where: str, name: str, plant: Callable[[Path], None],
                                                 message: str) -> None:  # fmt: skip
    """Checked while planning, before a byte is written (the merge copies these files: a
    /dev/zero link would be copied until the disk is full)."""
    plant((run["base"] if where == "base" else run["run"] / "adapter") / name)
    code, text = refusal(lambda: plan(run))
    assert code == "REL017" and name in text and message in text, text
    assert not run["out"].exists()


def _real_shard_index(folder: Path, shard: str) -> dict[str, Any]:
    from train.release.safetensors_stream import read_header

    entries, _ = read_header(folder / "model.safetensors")
    return {"metadata": {}, "weight_map": {entry.name: shard for entry in entries}}


@pytest.mark.parametrize(
    "shard",
    [pytest.param("../../etc/passwd", id="dot-dot"), pytest.param("/etc/passwd", id="absolute"),
     pytest.param("link.safetensors", id="link-out")],
)  # fmt: skip
def test_shard_index_entries_are_confined_to_the_model_folder(run: dict[str, Path], tmp_path: Path, shard: str) -> None:
    base = run["base"]
    if shard == "link.safetensors":
        outside = tmp_path / "elsewhere.safetensors"
        shutil.copyfile(base / "model.safetensors", outside)
        (base / shard).symlink_to(outside)
    (base / INDEX).write_text(json.dumps(_real_shard_index(base, shard)), "utf-8")
    code, text = refusal(lambda: plan(run))
    assert code == "REL018" and INDEX in text and repr(shard) in text, text


def test_shard_index_inside_the_folder_is_kept(run: dict[str, Path], tmp_path: Path) -> None:
    """The same check passes a well-formed index (and a Hugging Face cache snapshot, whose
    shards link into the entry's blobs/) and the merge passes the index on."""
    from train.model_files import indexed_shards
    from train.release.merge import load_adapter, merge_into

    base = run["base"]
    (base / INDEX).write_text(json.dumps(_real_shard_index(base, "model.safetensors")), "utf-8")
    merge_into(base, load_adapter(run["run"] / "adapter"), tmp_path / "merged")
    assert json.loads((tmp_path / "merged" / INDEX).read_text("utf-8")) == json.loads((base / INDEX).read_text("utf-8"))
    entry = tmp_path / "hub" / "models--org--tiny"
    (entry / "blobs").mkdir(parents=True)
    shutil.copyfile(base / "model.safetensors", entry / "blobs" / "0123abcd")
    snapshot = entry / "snapshots" / "rev"
    snapshot.mkdir(parents=True)
    (snapshot / "model.safetensors").symlink_to("../../blobs/0123abcd")
    (snapshot / INDEX).write_text(json.dumps(_real_shard_index(base, "model.safetensors")), "utf-8")
    assert indexed_shards(snapshot, "REL017", "REL018") == [snapshot / "model.safetensors"]


def _header(entries: dict[str, Any]) -> bytes:
    raw = json.dumps(entries).encode("utf-8")
    return struct.pack("<Q", len(raw)) + raw


def test_safetensors_numbers_are_bounded_before_allocating(tmp_path: Path) -> None:
    """Our streaming reader never sizes a read by an unchecked number from the file: the header
    length (here 10^15) and every tensor's offsets are checked against the file's size first."""
    from train.release.base import base_fingerprint
    from train.release.safetensors_stream import SafetensorsError, iter_tensors, read_header

    length_field = tmp_path / "length" / "model.safetensors"
    offsets = tmp_path / "offsets" / "model.safetensors"
    cases = ((length_field, struct.pack("<Q", 10**15) + b"{}", "header length field says 1,000,000,000,000,000 bytes"),
             (offsets, _header({"w": {"dtype": "F32", "shape": [25 * 10**13], "data_offsets": [0, 10**15]}}) + bytes(16),
              "data_offsets [0, 1000000000000000] do not fit its shape"))  # fmt: skip
    for path, content, message in cases:
        path.parent.mkdir()
        path.write_bytes(content)
        for read in (read_header, lambda p: list(iter_tensors(p))):
            with pytest.raises(SafetensorsError, match=re.escape(message)):
                within(20, lambda read=read, path=path: read(path))
    with pytest.raises(SafetensorsError, match="header length field says"):
        within(20, lambda: base_fingerprint(length_field.parent))


def test_serve_confines_the_modelfile_and_its_from(tmp_path: Path) -> None:
    """`bbj-train serve <release>`: the Modelfile is read through the guarded reader and its
    FROM, a path taken from a file, must be a regular file inside the release folder (REL061)."""
    from train.release.serve import find_target

    release = tmp_path / "release"
    release.mkdir()
    (release / "model.gguf").write_bytes(b"GGUF" + b"\0" * 60)
    (release / "zero.gguf").symlink_to("/dev/zero")
    fifo(release / "pipe.gguf")
    for source, message in (("../../../etc/passwd", "outside the release folder"), ("/etc/passwd", "outside the release folder"),
                            ("zero.gguf", "outside the release folder"), ("pipe.gguf", "a named pipe (FIFO)")):  # fmt: skip
        (release / "Modelfile").write_text(f"FROM {source}\nPARAMETER num_ctx 64\n", "utf-8")
        code, text = refusal(lambda: find_target(release, None, None))
        assert code == "REL061" and message in text, text
    fifo(release / "Modelfile")
    code, text = refusal(lambda: find_target(release, None, None))
    assert code == "REL061" and "a named pipe (FIFO)" in text, text
    (release / "Modelfile").unlink()
    (release / "Modelfile").write_text("FROM model.gguf\nPARAMETER num_ctx 64\n", "utf-8")
    assert find_target(release, None, None).gguf == (release / "model.gguf").resolve()


def test_converter_metadata_and_gguf_reads_are_guarded(tmp_path: Path) -> None:
    """The converter sdist's PKG-INFO (REL031) and a GGUF whose metadata is read (REL017)."""
    pytest.importorskip("llama_cpp", reason="the converter check needs llama-cpp-python installed")
    from train.release import converter
    from train.release.quantize import gguf_fields

    source = tmp_path / "llama_cpp_python-x"
    folder = source / "vendor" / "llama.cpp"
    (folder / "gguf-py").mkdir(parents=True)
    (folder / "convert_hf_to_gguf.py").write_text("", "utf-8")
    dev_zero(source / "PKG-INFO")
    code, text = refusal(lambda: converter.locate(source))
    assert code == "REL031" and "PKG-INFO" in text and "a character device" in text, text
    fifo(tmp_path / "model.gguf")
    code, text = refusal(lambda: gguf_fields(tmp_path / "model.gguf"))
    assert code == "REL017" and "a named pipe (FIFO)" in text, text


def test_eval_transformers_backend_checks_model_and_adapter_folders(run: dict[str, Path]) -> None:
    """`bbj-train eval` with a local model and adapter: their files are checked before
    transformers and PEFT open them (the config's model is refused: ValueError naming the file)."""
    from train.eval.backends import TransformersBackend
    from train.eval.config import ModelSpec

    spec = ModelSpec(name="tuned", backend="transformers", model=str(run["base"]), adapter=str(run["run"] / "adapter"))
    dev_zero(run["base"] / "tokenizer.json")
    with pytest.raises(ValueError, match=re.escape("tokenizer.json: model file refused: symbolic link to /dev/zero")):
        within(20, lambda: TransformersBackend(spec))
    (run["base"] / "tokenizer.json").unlink()
    fifo(run["run"] / "adapter" / "adapter_config.json")
    with pytest.raises(ValueError, match=re.escape("adapter_config.json: model file refused: a named pipe (FIFO)")):
        within(20, lambda: TransformersBackend(spec))
