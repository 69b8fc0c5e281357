"""BBJ401/BBJ402 driven by the one pattern table: each entry's sample line in an example of
every generation is flagged exactly when that generation cannot run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rules_case_table import gen
from shared_corpus import CORPUS, require

from curate.config import CurateConfig
from curate.example import load_example
from curate.rules.base import REGISTRY, RuleContext
from curate.schema import GENERATIONS
from curate.vocabulary.generation_table import GENERATION_PATTERNS, pattern_hits

LABELS = [*GENERATIONS, "all"]
GRID = [(p, label) for p in GENERATION_PATTERNS for label in LABELS]

# Lines that look GUI-ish but run under every generation: no table entry may match them.
NEUTRAL_LINES = [
    'vec! = BBjAPI().makeVector(); vec!.addItem("x")',
    "print 'cs',@(10,5),\"Hi\"",
    "print 'window'(0,0,40,10,\"Title\")",
    "print (0)'cs'",
    'open (1)"customers.dat"',
    "fs! = BBjAPI().getFileSystem()",
    "rem getSysGui() and getWebManager() are named in a comment",
    "0010 REM print (sysgui)'window' in a numbered comment",
    'x$ = "done"; ctrl$ = "y"',
    "total = myctrl(sysgui,1); reprint(gui)",  # a match must start a word
    'html!.executeAsyncScript("document.title"); html!.injectScript("x()")',  # BBjHtmlView has these in BBj GUI
]


def findings(tmp_path: Path, text: str) -> dict[str, list[int]]:
    path = tmp_path / "training-data" / "gui" / "sample.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    example, notes = load_example(path, "sample.md", "gui")
    assert example is not None and not notes
    ctx = RuleContext(CurateConfig(root=tmp_path))
    return {code: [d.line for d in REGISTRY[code]().check(example, ctx)] for code in ("BBJ401", "BBJ402")}


@pytest.mark.parametrize(("pattern", "label"), GRID, ids=[f"{p.name}-{label}" for p, label in GRID])
def test_pattern_against_generation(pattern, label: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = gen(label, pattern.sample)
    sample_line = text.split("\n").index(pattern.sample) + 1
    got = findings(tmp_path, text)
    expect_401 = label != "all" and label not in pattern.allowed
    assert got["BBJ401"] == ([sample_line] if expect_401 else [])
    assert got["BBJ402"] == ([sample_line] if label == "all" else [])


@pytest.mark.parametrize("pattern", GENERATION_PATTERNS, ids=[p.name for p in GENERATION_PATTERNS])
def test_table_entry_is_well_formed(pattern) -> None:  # type: ignore[no-untyped-def]
    assert pattern.allowed and pattern.allowed <= set(GENERATIONS)
    assert pattern.allowed != set(GENERATIONS), "an entry every generation runs flags nothing"
    assert pattern in [p for p, _ in pattern_hits(pattern.sample)]


@pytest.mark.parametrize("line", NEUTRAL_LINES)
def test_neutral_code_matches_no_pattern(line: str) -> None:
    assert list(pattern_hits(line)) == []


def test_names_are_unique() -> None:
    names = [p.name for p in GENERATION_PATTERNS]
    assert len(names) == len(set(names))


def test_real_generation_neutral_source_matches_no_pattern() -> None:
    """Real BBj files whose content shows no GUI API (the corpus manifest's 'all'/'character'
    guess) must match no entry: a guard against patterns that grow too broad."""
    manifest = require("manifest.json")
    data = json.loads(manifest.read_text("utf-8"))
    entries = data if isinstance(data, list) else data.get("files", [])
    neutral = [e["path"] for e in entries if e["path"].endswith(".bbj") and e.get("generation_guess") in ("all", "character")]
    assert len(neutral) > 50
    matched = {path: [p.name for p, _ in pattern_hits((CORPUS / path).read_text("utf-8", "replace"))] for path in neutral}
    assert {path: names for path, names in matched.items() if names} == {}
