"""bench/heldout_check.py: a held-out sample is a manifest in the repository plus local copies
kept outside it; the script checks exactly the manifest's files and says when one is missing
or no longer the file the manifest was written for."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "heldout_check.py"
SAMPLES = ROOT / "bench" / "heldout-samples"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60, check=False)


def test_manifest_round_trip(tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    (sample / "a").mkdir(parents=True)
    (sample / "a" / "good.bbj").write_text('print "ok"\n', encoding="utf-8")
    (sample / "bad.aon").write_text("while x\n  x = x - 1\n", encoding="utf-8")  # WEND missing
    (sample / "extra.bbj").write_text("for\n", encoding="utf-8")  # not in the manifest: not checked
    sources = tmp_path / "sources.tsv"
    sources.write_text("a/good.bbj\tOwner/repo\tsrc/good.bbj\t" + "1" * 40 + "\nbad.aon\tOwner/repo\tbad.aon\t" + "2" * 40 + "\n", encoding="utf-8")
    manifest = tmp_path / "m.tsv"
    made = _run(str(sample), "--make-manifest", str(sources), "--manifest", str(manifest))
    assert made.returncode == 0, made.stderr
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[2:]]
    assert [r[0] for r in rows] == ["a/good.bbj", "bad.aon"] and all(len(r[4]) == 64 for r in rows)

    checked = _run(str(sample), "--manifest", str(manifest))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "bad.aon\n" in checked.stdout and "BBJ504" in checked.stdout
    assert "extra.bbj" not in checked.stdout and "2 files" in checked.stdout
    assert "files with error findings: 1" in checked.stdout

    (sample / "a" / "good.bbj").write_text('print "changed"\n', encoding="utf-8")
    (sample / "bad.aon").unlink()
    drifted = _run(str(sample), "--manifest", str(manifest))
    assert drifted.returncode == 1
    assert "CHANGED a/good.bbj" in drifted.stdout and "MISSING bad.aon" in drifted.stdout


def test_bad_sources_row_is_a_clear_error(tmp_path: Path) -> None:
    sources = tmp_path / "s.tsv"
    sources.write_text("only\ttwo\n", encoding="utf-8")
    result = _run(str(tmp_path), "--make-manifest", str(sources), "--manifest", str(tmp_path / "m.tsv"))
    assert result.returncode != 0 and "s.tsv:1: expected 4 tab-separated columns, found 2" in result.stderr


def test_committed_manifests_are_well_formed() -> None:
    spec = importlib.util.spec_from_file_location("heldout_check", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks the module up by name
    spec.loader.exec_module(module)
    manifests = sorted(SAMPLES.glob("*.tsv"))
    assert manifests, "no held-out manifest in bench/heldout-samples"
    for manifest in manifests:
        entries = module.read_manifest(manifest)
        assert entries, manifest
        assert len({e.local_path for e in entries}) == len(entries)
        for e in entries:
            assert e.repo.count("/") == 1 and len(e.commit) == 40 and len(e.sha256) == 64, (manifest, e)
