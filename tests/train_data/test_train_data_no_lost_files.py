"""No command destroys a file a person made or one of its own inputs (issue 19, defect 3), and
wrong input is a usage error, never a wrong result with exit 0 (defects 5 and 10). Each case
is the audit's reproduction through the real console scripts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, VALID, bbj_train, read_jsonl, write_examples

LEGACY_LINE = {
    "messages": [{"role": "user", "content": "Greet the user in a window"}, {"role": "assistant", "content": '```bbj\nprint "hello"\n```\nPrints hello.'}]
}


def bbj_curate(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "curate.cli", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def legacy_file(path: Path, records: list[dict] | None = None) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records or [LEGACY_LINE]), "utf-8")
    return path


def refused(result: subprocess.CompletedProcess[str], words: str) -> bool:
    return result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_examples(tmp_path, VALID)
    return tmp_path


def test_markdown_export_never_replaces_an_example(project: Path) -> None:
    """An approved example whose name the legacy title takes stays byte for byte; the draft gets
    the next free name, and a re-run keeps a reviewer's approval of the draft."""
    legacy = legacy_file(project / "legacy.jsonl")
    first = bbj_train("import-chatml", legacy, "--out", project / "build" / "a", "--to-markdown", project / "drafts", cwd=project)
    assert first.returncode == 0, first.stderr
    (name,) = [p.relative_to(project / "drafts") for p in (project / "drafts").rglob("*.md")]
    taken = project / "training-data" / name
    taken.parent.mkdir(parents=True, exist_ok=True)
    approved = VALID["gui/greet-user.md"].replace("Greet the user in a window", "Someone else's example")
    taken.write_text(approved, "utf-8")
    args = ("import-chatml", legacy, "--out", project / "build" / "b", "--to-markdown", project / "training-data")
    assert bbj_train(*args, cwd=project).returncode == 0
    assert taken.read_text("utf-8") == approved
    draft = taken.with_name(f"{taken.stem}-2.md")
    assert "status: draft" in draft.read_text("utf-8")
    draft.write_text(draft.read_text("utf-8").replace("status: draft", "status: approved"), "utf-8")
    rerun = bbj_train(*args, "--force", cwd=project)
    assert rerun.returncode == 0, rerun.stderr
    assert "status: approved" in draft.read_text("utf-8") and not taken.with_name(f"{taken.stem}-3.md").exists()
    card = json.loads((project / "build" / "b" / "card.json").read_text("utf-8"))
    assert card["markdown"]["written"] == 0 and card["markdown"]["skipped"][0]["reason"].startswith("exists:")


def test_import_report_cannot_overwrite_the_input_or_the_records(project: Path) -> None:
    legacy = legacy_file(project / "legacy.jsonl")
    before = legacy.read_bytes()
    result = bbj_train("import-chatml", legacy, "--out", project / "out", "--report", legacy, "--force", cwd=project)
    assert refused(result, "inputs") and legacy.read_bytes() == before
    result = bbj_train("import-chatml", legacy, "--out", project / "out", "--report", project / "out" / "records.jsonl", cwd=project)
    assert refused(result, "would overwrite the records") and not (project / "out" / "records.jsonl").exists()


def test_convert_into_the_data_folder_keeps_its_examples(project: Path) -> None:
    card = project / "training-data" / "gui" / "card.md"
    card.write_text(VALID["gui/greet-user.md"].replace("Greet the user in a window", "Draw a card"), "utf-8")
    before = card.read_bytes()
    result = bbj_train("convert", project / "training-data", "--out", project / "training-data" / "gui", "--force", cwd=project)
    assert refused(result, "inputs") and card.read_bytes() == before


def test_rerun_replaces_own_outputs_but_not_edited_ones(project: Path) -> None:
    out = project / "build" / "examples"
    assert bbj_train("convert", project / "training-data", "--out", out, cwd=project).returncode == 0
    assert bbj_train("convert", project / "training-data", "--out", out, cwd=project).returncode == 0
    (out / "examples.jsonl").write_text("edited by hand\n", "utf-8")
    assert refused(bbj_train("convert", project / "training-data", "--out", out, cwd=project), "--force")
    assert (out / "examples.jsonl").read_text("utf-8") == "edited by hand\n"
    assert bbj_train("convert", project / "training-data", "--out", out, "--force", cwd=project).returncode == 0


