"""Markdown -> ChatML -> Markdown keeps every code block byte-identical, and imported legacy
records become draft examples that pass the schema and structure rules of `bbj-curate lint`."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import PYPROJECT, REPO, VALID, load_legacy_fixture, write_examples

from curate.config import load_config
from curate.discover import discover
from curate.example import Example, load_example
from train.data.convert import convert_examples, load_examples
from train.data.legacy import import_legacy
from train.data.to_markdown import write_markdown

STRUCTURE_FAMILIES = ("--select", "BBJ0", "--select", "BBJ1", "--select", "BBJ2")


def lint(folder: Path) -> subprocess.CompletedProcess[str]:
    """The real `bbj-curate lint` on a folder, schema and structure rule families only."""
    exe = Path(sys.executable).with_name("bbj-curate")
    return subprocess.run([str(exe), "lint", str(folder), *STRUCTURE_FAMILIES], capture_output=True, text=True, cwd=folder.parent, timeout=300, check=False)


def roundtrip(data: Path, out: Path) -> list[tuple[object, object]]:
    """(original example, re-loaded example) pairs after convert -> to-markdown."""
    config = load_config([data])
    loaded = load_examples([data], config, None)
    records, skipped = convert_examples(loaded.examples, config.root)
    assert not skipped
    result = write_markdown(records, out, config.topics)
    assert not result.skipped
    pairs = []
    for example, written in zip(loaded.examples, result.written):
        again, diagnostics = load_example(out / written["path"])
        assert again is not None, diagnostics
        pairs.append((example, again))
    return pairs


def code_of(example: object) -> Counter[tuple[str, str | None]]:
    return Counter((b.code, b.filename) for b in example.code_blocks)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(VALID))
def test_code_survives_the_round_trip_byte_for_byte(tmp_path: Path, name: str) -> None:
    data = write_examples(tmp_path / "project", {name: VALID[name]})
    ((original, again),) = roundtrip(data, tmp_path / "project" / "again")
    assert code_of(again) == code_of(original)
    assert again.type == original.type and again.meta["title"] == original.meta["title"]
    for key in ("expected behavior", "expected output"):
        before, after = original.section(key), again.section(key)
        assert (before.body.strip() if before else None) == (after.body.strip() if after else None)
    if original.type == "migration":

        def sides(e: Example) -> list[tuple[str | None, str]]:
            return [(b.migration_side, b.code) for b in e.code_blocks]

        assert sides(again) == sides(original)


def test_round_trip_of_the_repository_examples(tmp_path: Path) -> None:
    data = REPO / "training-data"
    if not any(data.glob("*/*.md")):
        pytest.skip("the repository has no examples yet")
    out = tmp_path / "again"
    out.mkdir()
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    pairs = roundtrip(data, out)
    mismatched = [original.id for original, again in pairs if code_of(original) != code_of(again)]
    assert not mismatched
    result = lint(out)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def imported_markdown(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict], object]:
    folder = tmp_path_factory.mktemp("md")
    (folder / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    source = load_legacy_fixture().build(seed=11, rounds=2).write(folder / "legacy.jsonl")
    records = import_legacy(source).records
    result = write_markdown(records, folder / "drafts", load_config([folder]).topics)
    return folder / "drafts", records, result


def test_imported_drafts_pass_schema_and_structure_lint(imported_markdown: tuple[Path, list[dict], object]) -> None:
    drafts, records, result = imported_markdown
    assert len(result.written) + len(result.skipped) == len(records)
    outcome = lint(drafts)
    assert outcome.returncode == 0, outcome.stdout + outcome.stderr


def test_imported_drafts_are_marked_as_guessed_drafts(imported_markdown: tuple[Path, list[dict], object]) -> None:
    drafts, records, result = imported_markdown
    by_source = {r["meta"]["source"]: r for r in records}
    names = [w["path"] for w in result.written]
    assert len(set(names)) == len(names)
    titles = set()
    for written in result.written:
        path = drafts / written["path"]
        front = yaml.safe_load(path.read_text("utf-8").split("---\n")[1])
        assert front["status"] == "draft" and front["source"] == written["source"]
        assert front["review_note"].startswith("type and generation guessed by import:")
        assert path.parent.name in load_config([drafts]).topics and path.stem == path.stem.lower()
        titles.add(front["title"].casefold())
        example, _ = load_example(path)
        record = by_source[written["source"]]
        record_code = Counter(b.code for m in record["messages"] for b in __import__("train.data.chatml", fromlist=["x"]).fenced_blocks(m["content"]))
        assert Counter(b.code for b in example.code_blocks) == record_code
    assert len(titles) == len(result.written), "titles are unique"


def test_cli_writes_markdown_next_to_records(tmp_path: Path) -> None:
    source = load_legacy_fixture().build().write(tmp_path / "legacy.jsonl")
    exe = Path(sys.executable).with_name("bbj-train")
    result = subprocess.run(
        [str(exe), "import-chatml", str(source), "--out", str(tmp_path / "out"), "--to-markdown", str(tmp_path / "md")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    targets, problems = discover([tmp_path / "md"], load_config([tmp_path / "md"]))
    assert targets and not problems


AWKWARD = [
    (
        "headings in the answer",
        'Explain this code:\n\n```bbj\nprint "hi"\n```',
        "# Overview\n\nIt prints.\n\n## Code\n\nNothing else.\n\n## Explanation\n\nDone.",
    ),
    ("answer ends inside a fence", "How do I print a greeting in BBj?", 'Use print:\n\n```bbj\nprint "hello"\nprint "world"'),
    ("markers and odd title", "`#` **?**\n\n```basic\nx = 1\n```", "```bbj\nx = 2\n```"),
    (
        "migration wording",
        "Migrate this Visual PRO/5 code to BBj GUI:\n\n```bbj\nprint (sysgui)'window'(1,2,3)\n```",
        '```bbj\nwindow! = BBjAPI().getSysGui().addWindow(1,2,3,4,"x")\n```\n\n## Notes\n\nUse objects.',
    ),
]


@pytest.mark.parametrize(("label", "user", "assistant"), AWKWARD, ids=[a[0] for a in AWKWARD])
def test_awkward_records_still_make_valid_drafts(tmp_path: Path, label: str, user: str, assistant: str) -> None:
    import json

    (tmp_path / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"messages": [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]}) + "\n", "utf-8")
    records = import_legacy(source).records
    result = write_markdown(records, tmp_path / "drafts", load_config([tmp_path]).topics)
    assert len(result.written) == 1, result.skipped
    outcome = lint(tmp_path / "drafts")
    assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    example, _ = load_example(tmp_path / "drafts" / result.written[0]["path"])
    assert [s.title for s in example.sections if s.level == 2] in (
        ["Code", "Expected Behavior", "Explanation"], ["Code", "Explanation"], ["Explanation"],
    )  # fmt: skip
