"""llama.cpp's own HF -> GGUF converter, offline, from the SAME llama-cpp-python version as the
installed one. The wheel does not contain the converter; its source distribution does (with the
matching `gguf-py`). `fetch` fills a cache from that sdist once (`make converter` on a machine
that can reach the package registry, or from an sdist file you carried); the export only reads
the cache, or a folder / sdist given with `--llama-cpp-source`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path

from curate.safeio import ANYWHERE, UnsafeFile, check_file, read_json_guarded, read_text_guarded
from train.training.errors import fail

PACKAGE = "llama-cpp-python"
VENDOR = "vendor/llama.cpp/"
NEEDED = ("convert_hf_to_gguf.py", "conversion/", "gguf-py/", "LICENSE")
MARKER = "bbj-converter.json"
METADATA_LIMIT = 1 << 20  # the marker and PKG-INFO (the sdist's README inside it: tens of KB)


def installed_version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        raise fail(PACKAGE, "REL030", "llama-cpp-python is not installed: pip install -e '.[export]' "
                   "(see docs/release.md)") from None  # fmt: skip


def cache_dir(version: str) -> Path:
    root = Path(os.environ.get("BBJ_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bbj-coder-toolkit")
    return root / f"llama.cpp-{version}"


def locate(source: Path | None) -> Path:
    """The converter folder (holding convert_hf_to_gguf.py, conversion/, gguf-py/) for the
    installed version: `source` (an sdist .tar.gz, an extracted sdist, or a cache folder), else
    the cache. A source of another version is refused: converter and runtime must agree."""
    version = installed_version()
    if source is None:
        folder = cache_dir(version)
        if not (folder / MARKER).is_file():
            raise fail(str(folder), "REL031", f"converter for llama-cpp-python {version} not cached: run "
                       "`bbj-train fetch-converter` (or `make converter`) once, or give --llama-cpp-source "
                       "<llama_cpp_python-VERSION.tar.gz>")  # fmt: skip
        return folder
    if source.is_file():
        return extract(source, cache_dir(version), version)
    for folder in (source, source / "vendor" / "llama.cpp"):
        if (folder / "convert_hf_to_gguf.py").is_file() and (folder / "gguf-py").is_dir():
            found = _version_of(folder)
            if found is not None and found != version:
                raise fail(str(source), "REL032", f"converter is from llama-cpp-python {found}, installed is {version}")
            return folder
    raise fail(str(source), "REL031", "--llama-cpp-source: no convert_hf_to_gguf.py + gguf-py here "
               "(give the llama-cpp-python sdist or its extracted folder)")  # fmt: skip


def _version_of(folder: Path) -> str | None:
    """The llama-cpp-python version of a converter folder (our marker, or the sdist's PKG-INFO),
    read through the guarded reader (REL031 for a FIFO, a device, an oversize file)."""
    marker = folder / MARKER
    pkg_info = folder.parents[1] / "PKG-INFO" if folder.name == "llama.cpp" else folder / "PKG-INFO"
    source = marker if marker.exists() else pkg_info if pkg_info.exists() else None
    if source is None:
        return None
    try:
        if source is marker:
            data = read_json_guarded(marker, METADATA_LIMIT, ANYWHERE)
            if not isinstance(data, dict) or not isinstance(data.get("version"), str):
                raise ValueError("no version string")
            return str(data["version"])
        lines = read_text_guarded(pkg_info, METADATA_LIMIT, ANYWHERE).splitlines()
    except UnsafeFile as exc:
        raise fail(str(source), "REL031", f"converter metadata refused: {exc.message}") from None
    except ValueError as exc:
        raise fail(str(source), "REL031", f"unreadable converter metadata: {exc}") from None
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith("Version:")), None)


def extract(sdist: Path, target: Path, version: str) -> Path:
    """Unpack the converter files of `sdist` into `target` (atomically: temp folder, rename)."""
    try:
        check_file(sdist, None, ANYWHERE)  # tarfile would block on a FIFO, read a device forever
    except UnsafeFile as exc:
        raise fail(str(sdist), "REL031", f"not a readable sdist: {exc.message}") from None
    try:
        with tarfile.open(sdist, "r:gz") as archive:
            return _unpack(archive, sdist, target, version)
    except (tarfile.TarError, OSError) as exc:
        raise fail(str(sdist), "REL031", f"not a readable sdist: {exc}") from None


def _unpack(archive: tarfile.TarFile, sdist: Path, target: Path, version: str) -> Path:
    expected_root = f"llama_cpp_python-{version}/"
    names = archive.getnames()
    if not any(name.startswith(expected_root + VENDOR) for name in names):
        found = names[0].split("/")[0] if names else "empty"
        raise fail(str(sdist), "REL032", f"sdist is {found}, installed is llama-cpp-python {version}")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        prefix = expected_root + VENDOR
        members = [m for m in archive.getmembers() if m.name.startswith(prefix)
                   and m.name[len(prefix):].startswith(NEEDED) and (m.isfile() or m.isdir())]  # fmt: skip
        for member in members:
            member.name = member.name[len(prefix) :]
        archive.extractall(staging, members=members, filter="data")
        (staging / MARKER).write_text(json.dumps({"version": version, "sdist": sdist.name}) + "\n", "utf-8")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def fetch(sdist: Path | None = None) -> Path:
    """Fill the cache: from `sdist`, else `pip download` the installed version's sdist (pip's
    cache serves it again later; the only network step of the release path)."""
    version = installed_version()
    if sdist is not None:
        return extract(sdist, cache_dir(version), version)
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", PACKAGE, f"{PACKAGE}=={version}", "-d", tmp]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        files = list(Path(tmp).glob("*.tar.gz"))
        if done.returncode != 0 or not files:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no sdist downloaded"]
            raise fail(PACKAGE, "REL033", f"pip download of the {version} sdist failed: {tail[0]}")
        return extract(files[0], cache_dir(version), version)


def convert(converter: Path, model: Path, out: Path, outtype: str, fallback_pre: str | None, log: Path) -> None:
    """Run the converter in a subprocess (argv list, offline environment); its output goes to `log`."""
    command = [sys.executable, "-m", "train.release.convert_main", "--converter", str(converter)]
    if fallback_pre:
        command += ["--fallback-pre", fallback_pre]
    command += ["--", str(model), "--outfile", str(out), "--outtype", outtype]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    with log.open("w", encoding="utf-8") as handle:
        done = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, env=env, check=False)
    if done.returncode != 0 or not out.is_file():
        lines = log.read_text("utf-8", errors="replace").strip().splitlines()
        raise fail(str(model), "REL034", f"convert_hf_to_gguf failed (exit {done.returncode}): "
                   f"{lines[-1] if lines else 'no output'} (full log: {log})")  # fmt: skip