def test_split_and_corpus_never_write_over_a_split(project: Path) -> None:
    assert bbj_train("convert", project / "training-data", "--out", project / "build" / "examples", cwd=project).returncode == 0
    split = project / "build" / "split"
    assert bbj_train("split", project / "build" / "examples", "--out", split, "--ratios", "1/1/1", cwd=project).returncode == 0
    files = {name: (split / name).read_bytes() for name in ("train.jsonl", "validation.jsonl", "test.jsonl")}
    assert refused(bbj_train("split", split / "train.jsonl", "--out", split, "--force", cwd=project), "inputs")
    result = bbj_train("corpus", "--from-examples", project / "training-data", "--out", split / "test.jsonl", cwd=project)
    assert refused(result, "not written by `bbj-train corpus`")
    assert {name: (split / name).read_bytes() for name in files} == files


def test_check_report_cannot_replace_an_example(project: Path) -> None:
    example = project / "training-data" / "gui" / "greet-user.md"
    before = example.read_bytes()
    result = bbj_curate("check", "training-data", "-o", example.relative_to(project), "--force", cwd=project)
    assert refused(result, "inputs") and example.read_bytes() == before
    for _ in range(2):  # the second run replaces its own report
        result = bbj_curate("lint", "training-data", "-o", "report.txt", cwd=project)
        assert result.returncode in (0, 1) and (project / "report.txt").read_text("utf-8"), result.stderr


def test_corpus_on_a_missing_folder_is_a_usage_error(project: Path) -> None:
    result = bbj_train("corpus", project / "no-such-folder", "--out", project / "corpus.jsonl", cwd=project)
    assert refused(result, "no such file or directory") and not (project / "corpus.jsonl").exists()


def test_unwritable_output_is_a_clear_message(project: Path) -> None:
    result = bbj_train("convert", project / "training-data", "--out", "/proc/self/nope", cwd=project)
    assert refused(result, "/proc/self/nope") and "internal error" not in result.stderr


def test_non_utf8_test_split_for_decontaminate(project: Path) -> None:
    split = project / "split"
    split.mkdir()
    (split / "test.jsonl").write_bytes(b'{"messages": [{"role": "user", "content": "\xff"}]}\n')
    (project / "src").mkdir()
    (project / "src" / "a.bbj").write_text('print "a"\n', "utf-8")
    result = bbj_train("corpus", project / "src", "--decontaminate", split, "--out", project / "corpus.jsonl", cwd=project)
    assert refused(result, "test.jsonl:1: not UTF-8") and "internal error" not in result.stderr


def test_corpus_prints_a_non_utf8_file_name_escaped(project: Path) -> None:
    source = project / "src"
    source.mkdir()
    (source / os.fsdecode(b"caf\xe9.bbj")).write_text('print "caf"\n', "utf-8")
    result = bbj_train("corpus", source, "--out", project / "corpus.jsonl", cwd=project)
    assert result.returncode == 0, result.stderr
    (record,) = read_jsonl(project / "corpus.jsonl")
    assert record["meta"]["id"].endswith("caf\\xe9.bbj")


def test_lone_surrogates_drop_the_record_with_a_reason(project: Path) -> None:
    """A role or id holding a lone surrogate used to end the import with an internal error
    after part of the output was written."""
    lines = [
        '{"messages": [{"role": "us\\ud800er", "content": "Say hi"}, {"role": "assistant", "content": "```bbj\\nprint 1\\n```"}]}',
        '{"id": "x\\udfff", "messages": [{"role": "user", "content": "Say ho"}, {"role": "assistant", "content": "```bbj\\nprint 2\\n```"}]}',
        json.dumps(LEGACY_LINE),
    ]
    legacy = project / "legacy.jsonl"
    legacy.write_text("\n".join(lines) + "\n", "utf-8")
    result = bbj_train("import-chatml", legacy, "--out", project / "out", "--to-markdown", project / "drafts", cwd=project)
    assert result.returncode == 0, result.stderr
    report = json.loads((project / "out" / "report.json").read_text("utf-8"))
    assert [(line["line"], line["outcome"], line["reasons"]) for line in report["lines"][:2]] == [
        (1, "dropped", ["invalid-unicode"]),
        (2, "dropped", ["invalid-unicode"]),
    ]
    assert report["kept"] + report["fixed"] == 1 and len(read_jsonl(project / "out" / "records.jsonl")) == 1
