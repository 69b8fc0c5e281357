"""`bbj-train corpus`: source collection (encodings, extensions), exact and near dedupe,
decontamination against the test split, the syntax filter, and well-formed FIM samples."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import (
    VALID,
    bbj_train,
    load_legacy_fixture,
    read_jsonl,
    write_examples,
)
from shared_corpus import require

from train.data.corpus import (
    CorpusOptions,
    CorpusResult,
    Document,
    build_corpus,
    samples,
)
from train.data.fim import (
    FIM_MARKERS,
    FIM_MIDDLE,
    FIM_PREFIX,
    FIM_SUFFIX,
    maybe_fim,
    parse_fim,
)

LEGACY = load_legacy_fixture()


def sources(folder: Path, count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    texts = [LEGACY.program(rng, lines=12) for _ in range(count)]
    for n, text in enumerate(texts):
        path = folder / f"lib{n % 3}" / f"prog{n}.bbj"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return texts


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("rate", [0.0, 0.5, 1.0])
def test_fim_samples_are_well_formed(seed: int, rate: float) -> None:
    rng = random.Random(seed)
    docs = [Document(f"doc{n}", LEGACY.program(rng, lines=rng.randrange(1, 15))) for n in range(60)]
    out = samples(docs, rate, seed)
    fim = [(doc, sample) for doc, sample in zip(docs, out) if sample["meta"]["fim"]]
    if rate == 0.0:
        assert not fim and [s["text"] for s in out] == [d.text for d in docs]
    if rate == 1.0:
        assert len(fim) == len(docs)
    if rate == 0.5:
        assert 15 < len(fim) < 45
    for doc, sample in fim:
        text = sample["text"]
        assert all(text.count(marker) == 1 for marker in FIM_MARKERS)
        assert text.startswith(FIM_PREFIX) and text.index(FIM_PREFIX) < text.index(FIM_SUFFIX) < text.index(FIM_MIDDLE)
        prefix, middle, suffix = parse_fim(text)
        assert prefix + middle + suffix == doc.text and middle
        assert text == f"{FIM_PREFIX}{prefix}{FIM_SUFFIX}{suffix}{FIM_MIDDLE}{middle}"


def test_fim_is_deterministic_per_seed() -> None:
    text = LEGACY.program(random.Random(3), lines=10)
    assert maybe_fim("a", text, 1.0, 7) == maybe_fim("a", text, 1.0, 7)
    assert {maybe_fim("a", text, 1.0, seed)[0] for seed in range(10)} != {maybe_fim("a", text, 1.0, 7)[0]}


@pytest.mark.parametrize("bad", ["<|fim_prefix|>x", "a<|fim_middle|>"])
def test_parse_fim_rejects_malformed(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_fim(bad)


def test_corpus_dedupes_and_reads_legacy_encodings(tmp_path: Path) -> None:
    texts = sources(tmp_path / "src", 12)
    (tmp_path / "src" / "zz").mkdir()
    (tmp_path / "src" / "zz" / "copy.src").write_text(texts[0], "utf-8")
    near = texts[1].replace("print", "PRINT", 1) + "\nrem one more line"
    (tmp_path / "src" / "zz" / "near.bbl").write_text(near, "utf-8")
    (tmp_path / "src" / "latin.aon").write_bytes('rem Gr\xfc\xdfe aus M\xfcnchen\nprint "\xe9t\xe9"\n'.encode("latin-1"))
    (tmp_path / "src" / "crlf.bbj").write_bytes(b'rem windows\r\nprint "crlf"\r\n')
    (tmp_path / "src" / "notes.txt").write_text("not source", "utf-8")
    (tmp_path / "src" / "blob.bbj").write_bytes(b"\x00\x01binary")
    (tmp_path / "src" / "extra.pgm").write_text('rem extra extension\nprint "pgm"\n', "utf-8")
    result = bbj_train("corpus", tmp_path / "src", "--out", tmp_path / "out" / "corpus.jsonl", "--ext", ".pgm")
    assert result.returncode == 0, result.stderr
    records = read_jsonl(tmp_path / "out" / "corpus.jsonl")
    ids = {Path(r["meta"]["id"]).name for r in records}
    assert ids == {f"prog{n}.bbj" for n in range(12)} | {"latin.aon", "crlf.bbj", "extra.pgm"}
    by_name = {Path(r["meta"]["id"]).name: r for r in records}
    assert by_name["latin.aon"]["text"] == 'rem Grüße aus München\nprint "été"\n' and by_name["latin.aon"]["meta"]["encoding"] == "latin-1"
    assert by_name["crlf.bbj"]["text"] == 'rem windows\nprint "crlf"\n'
    report = json.loads((tmp_path / "out" / "corpus.report.json").read_text("utf-8"))
    reasons = {Path(d["id"]).name: d["reason"] for d in report["dropped_documents"]}
    assert reasons["copy.src"].startswith("exact-duplicate-of:") and reasons["copy.src"].endswith("prog0.bbj")
    assert reasons["near.bbl"].startswith("near-duplicate-of:") and reasons["near.bbl"].endswith("prog1.bbj")
    assert reasons["blob.bbj"] == "binary"
    assert report["reasons"] == {"binary": 1, "exact-duplicate": 1, "near-duplicate": 1}
    card = json.loads((tmp_path / "out" / "corpus.card.json").read_text("utf-8"))
    assert card["counts"]["kept"] == len(records) and "--ext .pgm" in card["command"]


def test_decontamination_drops_sources_with_test_code(tmp_path: Path) -> None:
    texts = sources(tmp_path / "src", 10, seed=4)
    test_record = {"messages": LEGACY.messages("Write it.", f"```bbj\n{texts[2]}\n```\n\nDone."), "meta": {"id": "test/one"}}
    inner = "\n".join(texts[5].split("\n")[3:9])
    contained = {"messages": LEGACY.messages("Part.", f"```bbj\n{inner}\n```"), "meta": {"id": "test/two"}}
    split = tmp_path / "split"
    split.mkdir()
    (split / "test.jsonl").write_text(json.dumps(test_record) + "\n" + json.dumps(contained) + "\n", "utf-8")
    result = bbj_train("corpus", tmp_path / "src", "--out", tmp_path / "c.jsonl", "--decontaminate", split)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "c.report.json").read_text("utf-8"))
    reasons = {Path(d["id"]).name: d["reason"] for d in report["dropped_documents"]}
    assert reasons == {"prog2.bbj": "contains-test-code:test/one#1", "prog5.bbj": "contains-test-code:test/two#1"}
    texts_changed = texts[7].replace("print", "PRINT") + "\nrem changed"
    (tmp_path / "src" / "lib1" / "prog7.bbj").write_text(texts_changed, "utf-8")
    near_record = {"messages": LEGACY.messages("Write it.", f"```bbj\n{texts[7]}\n```"), "meta": {"id": "test/near"}}
    (split / "test.jsonl").write_text(json.dumps(near_record) + "\n", "utf-8")
    assert bbj_train("corpus", tmp_path / "src", "--out", tmp_path / "c.jsonl", "--decontaminate", split).returncode == 0
    report = json.loads((tmp_path / "c.report.json").read_text("utf-8"))
    assert [(Path(d["id"]).name, d["reason"]) for d in report["dropped_documents"]] == [("prog7.bbj", "test-near-duplicate:test/near#1")]


def test_corpus_from_examples(tmp_path: Path) -> None:
    data = write_examples(tmp_path / "project", VALID)
    result = bbj_train("corpus", "--from-examples", data, "--all", "--out", tmp_path / "ex.jsonl", "--fim-rate", "1", "--seed", "3")
    assert result.returncode == 0, result.stderr
    records = read_jsonl(tmp_path / "ex.jsonl")
    assert {r["meta"]["id"] for r in records} == {
        "gui/greet-user#1", "gui/greet-user#2", "strings/trim-with-cvs#1",
        "gui/character-prompt-to-window#1", "gui/character-prompt-to-window#2", "gui/why-callbacks#1",
    }  # fmt: skip
    assert all(r["meta"]["fim"] for r in records)
    greet = next(r for r in records if r["meta"]["id"] == "gui/greet-user#2")
    assert "".join(parse_fim(greet["text"])[i] for i in (0, 1, 2)) == 'rem helper with a ``` inside a string\nx$ = "```"\nprint x$'
    assert greet["meta"]["filename"] == "helper.bbj"


def test_documents_with_special_tokens_are_dropped() -> None:
    docs = [Document("a", "print 1\n"), Document("b", 'x$ = "<|fim_middle|>"\n'), Document("c", 'x$ = "<|im_end|>"\n'), Document("d", "  \n")]
    result = build_corpus(docs, CorpusOptions(near_dedupe=False), CorpusResult())
    assert [d.id for d in result.documents] == ["a"]
    assert result.dropped == [{"id": "b", "reason": "special-token"}, {"id": "c", "reason": "special-token"}, {"id": "d", "reason": "empty"}]


def test_syntax_filter_drops_what_the_checker_rejects(tmp_path: Path) -> None:
    bbjsyntax = pytest.importorskip("curate.bbjsyntax", reason="the built-in syntax checker is not part of this build")
    if not hasattr(bbjsyntax, "check_source"):
        pytest.skip("curate.bbjsyntax.check_source is not available yet")
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "good.bbj").write_text('x = 1\nif x = 1 then print "one"\nprint "done"\n', "utf-8")
    # an IF block never closed compiles (BBJ506 is a warning): kept, like BASIS's compiler would
    (folder / "lenient.bbj").write_text("while x < 3\n  if x\n    print x\n  x = x + 1\nwend\n", "utf-8")
    assert {i.severity for i in bbjsyntax.check_source((folder / "lenient.bbj").read_text("utf-8"))} == {"warning"}
    (folder / "bad.bbj").write_text('print "unterminated\nfor i = 1 to 3\n', "utf-8")
    assert not bbjsyntax.check_source((folder / "good.bbj").read_text("utf-8"))
    assert bbjsyntax.check_source((folder / "bad.bbj").read_text("utf-8"))
    result = bbj_train("corpus", folder, "--syntax-filter", "--out", tmp_path / "c.jsonl")
    assert result.returncode == 0, result.stderr
    assert sorted(Path(r["meta"]["id"]).name for r in read_jsonl(tmp_path / "c.jsonl")) == ["good.bbj", "lenient.bbj"]
    report = json.loads((tmp_path / "c.report.json").read_text("utf-8"))
    assert report["dropped_documents"][0]["reason"].startswith("syntax:BBJ5")


def test_real_bbj_corpus(tmp_path: Path) -> None:
    files = require("files")
    result = bbj_train("corpus", files, "--out", tmp_path / "real.jsonl", "--fim-rate", "0.5")
    assert result.returncode == 0, result.stderr
    records = read_jsonl(tmp_path / "real.jsonl")
    assert len(records) > 100
    for record in records:
        if record["meta"]["fim"]:
            parse_fim(record["text"])


def test_corpus_needs_an_input(tmp_path: Path) -> None:
    result = bbj_train("corpus", "--out", tmp_path / "c.jsonl")
    assert result.returncode == 2 and "give source folders" in result.stderr
