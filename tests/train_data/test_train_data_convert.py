"""`bbj-train convert`: one record per valid example, the right template per type, stable
phrasing, status filtering, invalid examples skipped with file:line, and a data card."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import INVALID, MIGRATION, REPO, VALID, bbj_train, distinct_example, read_jsonl, write_examples

from curate.config import load_config
from train.cli import main
from train.data.chatml import fenced_blocks
from train.data.convert import convert_examples, load_examples
from train.data.templates import USER_PHRASINGS, choose_phrasing, stable_hash


def convert(data: Path, out: Path, *args: str) -> list[dict]:
    assert main(["convert", str(data), "--out", str(out), *args]) == 0
    return read_jsonl(out / "examples.jsonl")


def test_every_valid_example_becomes_one_record(example_set: Path, tmp_path: Path) -> None:
    records = convert(example_set, tmp_path / "out", "--all")
    assert sorted(r["meta"]["id"] for r in records) == sorted(f"{Path(n).parent}/{Path(n).stem}" for n in VALID)
    for record in records:
        assert [m["role"] for m in record["messages"]] == ["system", "user", "assistant"]
        assert all(isinstance(m["content"], str) and m["content"].strip() for m in record["messages"])
        assert set(record["meta"]) >= {"id", "path", "type", "generation", "difficulty", "topic", "source"}
        assert record["meta"]["path"].startswith("training-data/"), "paths are relative to the project, not the cwd"


@pytest.mark.parametrize(
    ("example_id", "status"),
    [("gui/greet-user", "approved"), ("strings/trim-with-cvs", "approved"), ("gui/character-prompt-to-window", "approved"), ("gui/why-callbacks", "in-review")],
)
def test_status_filter(example_set: Path, tmp_path: Path, example_id: str, status: str) -> None:
    default = {r["meta"]["id"] for r in convert(example_set, tmp_path / "default")}
    chosen = {r["meta"]["id"] for r in convert(example_set, tmp_path / "chosen", "--status", "in-review")}
    assert (example_id in default) == (status == "approved")
    assert (example_id in chosen) == (status == "in-review")


@pytest.mark.parametrize(("name", "code", "line"), [(name, code, line) for name, (_, code, line) in INVALID.items()])
def test_invalid_examples_are_reported_with_file_and_line(example_set: Path, tmp_path: Path, name: str, code: str, line: int) -> None:
    result = bbj_train("convert", example_set, "--out", tmp_path / "out", "--all")
    assert result.returncode == 0, result.stderr
    expected = f"{Path(name).name}:{line}:"
    assert any(expected in row and code in row for row in result.stderr.splitlines()), result.stderr
    card = json.loads((tmp_path / "out" / "card.json").read_text("utf-8"))
    assert any(s["code"] == code and s["line"] == line and s["path"].endswith(name) for s in card["skipped"])
    strict = bbj_train("convert", example_set, "--out", tmp_path / "strict", "--all", "--strict")
    assert strict.returncode == 1


def _by_id(records: list[dict]) -> dict[str, dict]:
    return {r["meta"]["id"]: r for r in records}


def test_templates_per_type(example_set: Path, tmp_path: Path) -> None:
    records = _by_id(convert(example_set, tmp_path / "out", "--all"))
    completion = records["gui/greet-user"]["messages"]
    assert "Target UI generation: BBj GUI (BBjSysGui)" in completion[0]["content"]
    assert "Greet the user in a window" in completion[1]["content"] and "```" not in completion[1]["content"]
    assert "Expected behavior: A window with a Greet button opens" in completion[1]["content"]
    blocks = fenced_blocks(completion[2]["content"])
    assert [(b.filename, b.language) for b in blocks] == [("greet.bbj", "bbj"), ("helper.bbj", "bbj")]
    assert blocks[1].code == 'rem helper with a ``` inside a string\nx$ = "```"\nprint x$'
    assert completion[2]["content"].endswith("ties the push event to the `greet` label.")

    comprehension = records["strings/trim-with-cvs"]["messages"]
    assert [b.code for b in fenced_blocks(comprehension[1]["content"])] == ['rem Trim a name\nname$ = "  Ada  "\nprint cvs(name$,3)']
    assert comprehension[2]["content"].startswith("`cvs(name$,3)` removes")
    assert "Expected output:" in comprehension[2]["content"]

    migration = records["gui/character-prompt-to-window"]["messages"]
    assert "Target UI generation: BBj GUI" in migration[0]["content"] and "character mode" in migration[0]["content"]
    assert "input name$" in migration[1]["content"] and "addEditBox" not in migration[1]["content"]
    assert "addEditBox" in migration[2]["content"] and "input name$" not in migration[2]["content"]

    explanation = records["gui/why-callbacks"]["messages"]
    assert "Why BBj uses callbacks" in explanation[1]["content"]
    assert "setCallback" in explanation[2]["content"] and explanation[2]["content"].count("```") == 2


@pytest.mark.parametrize("kind", sorted(USER_PHRASINGS))
def test_at_least_three_phrasings_chosen_stably(kind: str) -> None:
    assert len(USER_PHRASINGS[kind]) >= 3
    ids = [f"topic/example-{n}" for n in range(200)]
    chosen = [choose_phrasing(kind, i) for i in ids]
    assert set(chosen) == set(USER_PHRASINGS[kind]), "every phrasing gets used"
    assert chosen == [choose_phrasing(kind, i) for i in ids], "same id, same phrasing"


def test_stable_hash_is_fixed_across_runs() -> None:
    # sha256-based: a fixed value, never Python's salted hash()
    assert stable_hash("gui/greet-user") == int.from_bytes(__import__("hashlib").sha256(b"gui/greet-user").digest()[:8], "big")


def test_output_is_deterministic_and_has_a_card(example_set: Path, tmp_path: Path) -> None:
    convert(example_set, tmp_path / "a", "--all")
    convert(example_set, tmp_path / "b", "--all")
    assert (tmp_path / "a" / "examples.jsonl").read_bytes() == (tmp_path / "b" / "examples.jsonl").read_bytes()
    card = json.loads((tmp_path / "a" / "card.json").read_text("utf-8"))
    assert card["counts"]["records"] == len(VALID)
    assert card["counts"]["by_type"] == {"completion": 1, "comprehension": 1, "explanation": 1, "migration": 1}
    assert card["command"].startswith("bbj-train convert") and "--all" in card["command"]
    assert card["outputs"][0]["sha256"] == __import__("hashlib").sha256((tmp_path / "a" / "examples.jsonl").read_bytes()).hexdigest()
    assert card["version"] and (tmp_path / "a" / "card.md").read_text("utf-8").startswith("# Data card")


def test_unknown_status_is_a_usage_error(example_set: Path, tmp_path: Path) -> None:
    result = bbj_train("convert", example_set, "--out", tmp_path / "out", "--status", "shipped")
    assert result.returncode == 2 and "unknown status shipped" in result.stderr


def test_repository_examples_all_convert(tmp_path: Path) -> None:
    data = REPO / "training-data"
    if not any(data.glob("*/*.md")):
        pytest.skip("the repository has no examples yet")
    config = load_config([data])
    loaded = load_examples([data], config, None)
    records, skipped = convert_examples(loaded.examples, config.root)
    assert not loaded.skipped, [d.render() for d in loaded.skipped]
    assert not skipped, [d.render() for d in skipped]
    assert len(records) == len(loaded.examples)
    assert Counter(r["meta"]["type"] for r in records).keys() <= {"completion", "comprehension", "migration", "explanation"}


def test_many_examples_scale(tmp_path: Path) -> None:
    files = {f"strings/example-{n}.md": distinct_example(n) for n in range(300)}
    data = write_examples(tmp_path / "big", files)
    records = convert(data, tmp_path / "out")
    assert len(records) == 300
    assert len({r["messages"][1]["content"] for r in records}) == 300


def test_migration_to_several_generations(tmp_path: Path) -> None:
    """`to_generation` may list several targets (as the upstream format allows)."""
    text = MIGRATION.replace("generation: [character, bbj-gui]", "generation: [character, bbj-gui, dwc]")
    text = text.replace("to_generation: bbj-gui", "to_generation: [bbj-gui, dwc]").replace("### After (bbj-gui)", "### After (bbj-gui, dwc)")
    data = write_examples(tmp_path / "project", {"gui/character-prompt-to-window.md": text})
    (record,) = convert(data, tmp_path / "out")
    system, user = record["messages"][0]["content"], record["messages"][1]["content"]
    assert "Target UI generations: BBj GUI" in system and "DWC" in system
    assert "BBj GUI" in user and "DWC" in user
    assert record["meta"]["to_generation"] == ["bbj-gui", "dwc"]
