"""`bbj-train split`: stable hash assignment (adding records never moves one), near-duplicate
clusters kept whole, a manifest, and a leakage check that fails loudly."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest
from conftest import bbj_train, load_legacy_fixture, read_jsonl

from train.data.split import SPLITS, assign, parse_ratios

LEGACY = load_legacy_fixture()
GENERATIONS = ["character", "vpro5", "bbj-gui", "dwc", "all"]
TYPES = ["completion", "comprehension", "migration", "explanation"]


def make_records(count: int, seed: int, start: int = 0) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for n in range(start, start + count):
        user, assistant = LEGACY.exchange(rng)
        meta = {"id": f"topic/example-{n}", "type": TYPES[n % 4], "generation": GENERATIONS[n % 5], "source": "test"}
        records.append({"messages": LEGACY.messages(user, assistant), "meta": meta})
    return records


def write(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


def membership(folder: Path) -> dict[str, str]:
    return {r["meta"]["id"]: name for name in SPLITS for r in read_jsonl(folder / f"{name}.jsonl")}


@pytest.mark.parametrize(("via", "seed"), [("cli", 1), ("api", 2), ("api", 3)])
def test_adding_ten_percent_more_never_moves_an_existing_record(tmp_path: Path, via: str, seed: int) -> None:
    base = make_records(400, seed)
    more = base + make_records(40, seed + 100, start=400)
    if via == "cli":
        assert bbj_train("split", write(tmp_path / "a" / "in.jsonl", base), "--out", tmp_path / "split-a").returncode == 0
        assert bbj_train("split", write(tmp_path / "b" / "in.jsonl", more), "--out", tmp_path / "split-b").returncode == 0
        before, after = membership(tmp_path / "split-a"), membership(tmp_path / "split-b")
    else:
        before, after = ({r["meta"]["id"]: name for name, rs in assign(records).splits.items() for r in rs} for records in (base, more))
    assert len(after) == 440 and len(before) == 400
    assert {rid: after[rid] for rid in before} == before


def test_ratios_are_roughly_kept_in_every_stratum() -> None:
    result = assign(make_records(2000, 5), dedupe=False)  # unrelated records: clustering changes nothing here
    sizes = {name: len(result.splits[name]) for name in SPLITS}
    assert 1500 < sizes["train"] < 1700 and 130 < sizes["validation"] < 270 and 130 < sizes["test"] < 270
    assert len(result.by_stratum) == 20
    for counts in result.by_stratum.values():
        total = sum(counts.values())
        assert counts["train"] / total > 0.65 and counts["test"] > 0


def test_near_duplicate_clusters_go_whole_into_one_split(tmp_path: Path) -> None:
    originals = make_records(300, 9)
    records = list(originals)
    rng = random.Random(4)
    planted = []
    for n in range(0, 60, 3):
        twin = json.loads(json.dumps(originals[n]))
        twin["meta"]["id"] = f"twin/of-{n}"
        twin["messages"][2]["content"] = twin["messages"][2]["content"].replace("This program", "This little program", 1)
        records.insert(rng.randrange(len(records)), twin)
        planted.append((originals[n]["meta"]["id"], twin["meta"]["id"]))
    result = assign(records)
    where = {r["meta"]["id"]: name for name, rs in result.splits.items() for r in rs}
    assert result.clusters >= len(planted)
    for original, twin in planted:
        assert where[original] == where[twin]
    assert result.moved_by_cluster > 0, "some twins hashed elsewhere and were moved to their cluster"


def test_manifest_lists_counts_hashes_and_inputs(tmp_path: Path) -> None:
    source = write(tmp_path / "in" / "records.jsonl", make_records(120, 7))
    result = bbj_train("split", tmp_path / "in", "--out", tmp_path / "split", "--ratios", "70/15/15")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "split" / "manifest.json").read_text("utf-8"))
    assert sum(manifest["counts"].values()) == 120
    for output in manifest["outputs"]:
        data = (tmp_path / "split" / output["path"]).read_bytes()
        assert output["sha256"] == hashlib.sha256(data).hexdigest() and output["records"] == data.count(b"\n")
        assert sum(manifest["by_category"][output["path"].removesuffix(".jsonl")].values()) == output["records"]
    assert manifest["inputs"] == [{"path": source.as_posix(), "sha256": hashlib.sha256(source.read_bytes()).hexdigest(), "bytes": source.stat().st_size}]
    assert "--ratios 70/15/15" in manifest["command"] and manifest["version"]
    assert manifest["method"]["ratios"] == {"train": 0.7, "validation": 0.15, "test": 0.15}
    assert (tmp_path / "split" / "card.md").exists()


def test_check_only_fails_loudly_on_leakage(tmp_path: Path) -> None:
    records = make_records(40, 3)
    leaked = json.loads(json.dumps(records[5]))
    leaked["meta"]["id"] = "leaked/copy"
    leaked["messages"][2]["content"] += " Also prints a total."
    write(tmp_path / "split" / "train.jsonl", records[:30])
    write(tmp_path / "split" / "validation.jsonl", [])
    write(tmp_path / "split" / "test.jsonl", [*records[30:], leaked])
    result = bbj_train("split", tmp_path / "split", "--check-only")
    assert result.returncode == 1
    assert "LEAKAGE" in result.stderr and "test leaked/copy ~ train topic/example-5" in result.stderr
    write(tmp_path / "split" / "test.jsonl", records[30:])
    clean = bbj_train("split", tmp_path / "split", "--check-only")
    assert clean.returncode == 0, clean.stderr
    assert "no leakage" in clean.stdout


def test_split_output_passes_its_own_leak_check(tmp_path: Path) -> None:
    records = make_records(200, 8)
    records += [{**json.loads(json.dumps(r)), "meta": {**r["meta"], "id": r["meta"]["id"] + "-copy"}} for r in records[:20]]
    assert bbj_train("split", write(tmp_path / "in.jsonl", records), "--out", tmp_path / "split").returncode == 0
    assert bbj_train("split", tmp_path / "split", "--check-only").returncode == 0


OK_LINE = '{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}], "meta": {"id": "a"}}'


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"messages": []}'], "meta.id"),
        (["not json"], "not JSON"),
        ([OK_LINE, OK_LINE], "repeats"),
        (['{"messages": ["hi", "there"], "meta": {"id": "a"}}'], "role must be one of"),
        (['{"messages": [{"role": "user", "content": 3}], "meta": {"id": "a"}}'], "content must be a string"),
        ([OK_LINE.replace('"a"', '"\\ud800"')], "lone surrogate"),
    ],
)
def test_bad_input_is_reported_with_file_and_line(tmp_path: Path, lines: list[str], message: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    result = bbj_train("split", source, "--out", tmp_path / "out")
    assert result.returncode == 2 and message in result.stderr and f"in.jsonl:{len(lines)}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("text", "expected"), [("80/10/10", (0.8, 0.1, 0.1)), ("0.9,0.05,0.05", (0.9, 0.05, 0.05)), ("1/1/2", (0.25, 0.25, 0.5))])
def test_parse_ratios(text: str, expected: tuple[float, float, float]) -> None:
    assert parse_ratios(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["80/20", "a/b/c", "-1/1/1", "0/0/0", "nan/1/1", "1/inf/1", "1e308/1e308/1"])
def test_bad_ratios_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_ratios(text)


def test_non_finite_ratios_are_a_usage_error(tmp_path: Path) -> None:
    """`--ratios nan/1/1` used to put every record in test, exit 0."""
    result = bbj_train("split", write(tmp_path / "in.jsonl", make_records(20, 1)), "--out", tmp_path / "out", "--ratios", "nan/1/1")
    assert result.returncode == 2 and "finite" in result.stderr and not (tmp_path / "out").exists()


def test_check_only_needs_split_files(tmp_path: Path) -> None:
    """A folder without train.jsonl/test.jsonl used to pass as 'no leakage'."""
    (tmp_path / "empty").mkdir()
    result = bbj_train("split", tmp_path / "empty", "--check-only")
    assert result.returncode == 2 and "train.jsonl" in result.stderr and "no leakage" not in result.stdout


def test_non_utf8_line_names_file_and_line(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(OK_LINE.encode() + b"\n" + OK_LINE.replace('"a"', '"b"').encode().replace(b'"q"', b'"\xff"') + b"\n")
    result = bbj_train("split", source, "--out", tmp_path / "out")
    assert result.returncode == 2 and "in.jsonl:2: not UTF-8" in result.stderr and "Traceback" not in result.stderr
