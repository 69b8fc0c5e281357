"""The verdict cache, observed through the compiler's own invocation log: unchanged code is
never recompiled, changed code always is, a moved block still maps right, and a broken cache
only costs a recompile."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from compile_helpers import bbj_block, example_text, fence_lines, make_run, write_example

from curate.checks import compile_step
from curate.compile.cache import DB_NAME
from curate.config import CurateConfig
from curate.diagnostics import Diagnostic


def check(examples, config: CurateConfig) -> list[Diagnostic]:  # type: ignore[no-untyped-def]
    run = make_run(examples, config)
    run.apply(compile_step)
    return run.diagnostics


@pytest.fixture
def config(tmp_path: Path, fake_bbjcpl: Path) -> CurateConfig:
    return CurateConfig(root=tmp_path, bbjcpl=str(fake_bbjcpl), cache_dir=str(tmp_path / "cache"))


@pytest.fixture
def two_examples(tmp_path: Path, bad_lines):  # type: ignore[no-untyped-def]
    bad_lines(["print oops("])
    first = write_example(tmp_path / "data", "a.md", example_text([bbj_block("rem a\nprint oops(")], title="A"))
    second = write_example(tmp_path / "data", "b.md", example_text([bbj_block("rem b\nprint 2")], title="B"))
    return [first, second]


def test_second_run_does_not_invoke_the_compiler(config: CurateConfig, two_examples, compiler_log) -> None:  # type: ignore[no-untyped-def]
    first = check(two_examples, config)
    assert len(compiler_log()) == 2 and [d.code for d in first] == ["BBJ520"]
    second = check(two_examples, config)
    assert len(compiler_log()) == 2
    assert second == first


def test_changed_code_is_recompiled(tmp_path: Path, config: CurateConfig, two_examples, compiler_log) -> None:  # type: ignore[no-untyped-def]
    check(two_examples, config)
    changed = write_example(tmp_path / "data", "b.md", example_text([bbj_block("rem b\nprint oops(")], title="B"))
    diags = check([two_examples[0], changed], config)
    runs = compiler_log()
    assert len(runs) == 3 and Path(runs[-1]["argv"][-1]).name == "block1.bbj"
    assert sorted(Path(d.path).name for d in diags) == ["a.md", "b.md"]


def test_file_name_is_part_of_the_key(tmp_path: Path, config: CurateConfig, compiler_log) -> None:  # type: ignore[no-untyped-def]
    plain = write_example(tmp_path / "data", "n.md", example_text([bbj_block("print 1")]))
    named = write_example(tmp_path / "data", "m.md", example_text([bbj_block("print 1", "Named.bbj")]))
    check([plain], config)
    check([named], config)
    assert len(compiler_log()) == 2


def test_moved_block_maps_to_its_new_line_from_the_cache(tmp_path: Path, config: CurateConfig, compiler_log, bad_lines) -> None:  # type: ignore[no-untyped-def]
    bad_lines(["print oops("])
    code = "rem moved\nprint oops("
    before = example_text([bbj_block(code)])
    example = write_example(tmp_path / "data", "m.md", before)
    assert [d.line for d in check([example], config)] == [fence_lines(before)[0] + 2]
    after = example_text(["Some words first.\n\nAnd a second paragraph.", bbj_block(code)])
    moved = write_example(tmp_path / "data", "m.md", after)
    diags = check([moved], config)
    assert len(compiler_log()) == 1, "served from the cache"
    assert [d.line for d in diags] == [fence_lines(after)[0] + 2] and fence_lines(after) != fence_lines(before)


def test_identical_programs_are_compiled_once(tmp_path: Path, config: CurateConfig, compiler_log) -> None:  # type: ignore[no-untyped-def]
    same = [write_example(tmp_path / "data", f"s{i}.md", example_text([bbj_block("print 42")], title=f"S{i}")) for i in range(3)]
    check(same, config)
    assert len(compiler_log()) == 1


@pytest.mark.parametrize("damage", ["bad-json", "wrong-shape", "whole-file"])
def test_broken_cache_is_ignored_and_rewritten(damage: str, tmp_path: Path, config: CurateConfig, two_examples, compiler_log) -> None:  # type: ignore[no-untyped-def]
    expected = check(two_examples, config)
    db_path = tmp_path / "cache" / "compile" / DB_NAME
    if damage == "whole-file":
        for suffix in ("-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        db_path.write_bytes(b"this is not a database\x00" * 100)
    else:
        with sqlite3.connect(db_path) as db:
            payload = "{not json" if damage == "bad-json" else '[["block1.bbj", "two", 1, "BBJ520", "x"]]'
            db.execute("UPDATE verdicts SET findings = ?", (payload,))
    assert check(two_examples, config) == expected
    assert len(compiler_log()) == 4, "both verdicts recomputed"
    assert check(two_examples, config) == expected
    assert len(compiler_log()) == 4, "and rewritten"


def test_failures_of_the_tool_are_not_cached(tmp_path: Path, config: CurateConfig, compiler_log, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    example = write_example(tmp_path / "data", "t.md", example_text([bbj_block("print 1")]))
    monkeypatch.setenv("FAKE_BBJCPL_MODE", "garbage")
    assert [d.code for d in check([example], config)] == ["BBJ523"]
    monkeypatch.delenv("FAKE_BBJCPL_MODE")
    assert check([example], config) == []
    assert len(compiler_log()) == 2


def test_unwritable_cache_only_costs_speed(tmp_path: Path, fake_bbjcpl: Path, two_examples, compiler_log) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("x", "utf-8")
    config = CurateConfig(root=tmp_path, bbjcpl=str(fake_bbjcpl), cache_dir=str(blocker))
    run = make_run(two_examples, config)
    run.apply(compile_step)
    assert [d.code for d in run.diagnostics] == ["BBJ520"]
    assert any(note.startswith("compile cache disabled") for note in run.notes)
