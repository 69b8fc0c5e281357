"""One vocabulary: the hooks skip the same non-example files as every command, and the import
guesser reads the BBJ401 table, so a guessed generation is never one the linter rejects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from curate.config import CurateConfig
from curate.example import parse_example
from curate.lint import enabled_rules, lint_example
from curate.rules.base import RuleContext
from curate.vocabulary import (
    GENERATIONS,
    NON_EXAMPLE_FILES,
    NON_EXAMPLE_REGEX,
    guess_generation,
)
from curate.vocabulary.generation_table import GENERATION_PATTERNS
from train.data.guess import guess

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("config_file", [".pre-commit-config.yaml", ".pre-commit-hooks.yaml"])
def test_hooks_skip_exactly_the_non_example_files(config_file: str) -> None:
    document = yaml.safe_load((ROOT / config_file).read_text("utf-8"))
    hooks = document if isinstance(document, list) else [h for repo in document["repos"] for h in repo["hooks"]]
    for hook in hooks:
        assert hook["exclude"] == NON_EXAMPLE_REGEX
    skipped = re.compile(NON_EXAMPLE_REGEX)
    assert all(skipped.search(f"training-data/{name}") for name in NON_EXAMPLE_FILES)
    assert not skipped.search("training-data/gui/changelog-viewer.md")


def test_changelog_is_not_an_example_even_with_a_custom_exclude(tmp_path: Path) -> None:
    """Hole: the repository's `exclude` (without CHANGELOG.md) replaced the defaults, so
    `bbj-curate check` linted training-data/CHANGELOG.md that the hooks skipped."""
    config = CurateConfig(exclude=["README.md", "FORMAT.md", "CONTRIBUTING.md"], root=tmp_path)
    assert config.is_excluded(tmp_path / "training-data" / "CHANGELOG.md")
    assert not config.is_excluded(tmp_path / "training-data" / "gui" / "open-a-window.md")


def _label_findings(code: str, generation: str) -> set[str]:
    text = f"---\ntitle: T\ntype: completion\ngeneration: {generation}\n---\n\n## Code\n\n```bbj\nrem t\n{code}\n```\n"
    example = parse_example(text, Path("gui/t.md"), "gui/t.md", "gui")
    return {d.code for d in lint_example(example, enabled_rules(CurateConfig()), RuleContext(CurateConfig())) if d.code in ("BBJ401", "BBJ402")}


SAMPLES = [p.sample for p in GENERATION_PATTERNS] + [
    "\n".join(p.sample for p in GENERATION_PATTERNS if "dwc" in p.allowed),
    'print @(0,0),"Name:"; input name$',
    'window!.addButton(1,1,1,1,1,"x")\nwindow!.setCallback(1,"x")',
]


@pytest.mark.parametrize("code", SAMPLES)
def test_guessed_generation_is_one_the_linter_accepts(code: str) -> None:
    """Hole: train/data/guess.py had its own table (executeAsyncScript -> dwc, setCallback ->
    bbj-gui ...), so `import-chatml --to-markdown` drafts could carry a generation BBJ401 rejects."""
    generation, clue = guess_generation(code)
    assert generation in ("all", *GENERATIONS) and clue
    assert _label_findings(code, generation) == set()
    assert guess("Write it", f"```bbj\n{code}\n```", ["gui"]).generation == generation


def test_contradictory_code_is_guessed_all_with_the_reason() -> None:
    """No label fits code mixing Visual PRO/5 mnemonics with the DWC web manager: `all`,
    which BBJ402 then flags for the reviewer."""
    generation, clue = guess_generation("print (sysgui)'button'(1,1,1,1,1,\"x\",$$)\nweb! = BBjAPI().getWebManager()")
    assert generation == "all" and "different generations" in clue


def test_guess_stays_specific() -> None:
    assert guess_generation("web! = BBjAPI().getWebManager()")[0] == "dwc"
    assert guess_generation("print (sysgui)'window'(1,1,1,1,\"x\",$$)")[0] == "vpro5"
    assert guess_generation('window!.addButton(1,1,1,1,1,"x")')[0] == "bbj-gui"
    assert guess_generation("input x")[0] == "character"
    assert guess_generation("x = 1")[0] == "all"
