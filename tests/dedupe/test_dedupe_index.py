"""The persisted index: incremental updates (counted signatures), deletion, rename, the delta
file and its compaction, crash safety and rebuilds of damaged or stale files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from dedupe_helpers import example_text, program, replace_lines

import curate.dedupe.cluster as cluster_module
import curate.dedupe.index as index_module
from curate.dedupe import DedupeConfig, DedupeIndex, Item

BASE = program("base")


def corpus(count: int) -> list[Item]:
    return [Item(f"ex{n}", example_text(f"t{n}", program(f"p{n}")).split("---\n", 2)[2]) for n in range(count)]


@pytest.fixture
def signed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Number of signatures computed per `sign` call (the real function still runs)."""
    counts: list[int] = []
    real = cluster_module.sign

    def counting(sets, num_perm, seed):  # type: ignore[no-untyped-def]
        counts.append(len(sets))
        return real(sets, num_perm, seed)

    monkeypatch.setattr(cluster_module, "sign", counting)
    return counts


def test_only_new_or_changed_items_are_signed_again(tmp_path: Path, signed: list[int]) -> None:
    items = corpus(20)
    index = DedupeIndex.open(tmp_path)
    assert index.update(items) == sorted(i.id for i in items)
    assert index.save()
    assert sum(signed) == 20
    reopened = DedupeIndex.open(tmp_path)
    assert reopened.warnings == [] and len(reopened) == 20
    changed = [*items[:19], Item("ex19", items[19].text + "\nOne more sentence."), Item("ex20", "brand new text here")]
    assert reopened.update(changed) == ["ex19", "ex20"]
    assert signed[-1] == 2 and sum(signed) == 22
    assert reopened.update(changed) == [] and sum(signed) == 22  # nothing changed: nothing signed
    assert reopened.save()
    assert not reopened.save()  # nothing new to write
    assert DedupeIndex.open(tmp_path).ids() == sorted(i.id for i in changed)


def test_metadata_changes_need_no_new_signature(tmp_path: Path, signed: list[int]) -> None:
    index = DedupeIndex.open(tmp_path)
    index.update([Item("a", "some text to keep", status="draft")])
    index.save()
    index = DedupeIndex.open(tmp_path)
    assert index.update([Item("a", "some text to keep", status="approved", richness=40)]) == []
    index.save()
    entry = DedupeIndex.open(tmp_path).entry("a")
    assert entry is not None and (entry.status, entry.richness) == ("approved", 40)
    assert sum(signed) == 1


@pytest.mark.parametrize("via", ["update", "keep"])
def test_deleted_items_leave_the_index(tmp_path: Path, via: str) -> None:
    items = corpus(5)
    index = DedupeIndex.open(tmp_path)
    index.update(items)
    index.save()
    index = DedupeIndex.open(tmp_path)
    if via == "update":
        index.update(items[:3])
    else:
        index.update([], keep=[i.id for i in items[:3]])
    index.save()
    assert DedupeIndex.open(tmp_path).ids() == ["ex0", "ex1", "ex2"]


def test_rename_is_a_new_id_and_never_its_own_duplicate(tmp_path: Path) -> None:
    text = example_text("t", BASE).split("---\n", 2)[2]
    index = DedupeIndex.open(tmp_path)
    index.update([Item("old.md", text), *corpus(3)])
    index.save()
    index = DedupeIndex.open(tmp_path)
    index.update([Item("new.md", text), *corpus(3)])
    assert index.query([Item("new.md", text)]) == []
    index.save()
    assert "old.md" not in DedupeIndex.open(tmp_path).ids()


def test_query_confirms_near_duplicates_against_the_persisted_index(tmp_path: Path) -> None:
    index = DedupeIndex.open(tmp_path)
    index.update([Item("orig", example_text("t", BASE).split("---\n", 2)[2]), *corpus(30)])
    index.save()
    twin = Item("twin", example_text("t", replace_lines(BASE, range(4, 5), "x")).split("---\n", 2)[2])
    pairs = DedupeIndex.open(tmp_path).query([twin])
    assert [(p.a, p.b) for p in pairs] == [("twin", "orig")]
    assert 0.7 <= pairs[0].jaccard < 1 and pairs[0].score > 0.9


