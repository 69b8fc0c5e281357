"""The detector: normalization, shingles, datasketch-compatible signatures, clusters, keepers,
leaks and the item builders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from dedupe_helpers import example_text, git, program, replace_lines, write

from curate.dedupe import (
    Cluster,
    DedupeConfig,
    Item,
    Pair,
    find_clusters,
    find_leaks,
    items_from_chatml,
    items_from_examples,
    items_from_sources,
)
from curate.dedupe.cluster import lsh_bands
from curate.dedupe.normalize import normalize, shingles
from curate.dedupe.signature import sign
from curate.example import load_example


def body(code: list[str], explanation: str = "It prints things.") -> str:
    return example_text("t", code, explanation).split("---\n", 2)[2]


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("source", "PRINT  Name$,\tLEN( Name$ )", "print name$ , len ( name$ )"),
        ("source", "REM  Some   Comment\n  x = 1.50", "rem some comment x = 1.50"),
        ("source", 'a$ = "Hello  World"', 'a$ = " hello world "'),
        ("source", 'obj!.setText("x")\nn% = 2', 'obj! . settext ( " x " ) n% = 2'),
        ("text", "Hello, World! It's *bold*.", "hello world it s bold"),
        ("example", "## Code\n\n```bbj\nPRINT X\n```\n\nThe `PRINT` verb.", "code print x the print verb"),
        ("example", "Text\n~~~\nA = 1\n~~~\nMore", "text a = 1 more"),
        ("chatml", "Write a loop.\n\n```bbj\nFOR I=1 TO 3\nNEXT I\n```", "write a loop for i = 1 to 3 next i"),
    ],
)
def test_normalization_keeps_what_the_docs_say(kind: str, text: str, expected: str) -> None:
    assert normalize(text, kind) == expected


def test_unknown_kind_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown item kind 'yaml'"):
        normalize("x", "yaml")


def test_shingles_are_stable_across_processes() -> None:
    text = normalize("\n".join(program("stable")), "source")
    here = shingles(text, 4).tolist()
    code = "import sys; from curate.dedupe.normalize import shingles; print(shingles(sys.argv[1], 4).tolist())"
    there = subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "123", "PATH": ""}).stdout
    assert str(here) == there.strip()


@pytest.mark.parametrize(("num_perm", "seed"), [(16, 1), (128, 1), (64, 42)])
def test_signatures_equal_datasketch_minhash(num_perm: int, seed: int) -> None:
    from datasketch import MinHash

    sets = [shingles(normalize("\n".join(program(name)), "source"), 4) for name in ("one", "two", "three")]
    ours = sign(sets, num_perm, seed)
    for row, values in zip(ours, sets):
        reference = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda v: v)
        reference.update_batch([int(v) for v in values])
        assert np.array_equal(row, reference.hashvalues)


@pytest.mark.parametrize(("threshold", "bands", "rows"), [(0.5, 42, 3), (0.7, 25, 5), (0.9, 11, 11)])
def test_lsh_bands_favour_recall_at_the_threshold(threshold: float, bands: int, rows: int) -> None:
    assert lsh_bands(threshold, 128) == (bands, rows)
    assert 1 - (1 - threshold**rows) ** bands >= 0.98


BASE = program("base")


@pytest.mark.parametrize(
    ("texts", "expected_members", "exact"),
    [
        ({"a": body(BASE), "b": body(BASE)}, [["a", "b"]], True),
        ({"a": body(BASE), "b": body(BASE).replace("print", "PRINT")}, [["a", "b"]], True),  # case only
        ({"a": body(BASE), "b": body(replace_lines(BASE, range(10, 11), "x"))}, [["a", "b"]], False),
        ({"a": body(BASE), "u": body(program("other")), "v": body(program("third"))}, [], False),
        (
            {"a": body(BASE), "c": body(replace_lines(replace_lines(BASE, range(5), "b"), range(25, 30), "c")), "b": body(replace_lines(BASE, range(5), "b"))},
            [["a", "b", "c"]],
            False,
        ),
    ],
    ids=["exact", "case-only", "one-line-edit", "unrelated", "chain"],
)
def test_clusters(texts: dict[str, str], expected_members: list[list[str]], exact: bool) -> None:
    clusters = find_clusters([Item(name, text) for name, text in texts.items()])
    assert [c.members for c in clusters] == expected_members
    for cluster in clusters:
        assert all(0.7 <= p.jaccard <= 1 and 0.5 <= p.score <= 1 for p in cluster.pairs)
        assert all(p.a < p.b for p in cluster.pairs)
        assert (cluster.pairs[0].jaccard == 1.0 and cluster.pairs[0].score == 1.0) is exact


def test_a_chain_is_one_cluster_though_its_ends_differ() -> None:
    b = replace_lines(BASE, range(5), "b")
    c = replace_lines(b, range(25, 30), "c")
    (cluster,) = find_clusters([Item("a", body(BASE)), Item("b", body(b)), Item("c", body(c))])
    assert {(p.a, p.b) for p in cluster.pairs} == {("a", "b"), ("b", "c")}  # a and c are below 0.7


@pytest.mark.parametrize(
    ("items", "keeper", "reason"),
    [
        ([Item("a", "", status="draft", richness=900), Item("b", "", status="approved")], "b", "the only approved member"),
        ([Item("a", "", status="approved", richness=10), Item("b", "", status="approved", richness=50)], "b", "richest explanation (50 vs 10 characters)"),
        ([Item("a", "", richness=5, order=20.0), Item("b", "", richness=5, order=10.0)], "b", "oldest (added first)"),
        ([Item("b", "", order=1.0), Item("a", "", order=1.0)], "a", "first in path order (no other difference)"),
    ],
    ids=["approved", "richness", "older", "path-order"],
)
def test_keeper_choice(items: list[Item], keeper: str, reason: str) -> None:
    text = body(BASE)
    clusters = find_clusters([Item(i.id, text, i.kind, i.status, i.richness, i.order) for i in items])
    assert clusters == [Cluster(sorted(i.id for i in items), keeper, reason, [Pair("a", "b", 1.0, 1.0)])]


def test_threshold_and_fuzzy_minimum_are_honoured() -> None:
    items = [Item("a", body(BASE)), Item("b", body(replace_lines(BASE, range(5), "b")))]
    assert find_clusters(items, DedupeConfig(threshold=0.7))
    assert not find_clusters(items, DedupeConfig(threshold=0.8))
    assert not find_clusters(items, DedupeConfig(threshold=0.7, fuzzy_min=0.99))


@pytest.mark.parametrize("bad", [{"threshold": 0}, {"threshold": 1.5}, {"fuzzy_min": -0.1}, {"num_perm": 4}, {"shingle_size": 0}])
def test_bad_settings_are_rejected(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        DedupeConfig(**bad)


def test_duplicate_ids_and_empty_items() -> None:
    with pytest.raises(ValueError, match="duplicate item id 'a'"):
        find_clusters([Item("a", "x"), Item("a", "y")])
    assert find_clusters([Item("e1", "   "), Item("e2", "")]) == []  # nothing to compare


def test_leaks_pair_items_with_their_twins_in_the_other_set() -> None:
    train = [Item("train:0", body(BASE)), Item("train:1", body(program("other")))]
    test = [Item("test:0", body(replace_lines(BASE, range(3, 4), "t"))), Item("test:1", body(program("unseen")))]
    leaks = find_leaks(test, train)
    assert [(p.a, p.b) for p in leaks] == [("test:0", "train:0")]
    assert leaks[0].jaccard >= 0.7
    assert find_leaks(test, []) == []


def test_chatml_items_use_user_and_assistant_only() -> None:
    records = [
        {
            "messages": [
                {"role": "system", "content": "You write BBj."},
                {"role": "user", "content": "Count to 3"},
                {"role": "assistant", "content": "```bbj\nfor i=1 to 3\nnext i\n```"},
            ]
        },
        {
            "messages": [
                {"role": "user", "content": [{"type": "text", "text": "Count to 3"}]},
                {"role": "assistant", "content": "```bbj\nFOR I=1 TO 3\nNEXT I\n```"},
            ]
        },
    ]
    items = items_from_chatml(records, ["r1", "r2"])
    assert [(i.id, i.kind, i.order) for i in items] == [("r1", "chatml", 0.0), ("r2", "chatml", 1.0)]
    assert "You write" not in items[0].text
    (cluster,) = find_clusters(items)
    assert cluster.pairs == [Pair("r1", "r2", 1.0, 1.0)]
    assert [i.id for i in items_from_chatml(records)] == ["record:0", "record:1"]
    with pytest.raises(TypeError, match="record 0"):
        items_from_chatml([{"text": "no messages"}])


def test_source_items_read_utf8_and_latin1(tmp_path: Path) -> None:
    utf8 = tmp_path / "a.bbj"
    utf8.write_text('print "Grüße"\n', encoding="utf-8")
    latin = tmp_path / "b.bbj"
    latin.write_bytes('print "Grüße"\n'.encode("latin-1"))
    items = items_from_sources([utf8, latin])
    assert [i.kind for i in items] == ["source", "source"]
    assert items[0].text == items[1].text == 'print "Grüße"\n'


def test_example_items_take_status_explanation_and_git_date(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    older = write(tmp_path / "strings" / "older.md", example_text("Older", BASE, "Short.", status="draft"))
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "one", date="2021-01-01T00:00:00+00:00")
    newer = write(tmp_path / "strings" / "newer.md", example_text("Newer", BASE, "Short.", status="draft"))
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "two", date="2023-01-01T00:00:00+00:00")
    loose = write(tmp_path / "strings" / "loose.md", example_text("Loose", BASE, "A much longer explanation.", status="approved"))
    examples = [load_example(p)[0] for p in (newer, older, loose)]
    items = items_from_examples(examples)  # type: ignore[arg-type]
    assert [i.order for i in items[:2]] == [1672531200.0, 1609459200.0]
    assert items[2].order == pytest.approx(loose.stat().st_mtime)  # not committed: its mtime
    assert [(i.status, i.richness) for i in items] == [("draft", 6), ("draft", 6), ("approved", 26)]
    assert "title" not in items[0].text and "print" in items[0].text
    (cluster,) = find_clusters(items[:2])
    assert (cluster.keeper, cluster.reason) == (str(older), "oldest (added first)")
