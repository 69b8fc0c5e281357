"""Every registered rule against its failing and passing cases (rules_case_table.py), through
the real loader (`load_example` -> `parse_example`) and the rule, asserting code and line."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from rules_case_table import CASES, Case

from curate.checks import CheckOptions, run_checks
from curate.config import CurateConfig
from curate.diagnostics import Diagnostic
from curate.discover import topic_of
from curate.example import Example, load_example
from curate.rules.base import REGISTRY, CatalogueRule, ProjectRule, RuleContext, all_rules

RULES = list(all_rules())
FAKE_BBJCPL = Path(__file__).resolve().parents[1] / "compile" / "fake_bbjcpl" / "bbjcpl.py"


def install_fake(folder: Path) -> Path:
    """The compile tests' fake bbjcpl, as an executable whose shebang is this Python."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "bbjcpl"
    target.write_text(f"#!{sys.executable}\n" + FAKE_BBJCPL.read_text("utf-8").split("\n", 1)[1], "utf-8")
    target.chmod(0o755)
    return target


def write_case(case: Case, data_root: Path) -> Path:
    path = data_root / case.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if case.make:
        case.make(path)
    else:
        path.write_bytes(case.content if isinstance(case.content, bytes) else case.content.encode("utf-8"))
    for other, text in case.others.items():
        (data_root / other).parent.mkdir(parents=True, exist_ok=True)
        (data_root / other).write_text(text, "utf-8")
    return path


def is_producer_code(code: str) -> bool:
    """BBJ5xx (compile check) and BBJ6xx (dedupe) come from `bbj-curate check`'s later steps,
    BBJ007 from the lint step's per-file time budget, BBJ306 (unused noqa) after every step."""
    return code[3] in "56" or code in ("BBJ007", "BBJ306")


def run_producer_case(case: Case, main: Path, config: CurateConfig, monkeypatch: pytest.MonkeyPatch) -> list[Diagnostic]:
    """The case through the real check steps: lint, compile (built-in or the fake bbjcpl), dedupe."""
    if case.checker == "bbjcpl":
        config = config.replace(bbjcpl=str(install_fake(config.root / "bbj" / "bin")), compile_timeout=3.0)
    for name in ("FAKE_BBJCPL_MODE", "FAKE_BBJCPL_BAD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(config.root)  # display paths are relative to the working folder
    # A case without `status:` is a draft, whose compile and dedupe errors are warnings unless
    # drafts are trained (curate.trainable): train them here, so the catalogue severity shows.
    config = config.replace(checker=case.checker, trainable_statuses=["draft", "approved"])
    run = run_checks([Path(config.data_root)], config, CheckOptions(jobs=1, file_budget=case.budget))
    return list(run.diagnostics)


def run_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[list[Diagnostic], str]:
    """Diagnostics with the case's code, for the case's main file, and that file's display path."""
    config = CurateConfig(root=tmp_path, cache_dir=str(tmp_path / "cache"))
    data_root = tmp_path / config.data_root
    main = write_case(case, data_root)
    main_display = main.relative_to(tmp_path).as_posix()
    if is_producer_code(case.code):
        assert monkeypatch is not None, "producer cases set the environment and working folder"
        found = run_producer_case(case, main, config, monkeypatch)
        return [d for d in found if d.code == case.code and d.path == main_display], main_display
    rule = REGISTRY[case.code]()
    ctx = RuleContext(config)
    examples: list[Example] = []
    found: list[Diagnostic] = []
    for path in [main, *(data_root / other for other in case.others)]:
        display = path.relative_to(tmp_path).as_posix()
        example, notes = load_example(path, display, topic_of(path, config))
        found.extend(notes)
        if example is not None:
            examples.append(example)
            found.extend(rule.check(example, ctx))
    if isinstance(rule, ProjectRule):
        found.extend(rule.check_all(examples, ctx))
    return [d for d in found if d.code == case.code and d.path == main_display], main_display


def expected_lines(case: Case) -> list[int]:
    if case.at is not None:
        text = case.content if isinstance(case.content, str) else case.content.decode("utf-8")
        assert text.count(case.at) == 1, f"'at' must be unique in the case text: {case.at!r}"
        return [text[: text.index(case.at)].count("\n") + 1]
    return list(case.lines or [])


@pytest.mark.parametrize("case", CASES, ids=[f"{c.code}-{c.id}" for c in CASES])
def test_rule_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    diags, display = run_case(case, tmp_path, monkeypatch)
    assert sorted(d.line for d in diags) == expected_lines(case), [d.render() for d in diags]
    rule = REGISTRY[case.code]
    for diag in diags:
        assert diag.severity == rule.severity, "the emitted severity must match the catalogue"
        assert diag.path == display and diag.line >= 1 and diag.col >= 1
        assert diag.message


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_rule_has_failing_and_passing_cases(rule: type) -> None:
    cases = [c for c in CASES if c.code == rule.code]
    assert any(c.failing for c in cases), f"{rule.code} has no failing case in rules_case_table.py"
    assert any(not c.failing for c in cases), f"{rule.code} has no passing case in rules_case_table.py"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_is_documented(rule: type) -> None:
    assert re.fullmatch(r"BBJ[0-9]{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.summary and "\n" not in rule.summary and len(rule.summary) <= 80
    doc = rule.__doc__ or ""
    assert "Bad" in doc and "Good" in doc, f"{rule.code}'s docstring needs a Bad and a Good example"
    assert doc.index("Bad") < doc.index("Good")
    if rule.fixable and not issubclass(rule, CatalogueRule):
        assert rule.fix is not REGISTRY["BBJ201"].fix, f"{rule.code} is fixable but has no fix()"


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


def test_cases_only_name_registered_codes() -> None:
    assert {c.code for c in CASES} <= set(REGISTRY)


def test_fixability_depends_on_the_language(tmp_path: Path) -> None:
    """BBJ301 offers --fix for basic/vb/vbnet/bare fences only, never for other languages."""
    by_id = {c.id: c for c in CASES if c.code == "BBJ301"}
    for case_id, fixable in [("basic", True), ("bare-fence", True), ("python-not-fixable", False), ("bbj-in-output", False)]:
        diags, _ = run_case(by_id[case_id], tmp_path / case_id)
        assert [d.fixable for d in diags] == [fixable], case_id


def test_duplicate_title_names_the_first_file(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.code == "BBJ208" and c.failing)
    diags, _ = run_case(case, tmp_path)
    assert "training-data/strings/aa-greet.md" in diags[0].message