def test_small_changes_go_to_the_delta_and_compact_later(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = DedupeIndex.open(tmp_path)
    index.update(corpus(10))
    index.save()
    snapshot = (tmp_path / "index.bin").read_bytes()
    index = DedupeIndex.open(tmp_path)
    index.update([*corpus(9), Item("extra", "an extra item")])  # ex9 removed, extra added
    index.save()
    assert (tmp_path / "index.bin").read_bytes() == snapshot
    assert (tmp_path / "index.delta").exists()
    reopened = DedupeIndex.open(tmp_path)
    assert reopened.ids() == sorted([f"ex{n}" for n in range(9)] + ["extra"])
    monkeypatch.setattr(index_module, "COMPACT_MIN", 0)
    monkeypatch.setattr(index_module, "COMPACT_SHARE", 0.0)
    reopened.update([*corpus(8), Item("extra", "an extra item")])
    reopened.save()
    assert not (tmp_path / "index.delta").exists()
    assert DedupeIndex.open(tmp_path).ids() == sorted([f"ex{n}" for n in range(8)] + ["extra"])
    assert (tmp_path / ".gitignore").read_text().strip().endswith("*")


def write_index(folder: Path, items: list[Item]) -> None:
    index = DedupeIndex.open(folder)
    index.update(items)
    index.save()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda raw: raw[: len(raw) // 2], "checksum mismatch"),
        (lambda raw: b"garbage" * 10, "not a dedupe index file"),
        (lambda raw: b"", "not a dedupe index file"),
        (lambda raw: raw[:-10] + b"\x00" * 10, "checksum mismatch"),
        (lambda raw: raw[:30], "is unreadable"),
    ],
    ids=["truncated", "garbage", "empty", "flipped-bytes", "cut-in-header"],
)
def test_damaged_index_is_rebuilt_with_a_warning(tmp_path: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    write_index(tmp_path, corpus(5))
    path = tmp_path / "index.bin"
    path.write_bytes(damage(path.read_bytes()))
    index = DedupeIndex.open(tmp_path)
    assert len(index) == 0
    assert len(index.warnings) == 1 and message in index.warnings[0] and "rebuilding" in index.warnings[0]
    index.update(corpus(5))
    index.save()
    assert DedupeIndex.open(tmp_path).warnings == []


@pytest.mark.parametrize(
    ("setting", "value"),
    [("FORMAT_VERSION", 0), ("NORMALIZER_VERSION", 99)],
)
def test_stale_format_is_rebuilt_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, value: int) -> None:
    monkeypatch.setattr(index_module, setting, value)
    write_index(tmp_path, corpus(3))
    monkeypatch.undo()
    index = DedupeIndex.open(tmp_path)
    assert len(index) == 0 and "other settings or an older format" in index.warnings[0]


def test_other_settings_rebuild(tmp_path: Path) -> None:
    write_index(tmp_path, corpus(3))
    index = DedupeIndex.open(tmp_path, DedupeConfig(shingle_size=5))
    assert len(index) == 0 and index.warnings


def test_damaged_delta_is_ignored_and_its_items_signed_again(tmp_path: Path, signed: list[int]) -> None:
    write_index(tmp_path, corpus(5))
    index = DedupeIndex.open(tmp_path)
    changed = [*corpus(4), Item("ex4", "changed text for four")]
    index.update(changed)
    index.save()
    (tmp_path / "index.delta").write_bytes(b"BBJDEDUP garbage")
    index = DedupeIndex.open(tmp_path)
    assert index.entry("ex4") is not None and index.entry("ex4").digest != index_module.item_digest(changed[4])  # type: ignore[union-attr]
    before = sum(signed)
    assert index.update(changed) == ["ex4"] and sum(signed) == before + 1


CRASH = textwrap.dedent(
    """
    import os, signal, sys
    from curate.dedupe import DedupeIndex, Item
    index = DedupeIndex.open(sys.argv[1])
    index.update([Item(f"n{i}", f"new text number {i} with words") for i in range(50)])
    os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)  # die between write and rename
    index.save()
    """
)


def test_a_writer_killed_mid_save_leaves_the_previous_index(tmp_path: Path) -> None:
    write_index(tmp_path, corpus(5))
    before = (tmp_path / "index.bin").read_bytes()
    result = subprocess.run([sys.executable, "-c", CRASH, str(tmp_path)], capture_output=True, check=False)
    assert result.returncode == -9
    assert (tmp_path / "index.bin").read_bytes() == before
    assert list(tmp_path.glob(".index.*.tmp"))  # the killed writer's temp file
    index = DedupeIndex.open(tmp_path)
    assert index.warnings == [] and index.ids() == [f"ex{n}" for n in range(5)]
