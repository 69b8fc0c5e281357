"""Retrieval: the generation filter (`all` fits every generation; a request for `all` takes only
`all`), approved before draft, rejected never, API classes by generation, and rebuilds exactly
when the examples' content changes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bbj_mcp.retrieval import ExampleIndex, Retriever, tokens
from curate.config import load_config

BUTTON_CODE = 'button! = window!.addButton(101,10,10,80,25,"OK")\nbutton!.setCallback(button!.ON_BUTTON_PUSH,"push")'


def write(root: Path, name: str, generation: str, status: str = "approved", extra: str = "") -> Path:
    path = root / "gui" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: Push button callback {name}\ntype: completion\ngeneration: {generation}\nstatus: {status}\n---\n\n"
        f"## Code\n\n```bbj\n{BUTTON_CODE}\n```\n\n## Explanation\n\nA push button with a callback. {extra}\n",
        "utf-8",
    )
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
    root = tmp_path / "training-data"
    write(root, "portable", "all")
    write(root, "character-only", "character")
    write(root, "gui-only", "bbj-gui")
    write(root, "browser-only", "dwc")
    write(root, "two-generations", "[vpro5, bbj-gui]")
    write(root, "gui-draft", "bbj-gui", status="draft")
    write(root, "gui-rejected", "bbj-gui", status="rejected")
    write(root, "gui-needs-work", "bbj-gui", status="needs-work")
    return root


def index(root: Path) -> ExampleIndex:
    return ExampleIndex(root, load_config([root.parent]), refresh_interval=0)


QUERY = "push button callback"
EXPECTED = {
    "character": {"gui/portable", "gui/character-only"},
    "vpro5": {"gui/portable", "gui/two-generations"},
    "bbj-gui": {"gui/portable", "gui/gui-only", "gui/two-generations", "gui/gui-draft"},
    "dwc": {"gui/portable", "gui/browser-only"},
    "all": {"gui/portable"},
}


@pytest.mark.parametrize("generation", list(EXPECTED))
def test_only_examples_of_the_requested_generation_or_all(data: Path, generation: str) -> None:
    hits = index(data).search(QUERY, generation, k=10)
    assert {hit.id for hit in hits} == EXPECTED[generation]


def test_approved_before_draft_and_rejected_or_needs_work_never(data: Path) -> None:
    ids = [hit.id for hit in index(data).search(QUERY, "bbj-gui", k=10)]
    assert ids[-1] == "gui/gui-draft"
    assert "gui/gui-rejected" not in ids and "gui/gui-needs-work" not in ids
    assert len(index(data).search(QUERY, "bbj-gui", k=2)) == 2


def test_ranking_follows_the_query(data: Path) -> None:
    write(data, "ledger", "all", extra="It posts the ledger balance of the invoice.")
    hits = index(data).search("ledger balance invoice", "character", k=1)
    assert [hit.id for hit in hits] == ["gui/ledger"]
    assert hits[0].snippet.startswith("Example gui/ledger (all): Push button callback ledger")
    assert "```bbj" in hits[0].snippet
    assert index(data).search("zebra quantum", "character", k=3) == []


def test_rebuilds_only_when_content_changes(data: Path) -> None:
    idx = index(data)
    assert idx.refresh() is True and idx.builds == 1
    assert idx.refresh() is False  # nothing changed
    touched = data / "gui" / "portable.md"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    assert idx.refresh() is False  # new time, same content hash
    write(data, "added", "character", extra="Zebra crossing.")
    assert idx.refresh() is True and idx.builds == 2
    assert [hit.id for hit in idx.search("zebra", "character", k=3)] == ["gui/added"]
    (data / "gui" / "added.md").unlink()
    assert idx.search("zebra", "character", k=3) == [] and idx.builds == 3


def test_refresh_interval_limits_rescans(data: Path) -> None:
    idx = ExampleIndex(data, load_config([data.parent]), refresh_interval=3600)
    idx.refresh()
    write(data, "late", "character", extra="Zebra.")
    assert idx.search("zebra", "character", k=3) == []  # not looked at again yet
    assert idx.refresh(force=True) is True
    assert [hit.id for hit in idx.search("zebra", "character", k=3)] == ["gui/late"]


def test_api_classes_follow_the_generation(data: Path) -> None:
    retriever = Retriever(index(data))
    assert [hit.id for hit in retriever.retrieve("a BBjButton", "bbj-gui", k=0, api_k=1)] == ["api:BBjButton"]
    assert [hit.id for hit in retriever.retrieve("a BBjButton", "dwc", k=0, api_k=1)] == ["api:BBjButton"]
    assert "api:BBjButton" not in {hit.id for hit in retriever.retrieve("a BBjButton", "character", k=0, api_k=20)}
    both = retriever.retrieve("push button callback", "bbj-gui", k=2, api_k=1)
    assert [hit.id.startswith("api:") for hit in both] == [False, False, True]


def test_tokens_split_bbj_names() -> None:
    assert tokens("button!.setCallback(ON_BUTTON_PUSH)") == ["button", "setcallback", "set", "callback", "on_button_push", "on", "button", "push"]


def test_missing_folder_is_an_empty_index(tmp_path: Path) -> None:
    assert ExampleIndex(tmp_path / "nope", load_config([tmp_path])).search("x", "all", 3) == []


def test_a_restart_parses_only_what_changed(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bbj_mcp import retrieval

    parsed: list[str] = []
    real_parse = retrieval._parse

    def counting_parse(raw: bytes, target: Any) -> Any:
        parsed.append(target.path.name)
        return real_parse(raw, target)

    monkeypatch.setattr(retrieval, "_parse", counting_parse)
    store = tmp_path / "cache" / "documents.json"
    first = ExampleIndex(data, load_config([data.parent]), refresh_interval=0, store=store)
    expected = {hit.id for hit in first.search(QUERY, "bbj-gui", k=10)}
    assert len(parsed) == 8 and store.is_file()
    parsed.clear()
    write(data, "gui-only", "bbj-gui", extra="Changed while the server was down.")
    second = ExampleIndex(data, load_config([data.parent]), refresh_interval=0, store=store)
    assert {hit.id for hit in second.search(QUERY, "bbj-gui", k=10)} == expected
    assert parsed == ["gui-only.md"]
    store.write_text("{not json", "utf-8")  # a broken store is only a cache miss
    parsed.clear()
    third = ExampleIndex(data, load_config([data.parent]), refresh_interval=0, store=store)
    assert {hit.id for hit in third.search(QUERY, "bbj-gui", k=10)} == expected and len(parsed) == 8
