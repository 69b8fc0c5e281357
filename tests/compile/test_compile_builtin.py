"""The built-in checker behind the same interface: its codes pass through onto Markdown lines,
the process pool agrees with the serial path, the cache keys on its version, and `syntax` on
the real corpus reports exactly what `check_source` finds in each file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from compile_helpers import bbj_block, example_text, fence_lines, make_run, write_example
from shared_corpus import require

import curate.bbjsyntax
from curate.bbjsyntax import CHECKER_NAME, CHECKER_VERSION, check_source
from curate.checks import compile_step
from curate.cli import main
from curate.compile import BuiltinChecker, Program, SourceFile, check_programs, runner
from curate.compile.cache import VerdictCache
from curate.config import CurateConfig

BAD_CODE = [
    ('rem ok\nprint "never closed', 2, "BBJ503"),
    ("for i = 1 to 3\n    print i", 1, "BBJ504"),
    ("rem ok\nrem ok\nconsole.log(x)", 3, "BBJ510"),
    ("print 1", None, None),
]


def builtin_config(tmp_path: Path) -> CurateConfig:
    return CurateConfig(root=tmp_path, checker="builtin", cache_dir=str(tmp_path / "cache"))


@pytest.mark.parametrize(("code", "physical", "expected"), BAD_CODE)
def test_builtin_codes_land_on_markdown_lines(code: str, physical: int | None, expected: str | None, tmp_path: Path) -> None:
    text = example_text(["Intro paragraph.", bbj_block(code)])
    run = make_run([write_example(tmp_path, "x.md", text)], builtin_config(tmp_path))
    run.apply(compile_step)
    assert run.notes[0] == f"compile check: {CHECKER_NAME} {CHECKER_VERSION} (config checker = builtin)"
    if expected is None:
        assert run.diagnostics == []
        return
    first = next(d for d in run.diagnostics if d.code == expected)
    assert first.line == fence_lines(text)[0] + physical
    issue = next(i for i in check_source(code) if i.code == expected)
    assert first.col == issue.col and first.message == issue.message


def test_lint_ignore_silences_a_compile_code(tmp_path: Path) -> None:
    text = example_text([bbj_block('print "open')]).replace("status: in-review\n", "status: draft\nlint_ignore: [BBJ503]\n")
    run = make_run([write_example(tmp_path, "x.md", text)], builtin_config(tmp_path))
    run.apply(compile_step)
    assert [d.code for d in run.diagnostics] == []


def test_unclosed_if_is_a_warning_and_a_missing_next_an_error(tmp_path: Path) -> None:
    """BBJ506 (an IF block without FI, which BASIS's compiler accepts) reaches the report as a
    warning, so hooks and gates that block on errors let it through; BBJ504 stays an error."""
    code = "while more\n    if qty > 0\n        total = total + qty\nwend\nfor i = 1 to 3\n    print i\n"
    run = make_run([write_example(tmp_path, "x.md", example_text([bbj_block(code)]))], builtin_config(tmp_path))
    run.apply(compile_step)
    assert sorted((d.code, d.severity.value) for d in run.diagnostics) == [("BBJ504", "error"), ("BBJ506", "warning")]


def programs(count: int) -> list[Program]:
    made = []
    for n in range(count):
        code = f"rem {n}\n" + ('print "open' if n % 3 == 0 else f"x = {n}")
        made.append(Program(f"p{n}.bbj", (SourceFile(f"p{n}.bbj", code, range(1, 3)),)))
    return made


def test_process_pool_agrees_with_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    checker = BuiltinChecker()
    serial = check_programs(programs(60), checker, None, jobs=1)
    monkeypatch.setattr(runner, "PROCESS_THRESHOLD", 1)
    pooled = check_programs(programs(60), checker, None, jobs=2)
    assert pooled == serial and len(serial) == 20


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def spy(text: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        return check_source(text)

    monkeypatch.setattr(curate.bbjsyntax, "check_source", spy)
    return calls


def test_cache_keys_on_the_checker_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch)
    cache = VerdictCache(tmp_path / "cache")
    first = check_programs(programs(5), BuiltinChecker(), cache, jobs=1)
    assert len(calls) == 5
    assert check_programs(programs(5), BuiltinChecker(), cache, jobs=1) == first and len(calls) == 5
    monkeypatch.setattr(curate.bbjsyntax, "CHECKER_VERSION", "999.0")
    assert check_programs(programs(5), BuiltinChecker(), cache, jobs=1) == first and len(calls) == 10
    cache.close()


def test_crashing_checker_is_reported_and_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str):  # type: ignore[no-untyped-def]
        raise RecursionError("too deep")

    monkeypatch.setattr(curate.bbjsyntax, "check_source", boom)
    cache = VerdictCache(tmp_path / "cache")
    (diag,) = check_programs(programs(1)[:1], BuiltinChecker(), cache, jobs=1)
    assert diag.code == "BBJ522" and "RecursionError: too deep" in diag.message
    monkeypatch.setattr(curate.bbjsyntax, "check_source", check_source)
    assert check_programs(programs(1)[:1], BuiltinChecker(), cache, jobs=1)[0].code == "BBJ503"
    cache.close()


def test_syntax_on_the_real_corpus_matches_check_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    files = require("files")
    monkeypatch.setattr(runner, "PROCESS_THRESHOLD", 1)
    (tmp_path / "pyproject.toml").write_text(f'[tool.bbj-curate]\ncache-dir = "{tmp_path / "cache"}"\n', "utf-8")
    code = main(["syntax", str(files), "--checker", "builtin", "--format", "json", "-j", "2", "--config", str(tmp_path / "pyproject.toml")])
    reported = sorted((Path(d["path"]).resolve(), d["line"], d["col"], d["code"]) for d in json.loads(capsys.readouterr().out))
    expected = []
    sources = sorted(p for p in files.rglob("*") if p.suffix.lower() in (".bbj", ".src", ".bbl", ".aon"))
    assert len(sources) > 100
    for path in sources:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        expected += [(path.resolve(), i.line, max(i.col, 1), i.code) for i in check_source(text)]
    assert reported == sorted(expected)
    assert code == (1 if expected else 0)


@pytest.mark.parametrize(("extra", "reason"), [(["--checker", "builtin"], "--checker builtin"), ([], "bbjcpl not found")])
def test_check_header_names_the_builtin_checker(
    extra: list[str], reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ex.md").write_text(example_text([bbj_block('print "open')]), "utf-8")
    main(["check", "ex.md", "--no-dedupe", *extra])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"compile check: {CHECKER_NAME} {CHECKER_VERSION} ({reason})"
    assert any(": BBJ503 " in line for line in out)
