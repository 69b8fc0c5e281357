"""`bbj-train import-chatml`: the exact outcome and reasons of every line of a messy legacy
file, the report's invariants, the records written, and robustness against any input."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import bbj_train, load_legacy_fixture, read_jsonl

from train.data.card import reason_key
from train.data.legacy import ImportOptions, import_legacy

FIXTURE = load_legacy_fixture().build()
CASES = [(n + 1, label, expected) for n, (label, expected) in enumerate(zip(FIXTURE.labels, FIXTURE.expected))]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, list[dict]]:
    """The fixture imported once through the real console script."""
    folder = tmp_path_factory.mktemp("legacy")
    source = FIXTURE.write(folder / "legacy.jsonl")
    result = bbj_train("import-chatml", source, "--out", folder / "out", "--report", folder / "report.json")
    assert result.returncode == 0, result.stderr
    (folder / "stdout.txt").write_text(result.stdout, "utf-8")
    report = json.loads((folder / "report.json").read_text("utf-8"))
    return folder, report, read_jsonl(folder / "out" / "records.jsonl")


def test_terminal_names_the_top_drop_and_fix_reasons(imported: tuple[Path, dict, list[dict]]) -> None:
    folder, report, _ = imported
    printed = {line.split(": ", 1)[0]: line.split(": ", 1)[1] for line in (folder / "stdout.txt").read_text("utf-8").splitlines() if line.startswith("top ")}
    for outcome in ("dropped", "fixed"):
        tally: dict[str, int] = {}
        for entry in report["lines"]:
            if entry["outcome"] == outcome:
                for key in dict.fromkeys(reason_key(r) for r in entry["reasons"]):
                    tally[key] = tally.get(key, 0) + 1
        shown = [(part.rsplit(" ", 1)[0], int(part.rsplit(" ", 1)[1])) for part in printed[f"top {outcome} reasons"].split(", ")]
        assert len(shown) == min(5, len(tally)) and all(tally[reason] == n for reason, n in shown)
        assert [n for _, n in shown] == sorted(tally.values(), reverse=True)[: len(shown)]


@pytest.mark.parametrize(("line", "label", "expected"), CASES, ids=[f"{n}-{label}" for n, label, _ in CASES])
def test_each_line_gets_its_outcome_and_reasons(imported: tuple[Path, dict, list[dict]], line: int, label: str, expected: tuple[str, list[str]]) -> None:
    _, report, _ = imported
    entry = report["lines"][line - 1]
    assert entry["line"] == line
    assert (entry["outcome"], entry["reasons"]) == expected, label


def test_report_accounts_for_every_line(imported: tuple[Path, dict, list[dict]]) -> None:
    _, report, records = imported
    assert report["input_lines"] == len(FIXTURE.lines) == len(report["lines"])
    assert report["kept"] + report["fixed"] + report["dropped"] == report["input_lines"]
    for outcome in ("kept", "fixed", "dropped"):
        assert report[outcome] == sum(1 for _, _, (o, _) in CASES if o == outcome)
    expected_counts: dict[str, int] = {}
    for _, _, (_, reasons) in CASES:
        for key in dict.fromkeys(reason_key(r) for r in reasons):
            expected_counts[key] = expected_counts.get(key, 0) + 1
    assert report["reasons"] == expected_counts
    assert {"near-duplicate", "exact-duplicate", "blank-line", "malformed-json"} <= report["reasons"].keys()
    assert len(records) == report["kept"] + report["fixed"]


def test_records_are_clean_and_traceable(imported: tuple[Path, dict, list[dict]]) -> None:
    _, report, records = imported
    survivors = [e["line"] for e in report["lines"] if e["outcome"] != "dropped"]
    assert [r["meta"]["line"] for r in records] == survivors
    for record in records:
        line = record["meta"]["line"]
        assert record["meta"]["source"] == f"legacy:{line}" and record["meta"]["id"] == f"legacy:{line}"
        roles = [m["role"] for m in record["messages"]]
        assert roles[0] == "system" and roles[1] == "user" and roles[-1] == "assistant"
        for message in record["messages"]:
            content = message["content"]
            assert "<|im_end|>" not in content and "<|im_start|>" not in content and "<|endoftext|>" not in content
            assert "\r" not in content and content == content.strip()
            assert all(line == line.rstrip() for line in content.split("\n"))
            assert all(b.language == "bbj" for b in __import__("train.data.chatml", fromlist=["x"]).fenced_blocks(content))
        assert record["meta"]["type"] in ("completion", "comprehension", "migration", "explanation")


def test_fixed_content_keeps_the_code(tmp_path: Path) -> None:
    legacy = load_legacy_fixture()
    rng = random.Random(1)
    user, assistant = legacy.exchange(rng, fence="vb")
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"messages": legacy.messages(user, assistant, roles=("human", "gpt"))}) + "\n", "utf-8")
    result = import_legacy(source)
    message = result.records[0]["messages"][2]["content"]
    assert message == assistant.replace("```vb", "```bbj", 1)
    assert result.report()["lines"] == [{"line": 1, "outcome": "fixed", "reasons": ["role-alias:human", "role-alias:gpt", "fence-language:vb"]}]


@pytest.mark.parametrize(
    ("option", "expected_reasons"),
    [({"system_prompt": "You write BBj."}, ["system-replaced"]), ({}, [])],
)
def test_system_prompt_option(tmp_path: Path, option: dict, expected_reasons: list[str]) -> None:
    legacy = load_legacy_fixture()
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"messages": legacy.messages(*legacy.exchange(random.Random(2)))}) + "\n", "utf-8")
    result = import_legacy(source, ImportOptions(**option))
    assert result.report()["lines"][0]["reasons"] == expected_reasons
    assert result.records[0]["messages"][0]["content"] == option.get("system_prompt", legacy.SYSTEM)


def test_near_dedupe_can_be_turned_off(tmp_path: Path) -> None:
    source = FIXTURE.write(tmp_path / "legacy.jsonl")
    report = import_legacy(source, ImportOptions(near_dedupe=False)).report()
    assert "near-duplicate" not in report["reasons"] and report["reasons"]["exact-duplicate"] == 2


def test_id_prefix_keeps_source(tmp_path: Path) -> None:
    source = FIXTURE.write(tmp_path / "legacy.jsonl")
    records = import_legacy(source, ImportOptions(id_prefix="legacy-2019")).records
    assert records[0]["meta"]["id"] == "legacy-2019:1" and records[0]["meta"]["source"] == "legacy:1"


@pytest.mark.parametrize("seed", range(6))
def test_random_garbage_never_crashes_and_is_accounted_for(tmp_path: Path, seed: int) -> None:
    """Lines cut, spliced and byte-flipped from the fixture: each still gets exactly one outcome."""
    rng = random.Random(seed)
    pool = [line for line in FIXTURE.lines if len(line) < 5000]
    lines = []
    for _ in range(150):
        line = bytearray(rng.choice(pool))
        action = rng.randrange(4)
        if action == 0 and line:
            del line[rng.randrange(len(line)) :]
        elif action == 1 and line:
            line[rng.randrange(len(line))] = rng.randrange(256)
        elif action == 2:
            line += rng.choice(pool)
        lines.append(bytes(line).replace(b"\n", b" "))
    source = tmp_path / "garbage.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    report = import_legacy(source).report()
    assert report["input_lines"] == 150 == len(report["lines"])
    assert report["kept"] + report["fixed"] + report["dropped"] == 150
    assert all(entry["reasons"] for entry in report["lines"] if entry["outcome"] != "kept")


def test_empty_file(tmp_path: Path) -> None:
    source = tmp_path / "empty.jsonl"
    source.write_bytes(b"")
    report = import_legacy(source).report()
    assert report == {"input_lines": 0, "kept": 0, "fixed": 0, "dropped": 0, "reasons": {}, "lines": []}


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = bbj_train("import-chatml", tmp_path / "nope.jsonl", "--out", tmp_path / "out")
    assert result.returncode == 2 and "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_card_describes_the_import(imported: tuple[Path, dict, list[dict]]) -> None:
    folder, report, _ = imported
    card = json.loads((folder / "out" / "card.json").read_text("utf-8"))
    assert card["counts"]["input_lines"] == report["input_lines"]
    assert card["inputs"][0]["sha256"] == __import__("hashlib").sha256((folder / "legacy.jsonl").read_bytes()).hexdigest()
    assert "import-chatml" in card["command"]
