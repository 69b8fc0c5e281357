"""The bbjcpl adapter against a real executable fake compiler: discovery, the real fixtures'
verdicts mapped to Markdown lines, the private folder's layout and confinement, and every way
the compiler can fail (hung, not executable, garbage output, failing exit)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from compile_helpers import bbj_block, example_text, fence_lines, fixture_files, install_fake, make_run, write_example

from curate.checks import compile_step
from curate.compile.bbjcpl import find_bbjcpl
from curate.config import CurateConfig

FIXTURE_BAD_LINES = {
    "no-errors": [],
    "single-error": ["method public void brokenMethod())", "methodend"],
    "multiple-errors": ["method public void firstBroken())", "methodend", "method public void secondBroken("],
}


def config_for(tmp_path: Path, bbjcpl: Path | str | None, timeout: float = 20.0) -> CurateConfig:
    return CurateConfig(root=tmp_path, bbjcpl=str(bbjcpl) if bbjcpl else None, cache_dir=str(tmp_path / "cache"), compile_timeout=timeout)


@pytest.mark.parametrize(
    ("in_config", "in_home", "on_path", "expected"),
    [
        (True, True, True, "config bbjcpl"),
        (False, True, True, "BBJ_HOME"),
        (False, False, True, "PATH"),
        (False, "empty", True, "PATH"),
        (False, False, False, None),
    ],
)
def test_discovery_order(tmp_path: Path, in_config: bool, in_home: bool | str, on_path: bool, expected: str | None) -> None:
    configured = install_fake(tmp_path / "configured")
    home = tmp_path / "home"
    if in_home is True:
        install_fake(home / "bin")
    elif in_home == "empty":
        (home / "bin").mkdir(parents=True)
    on_path_dir = tmp_path / "pathdir"
    if on_path:
        install_fake(on_path_dir)
    environ = {"PATH": str(on_path_dir)}
    if in_home:
        environ["BBJ_HOME"] = str(home)
    config = config_for(tmp_path, configured if in_config else None)
    found = find_bbjcpl(config, environ)
    if expected is None:
        assert found is None
        return
    assert found is not None and found.origin == expected
    want = {"config bbjcpl": configured, "BBJ_HOME": home / "bin" / "bbjcpl", "PATH": on_path_dir / "bbjcpl"}[expected]
    assert found.path == want


def test_relative_config_path_is_taken_from_the_config_folder(tmp_path: Path) -> None:
    install_fake(tmp_path / "tools")
    found = find_bbjcpl(config_for(tmp_path, "tools/bbjcpl"), {"PATH": ""})
    assert found is not None and found.path == tmp_path / "tools" / "bbjcpl"


@pytest.mark.parametrize("fixture", sorted(FIXTURE_BAD_LINES))
def test_fixture_verdicts_map_to_markdown_lines(fixture: str, tmp_path: Path, fake_bbjcpl: Path, bad_lines) -> None:  # type: ignore[no-untyped-def]
    folder = fixture_files()
    code = (folder / f"{fixture}.bbj").read_text("utf-8")
    real = (folder / f"{fixture}-stderr.txt").read_text("utf-8").splitlines()
    bad_lines(FIXTURE_BAD_LINES[fixture])
    text = example_text([bbj_block(code)], explanation="Prose.\n\nMore prose.")
    example = write_example(tmp_path / "data", f"{fixture}.md", text)
    run = make_run([example], config_for(tmp_path, fake_bbjcpl))
    run.apply(compile_step)
    fence = fence_lines(text)[0]
    expected = []
    for line in real:
        legacy, physical = line.split(": error at line ")[1].split("):")[0].split(" (")
        expected.append((fence + int(physical), "BBJ520", legacy))
    got = [(d.line, d.code) for d in run.diagnostics]
    assert got == [(line, code) for line, code, _ in expected]
    for diag, (_, _, legacy) in zip(run.diagnostics, expected):
        assert f"BBj line {legacy}" in diag.message and diag.path == example.display_path
    assert any(note.startswith("compile check: bbjcpl ") and str(fake_bbjcpl) in note for note in run.notes)


def test_multi_file_example_shares_one_private_folder(tmp_path: Path, fake_bbjcpl: Path, compiler_log, bad_lines) -> None:  # type: ignore[no-untyped-def]
    bad_lines(["x = Util.broken(("])
    blocks = [
        bbj_block("use ::Util.bbj::Util\nx = Util.broken((", "Main.bbj"),
        bbj_block("class public Util\nclassend", "Util.bbj"),
        bbj_block('print "third"'),
    ]
    text = example_text(blocks)
    example = write_example(tmp_path / "data", "multi.md", text)
    run = make_run([example], config_for(tmp_path, fake_bbjcpl))
    run.apply(compile_step)
    runs = compiler_log()
    assert [Path(r["argv"][-1]).name for r in runs] == ["Main.bbj", "Util.bbj", "block3.bbj"]
    for entry in runs:
        assert entry["argv"][0] == "-N" and Path(entry["argv"][-1]).is_absolute()
        assert entry["files"] == ["Main.bbj", "Util.bbj", "block3.bbj"]
        assert Path(entry["argv"][-1]).parent == Path(entry["cwd"])
        assert not Path(entry["cwd"]).exists(), "the private folder is removed afterwards"
    assert len({r["cwd"] for r in runs}) == 1
    assert [(d.line, d.code) for d in run.diagnostics] == [(fence_lines(text)[0] + 2, "BBJ520")]
    assert run.diagnostics[0].message.startswith("Main.bbj: ")


@pytest.mark.parametrize("name", ["../evil.bbj", "/tmp/evil.bbj", "sub/./evil.bbj", "sub//evil.bbj", "..", "a\\evil.bbj", "C:evil.bbj", ""])
def test_unsafe_file_names_are_confined(name: str, tmp_path: Path, fake_bbjcpl: Path, compiler_log) -> None:  # type: ignore[no-untyped-def]
    text = example_text([f"<!-- filename: {name} -->\n```bbj\nprint 1\n```"])
    example = write_example(tmp_path / "data", "unsafe.md", text)
    run = make_run([example], config_for(tmp_path, fake_bbjcpl))
    run.apply(compile_step)
    comment_line = text.split("\n").index(f"<!-- filename: {name} -->") + 1
    assert [(d.line, d.code) for d in run.diagnostics] == [(comment_line, "BBJ524")]
    (entry,) = compiler_log()
    assert entry["files"] == ["block1.bbj"]
    assert not (tmp_path / "evil.bbj").exists() and not Path("/tmp/evil.bbj").exists()


def test_subfolder_names_are_placed_inside_the_private_folder(tmp_path: Path, fake_bbjcpl: Path, compiler_log) -> None:  # type: ignore[no-untyped-def]
    blocks = ['<!-- filename: Main.bbj -->\n```bbj\ncall "lib/Util.bbj"\n```', "<!-- filename: lib/Util.bbj -->\n```bbj\nprint 1\n```"]
    example = write_example(tmp_path / "data", "subfolder.md", example_text(blocks))
    run = make_run([example], config_for(tmp_path, fake_bbjcpl))
    run.apply(compile_step)
    assert run.diagnostics == []
    main, util = compiler_log()
    assert Path(util["argv"][-1]).parent == Path(main["argv"][-1]).parent / "lib"
    assert util["files"] == ["Util.bbj"] and main["files"] == ["Main.bbj", "lib"]


def test_migration_sides_are_separate_programs(tmp_path: Path, fake_bbjcpl: Path, compiler_log, bad_lines) -> None:  # type: ignore[no-untyped-def]
    bad_lines(["print (sysgui)'WINDOW'(("])
    body = (
        "### Before (vpro5)\n\n<!-- filename: Legacy.bbj -->\n```bbj\nprint (sysgui)'WINDOW'((\n```\n\n"
        "### After (bbj-gui)\n\n<!-- filename: Modern.bbj -->\n```bbj\nsysgui! = BBjAPI().getSysGui()\n```"
    )
    text = example_text([body], type_="migration").replace("generation: bbj-gui\n", "generation: bbj-gui\nfrom_generation: vpro5\nto_generation: bbj-gui\n")
    example = write_example(tmp_path / "data", "migration.md", text)
    run = make_run([example], config_for(tmp_path, fake_bbjcpl))
    run.apply(compile_step)
    runs = compiler_log()
    assert [r["files"] for r in runs] == [["Legacy.bbj"], ["Modern.bbj"]]
    assert runs[0]["cwd"] != runs[1]["cwd"]
    assert [(d.line, d.code) for d in run.diagnostics] == [(fence_lines(text)[0] + 1, "BBJ520")]


@pytest.mark.parametrize("mode", ["sleep", "spawn"])
def test_hung_compiler_times_out(mode: str, tmp_path: Path, fake_bbjcpl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_BBJCPL_MODE", mode)
    text = example_text([bbj_block("print 1\nprint 2")])
    example = write_example(tmp_path / "data", "hung.md", text)
    run = make_run([example], config_for(tmp_path, fake_bbjcpl, timeout=0.5))
    started = time.monotonic()
    run.apply(compile_step)
    assert time.monotonic() - started < 15, "the compiler and what it started are killed, not waited for"
    assert [(d.line, d.code) for d in run.diagnostics] == [(fence_lines(text)[0] + 1, "BBJ521")]
    assert "0.5 s" in run.diagnostics[0].message


@pytest.mark.parametrize("problem", ["not-executable", "missing", "folder"])
def test_compiler_that_cannot_run_is_reported_and_the_run_goes_on(problem: str, tmp_path: Path) -> None:
    compiler = tmp_path / "bin" / "bbjcpl"
    if problem == "not-executable":
        compiler.parent.mkdir()
        compiler.write_text("#!/bin/sh\nexit 0\n", "utf-8")
        compiler.chmod(0o644)
    elif problem == "folder":
        compiler.mkdir(parents=True)
    examples = [write_example(tmp_path / "data", f"e{i}.md", example_text([bbj_block(f"print {i}")], title=f"E{i}")) for i in range(3)]
    run = make_run(examples, config_for(tmp_path, compiler), jobs=2)
    run.apply(compile_step)
    assert sorted((d.path, d.code) for d in run.diagnostics) == sorted((e.display_path, "BBJ522") for e in examples)
    assert all(str(compiler) in d.message for d in run.diagnostics)


@pytest.mark.parametrize(("mode", "code", "words"), [("garbage", "BBJ523", "NoClassDefFoundError"), ("crash", "BBJ522", "exited with status 3")])
def test_unexpected_compiler_output(mode: str, code: str, words: str, tmp_path: Path, fake_bbjcpl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_BBJCPL_MODE", mode)
    text = example_text([bbj_block("print 1\nprint 2\nprint 3")])
    example = write_example(tmp_path / "data", "odd.md", text)
    run = make_run([example], config_for(tmp_path, fake_bbjcpl))
    run.apply(compile_step)
    assert [(d.line, d.code) for d in run.diagnostics] == [(fence_lines(text)[0] + 1, code)]
    assert words in run.diagnostics[0].message


def test_parallel_runs_give_the_same_report(tmp_path: Path, fake_bbjcpl: Path, bad_lines) -> None:  # type: ignore[no-untyped-def]
    bad_lines(["print bad("])
    examples = [
        write_example(tmp_path / "data", f"p{i}.md", example_text([bbj_block("rem x\n" * i + ("print bad(" if i % 2 else "print 1"))], title=f"P{i}"))
        for i in range(8)
    ]
    reports = []
    for jobs, cache in ((1, "c1"), (4, "c4")):
        config = CurateConfig(root=tmp_path, bbjcpl=str(fake_bbjcpl), cache_dir=str(tmp_path / cache))
        run = make_run(examples, config, jobs=jobs)
        run.apply(compile_step)
        reports.append(sorted(d.sort_key() for d in run.diagnostics))
    assert reports[0] == reports[1] and len(reports[0]) == 4


@pytest.mark.parametrize(
    "names",
    [
        ["a", "a/b.bbj"],  # a file where the other needs a folder
        ["a/b.bbj", "a"],  # a folder where the other needs a file
        ["x/" * 60 + "deep.bbj", "y" * 300 + ".bbj"],  # longer than the file system allows
    ],
)
def test_colliding_file_names_are_findings_on_their_example(names: list[str], tmp_path: Path, fake_bbjcpl: Path) -> None:
    """These used to raise FileExistsError / IsADirectoryError / ENAMETOOLONG out of the
    compile step, and `check` reported nothing for any file."""
    text = example_text([bbj_block(f"print {n}", name) for n, name in enumerate(names)])
    example = write_example(tmp_path / "data", "collide.md", text)
    other = write_example(tmp_path / "data", "other.md", example_text([bbj_block("print 1")], title="Other"))
    run = make_run([example, other], config_for(tmp_path, fake_bbjcpl))
    run.apply(compile_step)
    findings = [(Path(d.path).name, d.code) for d in run.diagnostics]
    assert findings and set(findings) <= {("collide.md", "BBJ524")}, [d.render() for d in run.diagnostics]
