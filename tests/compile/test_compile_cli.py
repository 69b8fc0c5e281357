"""`bbj-curate syntax` and the compile step of `bbj-curate check`, through the real CLI entry
point: every report names the checker, bad input gives one diagnostic per file, and asking for
bbjcpl where there is none is a usage error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from compile_helpers import bbj_block, example_text

from curate.cli import main

LATIN1_SOURCE = 'rem Gr\xfc\xdfe\nprint "caf\xe9"(\n'.encode("latin-1")


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of every kind of input `syntax` meets; cwd is tmp_path so paths are relative."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "src"
    (root / "nested").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "good.bbj").write_text('rem Grüße\nprint "ok"\n', "utf-8")
    (root / "legacy.src").write_bytes(LATIN1_SOURCE)
    (root / "nested" / "deep.bbl").write_text("rem one\nrem two\nprint oops(\n", "utf-8")
    (root / "blob.aon").write_bytes(b"rem\n\x00\x01\x02binary")
    with (root / "huge.bbj").open("wb") as handle:
        handle.write(b"rem filler line\n" * (20 * 1024 * 1024 // 16))
    (root / "notes.txt").write_text("print oops(\n", "utf-8")
    (root / ".hidden" / "skip.bbj").write_text("print oops(\n", "utf-8")
    return root


@pytest.fixture
def fake_on_bbj_home(fake_bbjcpl: Path, monkeypatch: pytest.MonkeyPatch, bad_lines) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BBJ_HOME", str(fake_bbjcpl.parent.parent))
    bad_lines(["print oops(", 'print "café"('])
    return fake_bbjcpl


EXPECTED = [
    ("src/blob.aon", 2, "BBJ002"),
    ("src/huge.bbj", 1, "BBJ003"),
    ("src/legacy.src", 2, "BBJ520"),
    ("src/nested/deep.bbl", 3, "BBJ520"),
]


def test_syntax_checks_every_kind_of_file(sources: Path, fake_on_bbj_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["syntax", "src", "--format", "json", "-j", "2"])
    out = capsys.readouterr()
    found = [(d["path"], d["line"], d["code"]) for d in json.loads(out.out)]
    assert found == EXPECTED
    assert code == 1
    assert "compile check: bbjcpl" in out.err and "from BBJ_HOME" in out.err
    by_code = {d["code"]: d["message"] for d in json.loads(out.out)}
    assert "NUL" in by_code["BBJ002"] and "20,971,520 bytes" in by_code["BBJ003"]


@pytest.mark.parametrize("fmt", ["text", "github", "sarif"])
def test_syntax_output_formats(fmt: str, sources: Path, fake_on_bbj_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["syntax", "src", "--format", fmt]) == 1
    out = capsys.readouterr()
    if fmt == "text":
        lines = out.out.splitlines()
        assert lines[0].startswith("compile check: bbjcpl ") and str(fake_on_bbj_home) in lines[0]
        assert "src/nested/deep.bbl:3:1: BBJ520 bbjcpl: error at BBj line 30: print oops(" in lines
        assert lines[-1] == "Found 4 errors in 5 files checked."
    elif fmt == "github":
        assert "::error file=src/legacy.src,line=2,col=1,title=BBJ520::" in out.out
        assert "compile check: bbjcpl" in out.err
    else:
        results = json.loads(out.out)["runs"][0]["results"]
        assert sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results) == sorted(
            (c, line) for _, line, c in EXPECTED
        )


@pytest.mark.parametrize(("extra", "exit_code", "codes"), [(["--fail-on", "never"], 0, 4), (["--ignore", "BBJ520"], 1, 2), (["--select", "BBJ52"], 1, 2)])
def test_syntax_honours_fail_on_and_selection(
    extra: list[str], exit_code: int, codes: int, sources: Path, fake_on_bbj_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["syntax", "src", "--format", "json", *extra]) == exit_code
    assert len(json.loads(capsys.readouterr().out)) == codes


def test_syntax_checks_explicit_files_and_refuses_missing_paths(sources: Path, fake_on_bbj_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["syntax", "src/notes.txt", "--format", "json"]) == 1
    found = [(d["path"], d["line"], d["code"]) for d in json.loads(capsys.readouterr().out)]
    assert found == [("src/notes.txt", 1, "BBJ520")]
    assert main(["syntax", "src/notes.txt", "nowhere.bbj"]) == 2
    assert "no such file or directory: nowhere.bbj" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["syntax", "check"])
def test_asking_for_bbjcpl_without_one_is_a_usage_error(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / ("a.bbj" if command == "syntax" else "a.md")
    target.write_text(example_text([bbj_block("print 1")]) if command == "check" else "print 1\n", "utf-8")
    assert main([command, target.name, "--checker", "bbjcpl", *(["--no-dedupe"] if command == "check" else [])]) == 2
    err = capsys.readouterr().err
    assert "bbjcpl not found" in err and "BBJ_HOME" in err and "--checker builtin" in err


def test_syntax_without_paths_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["syntax"]) == 2
    assert "at least one" in capsys.readouterr().err


def test_check_header_names_the_checker(tmp_path: Path, fake_on_bbj_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    text = example_text([bbj_block("rem x\nprint oops(")], title="Header test")
    (tmp_path / "ex.md").write_text(text, "utf-8")
    main(["check", "ex.md", "--no-dedupe"])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"compile check: {_describe(fake_on_bbj_home)}"
    fence = text.split("\n").index("```bbj") + 1
    assert f"ex.md:{fence + 2}:1: BBJ520 bbjcpl: error at BBj line 20: print oops(" in out


def _describe(fake: Path) -> str:
    from curate.compile.bbjcpl import BbjcplChecker, Discovery

    return BbjcplChecker(Discovery(fake, "BBJ_HOME"), 10).describe()
