"""The shipped benchmark loads and validates through the eval's own loader, and the data
pipeline keeps benchmark cases out of training: convert, split and corpus drop and report
near duplicates (and corpus documents holding a reference's code)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from train.cli import main
from train.eval.cases import load_case_file
from train.eval.judge import Judge
from train.eval.scoring import validate_cases

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmark" / "bbj-bench-v1.jsonl"
CODE = 'rem Count the vowels of a word\nword$ = "education"\ncount = 0\nfor i = 1 to len(word$)\n    if pos(word$(i,1) = "aeiou") > 0 then count = count + 1\nnext i\nprint count'
CASE = {"id": "bench-1", "prompt": "How many vowels are in a word? Count them in BBj for the word education.", "generation": "all",
        "type": "completion", "difficulty": "basic", "topic": "strings", "reference": f"```bbj\n{CODE}\n```", "must_call": ["len", "pos"]}  # fmt: skip
EXAMPLE = """---
title: {title}
type: completion
generation: all
difficulty: basic
description: {description}
status: approved
---

## Code

```bbj
{code}
```

## Expected Behavior

It prints the result.

## Explanation

{explanation}
"""


def test_the_shipped_benchmark_loads_and_every_reference_passes() -> None:
    if not BENCH.is_file():
        pytest.skip("benchmark/bbj-bench-v1.jsonl is not in this checkout")
    cases = load_case_file(BENCH)
    assert len(cases) >= 120 and len({c.id for c in cases}) == len(cases)
    assert validate_cases(cases, Judge()) == []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.bbj-curate]\ntopics = ["strings"]\n', encoding="utf-8")
    data = tmp_path / "training-data" / "strings"
    data.mkdir(parents=True)
    (data / "count-vowels.md").write_text(EXAMPLE.format(title="Count vowels", description=CASE["prompt"], code=CODE,
                                                         explanation="The loop checks each character with POS."), encoding="utf-8")  # fmt: skip
    other = 'rem Upper-case a name\nname$ = "ada"\nprint cvs(name$, 4)'
    (data / "upper-case.md").write_text(EXAMPLE.format(title="Upper-case a name", description="Print a name in capitals.", code=other,
                                                       explanation="CVS with mode 4 converts to upper case."), encoding="utf-8")  # fmt: skip
    bench = tmp_path / "benchmark"
    bench.mkdir()
    (bench / "bbj-bench-v1.jsonl").write_text(json.dumps(CASE) + "\n", encoding="utf-8")
    return tmp_path


def test_convert_and_split_drop_benchmark_near_duplicates(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project)
    assert main(["convert", "training-data", "--out", "build/examples"]) == 0  # the default benchmark file is found
    err = capsys.readouterr().err
    assert "near duplicate of benchmark case bench-1" in err
    records = [json.loads(line) for line in (project / "build/examples/examples.jsonl").read_text().splitlines()]
    assert [r["meta"]["title"] for r in records] == ["Upper-case a name"]
    card = json.loads((project / "build/examples/card.json").read_text())
    assert card["counts"]["dropped_benchmark_near_duplicates"] == 1 and card["benchmark_drops"][0]["reason"] == "benchmark-near-duplicate:bench-1"
    assert main(["convert", "training-data", "--out", "build/all", "--no-benchmark-guard"]) == 0
    everything = project / "build/all/examples.jsonl"
    assert len(everything.read_text().splitlines()) == 2
    assert main(["split", str(everything), "--out", "build/split"]) == 0
    manifest = json.loads((project / "build/split/manifest.json").read_text())
    assert sum(manifest["counts"].values()) == 1 and len(manifest["benchmark_drops"]) == 1


def test_corpus_drops_documents_with_benchmark_code(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    sources = project / "src"
    sources.mkdir()
    (sources / "vowels.bbj").write_text(f"rem from a forum\n{CODE}\nend\n", encoding="utf-8")
    (sources / "other.bbj").write_text('rem something else entirely\nfor i = 1 to 3\n    print "line ", i\nnext i\nend\n', encoding="utf-8")
    assert main(["corpus", "src", "--out", "build/corpus.jsonl", "--benchmark", "benchmark/bbj-bench-v1.jsonl"]) == 0
    report = json.loads((project / "build/corpus.report.json").read_text())
    reasons = {Path(d["id"]).name: d["reason"] for d in report["dropped_documents"]}
    assert reasons == {"vowels.bbj": "contains-benchmark-code:bench-1#1"}
