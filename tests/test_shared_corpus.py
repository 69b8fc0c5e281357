"""The shared-corpus helper says what it did not run: a skip with the reason outside CI, a
failure under CI=true (CI always has ../shared/bbj-corpus)."""

from __future__ import annotations

import pytest
import shared_corpus


def test_missing_corpus_is_a_skip_outside_ci_and_a_failure_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"not found: \.\./shared/bbj-corpus not present"):
        shared_corpus.require("no-such-part")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true runs always have it"):
        shared_corpus.require("no-such-part")
    monkeypatch.setattr(shared_corpus, "CORPUS", shared_corpus.CORPUS / "no-such-folder")
    assert shared_corpus.missing() is False  # under CI a skipif never hides the corpus tests


def test_present_corpus_is_returned() -> None:
    if not shared_corpus.CORPUS.is_dir():
        pytest.skip(shared_corpus.REASON)
    assert shared_corpus.require("files").is_dir()
