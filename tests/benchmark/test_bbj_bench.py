"""The shipped BBj benchmark (benchmark/bbj-bench-v1.jsonl): its format, its coverage, and that
every reference compiles, calls what it promises and is not a copy of a training example."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from curate.bbjsyntax import check_source
from curate.dedupe import Item, find_leaks, items_from_examples
from curate.example import load_example
from curate.vocabulary import NON_EXAMPLE_FILES
from train.data.chatml import fenced_blocks

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmark" / "bbj-bench-v1.jsonl"
GENERATIONS = ("all", "character", "vpro5", "bbj-gui", "dwc")
CODE_TYPES = ("completion", "migration")
PROSE_TYPES = ("comprehension", "explanation")
DIFFICULTIES = ("basic", "intermediate", "advanced")
TOPICS = ("gui", "database", "strings", "file-io", "control-flow", "oop", "dwc")
REQUIRED = {"id", "prompt", "generation", "type", "difficulty", "topic", "reference"}
OPTIONAL = {"from_generation", "must_call"}
MIN_PER_CODE_CELL = 6


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    lines = BENCH.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def bbj_code(markdown: str) -> list[str]:
    return [block.code for block in fenced_blocks(markdown) if block.language == "bbj"]


def calls(code: str, name: str) -> bool:
    """`name` as a whole token, case-insensitive; words of a multi-word verb may be spaced freely."""
    words = r"\s+".join(re.escape(word) for word in name.split())
    return re.search(rf"(?<![\w$!]){words}(?![\w$!])", code, re.IGNORECASE) is not None


def test_jsonl_is_rendered_from_the_source() -> None:
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "benchmark" / "build.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.render(build.load_cases()) == BENCH.read_text(encoding="utf-8"), "run python benchmark/build.py"


def test_every_line_follows_the_contract(cases: list[dict]) -> None:
    assert len(cases) >= 120
    for number, case in enumerate(cases, start=1):
        where = f"line {number} ({case.get('id')})"
        assert REQUIRED <= set(case) <= REQUIRED | OPTIONAL, where
        assert case["id"] == f"bbj-bench-v1-{number:03d}", where
        assert case["generation"] in GENERATIONS and case["type"] in CODE_TYPES + PROSE_TYPES, where
        assert case["difficulty"] in DIFFICULTIES and case["topic"] in TOPICS, where
        assert case["prompt"].strip() and case["reference"].strip(), where
        if case["type"] == "migration":
            assert case.get("from_generation") in GENERATIONS[1:], where
            assert case["from_generation"] != case["generation"], where
        else:
            assert "from_generation" not in case, where
        must_call = case.get("must_call", [])
        assert isinstance(must_call, list) and all(isinstance(n, str) and n.strip() for n in must_call), where


def test_ids_and_prompts_are_unique(cases: list[dict]) -> None:
    assert len({c["id"] for c in cases}) == len(cases)
    assert len({" ".join(c["prompt"].lower().split()) for c in cases}) == len(cases)


def test_coverage(cases: list[dict]) -> None:
    cells = Counter((c["generation"], c["type"]) for c in cases)
    thin = {cell: cells[cell] for cell in ((g, t) for g in GENERATIONS for t in CODE_TYPES) if cells[cell] < MIN_PER_CODE_CELL}
    assert not thin, f"generation x type cells below {MIN_PER_CODE_CELL}: {thin}"
    assert {c["type"] for c in cases} == set(CODE_TYPES + PROSE_TYPES)
    assert {c["difficulty"] for c in cases} == set(DIFFICULTIES)
    assert {c["topic"] for c in cases} == set(TOPICS)
    for generation in GENERATIONS:
        assert {c["difficulty"] for c in cases if c["generation"] == generation} == set(DIFFICULTIES), generation


def test_every_bbj_block_compiles(cases: list[dict]) -> None:
    """References and the programs quoted in prompts (migration sources, code to explain)."""
    problems = []
    for case in cases:
        for field in ("prompt", "reference"):
            for code in bbj_code(case[field]):
                problems += [f"{case['id']} {field} line {i.line}: {i.code} {i.message}" for i in check_source(code)]
    assert not problems, "\n".join(problems)


def test_code_cases_answer_with_code_and_migrations_quote_their_source(cases: list[dict]) -> None:
    for case in cases:
        if case["type"] in CODE_TYPES:
            assert bbj_code(case["reference"]), f"{case['id']}: reference without a ```bbj block"
        if case["type"] == "migration":
            assert bbj_code(case["prompt"]), f"{case['id']}: migration prompt without the source program"


def test_references_call_what_must_call_names(cases: list[dict]) -> None:
    missing = [f"{case['id']}: {name}" for case in cases for name in case.get("must_call", []) if not calls("\n".join(bbj_code(case["reference"])), name)]
    assert not missing, missing
    assert sum(1 for c in cases if c["type"] in CODE_TYPES and c.get("must_call")) == sum(1 for c in cases if c["type"] in CODE_TYPES)


def test_matcher_needs_whole_tokens() -> None:
    assert calls("read record (chan)x$", "READ RECORD")
    assert not calls("setCallbacks(1)", "setCallback")
    assert not calls("x$ = mylen(a$)", "len")


def test_no_case_is_a_near_duplicate_of_a_training_example(cases: list[dict]) -> None:
    paths = sorted(p for p in (ROOT / "training-data").rglob("*.md") if p.name not in NON_EXAMPLE_FILES)
    examples = [example for example, _ in map(load_example, paths) if example is not None]
    bench = [Item(id=c["id"], text=c["prompt"] + "\n\n" + c["reference"], kind="text") for c in cases]
    leaks = find_leaks(bench, items_from_examples(examples))
    assert not leaks, [(p.a, p.b, round(p.jaccard, 2)) for p in leaks]
