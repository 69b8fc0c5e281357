"""ratings.jsonl and samples.jsonl: layout, atomic appends, last-wins, accounting of lines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from curate.rating.samples import load_run
from curate.rating.store import (
    RATINGS_FILE,
    Rating,
    append_rating,
    load_ratings,
    sides,
    swapped,
)

ROOT = Path(__file__).resolve().parents[2]


def rating(case_id: str, reviewer: str, pref: str = "tuned", score: int = 4) -> Rating:
    scores = {"tuned": {"code_quality": score, "idiomatic": 5}, "base": {"code_quality": 2, "idiomatic": 1}}
    return Rating(case_id, reviewer, "tuned", "base", scores, pref, None, "2026-01-01T00:00:00+00:00")


def test_layout_is_fixed_per_case_and_reviewer_and_random_across_cases() -> None:
    pair = ("tuned", "base")
    ids = [f"case-{i}" for i in range(400)]
    flips = [swapped(i, "Ada", pair) for i in ids]
    assert flips == [swapped(i, "Ada", pair) for i in ids]  # same every time (resume)
    assert 0.4 < sum(flips) / len(flips) < 0.6
    assert [sides(i, "Ada", pair) for i in ids] == [sides(i, "Ada", ("base", "tuned")) for i in ids]
    assert flips != [swapped(i, "Bob", pair) for i in ids]  # each reviewer has a layout
    assert flips != [swapped(i, "Ada", pair, seed=1) for i in ids]


def test_last_line_wins_and_reviewers_are_kept_apart(tmp_path: Path) -> None:
    append_rating(tmp_path, rating("c1", "Ada", score=2))
    append_rating(tmp_path, rating("c1", "Bob"))
    append_rating(tmp_path, rating("c1", "Ada", pref="tie", score=5))
    loaded = load_ratings(tmp_path)
    assert loaded.reviewers() == ["Ada", "Bob"]
    ada = loaded.of("c1", "Ada")
    assert ada is not None and ada.preference == "tie" and ada.scores["tuned"]["code_quality"] == 5
    assert len(loaded.all()) == 2 and not loaded.dropped


def test_a_torn_tail_is_fenced_off_and_reported(tmp_path: Path) -> None:
    append_rating(tmp_path, rating("c1", "Ada"))
    with (tmp_path / RATINGS_FILE).open("a", encoding="utf-8") as handle:
        handle.write('{"case_id": "c2", "revie')  # a crash in the middle of a write
    append_rating(tmp_path, rating("c3", "Ada"))
    loaded = load_ratings(tmp_path)
    assert sorted(case for case, _ in loaded.by_key) == ["c1", "c3"]
    assert len(loaded.dropped) == 1 and loaded.dropped[0].startswith(f"{RATINGS_FILE}:2:")


def test_bad_lines_are_dropped_with_the_reason(tmp_path: Path) -> None:
    good = json.loads(rating("c1", "Ada").to_json())
    lines = [
        {**good, "scores": {"tuned": {"code_quality": 6}, "base": {"code_quality": 1}}},
        {**good, "preference": "gpt"},
        {**good, "scores": {"tuned": {"code_quality": 3}}},
        {**good, "scores": {"tuned": {"speed": 3}, "base": {"code_quality": 1}}},
        {**good, "reviewer": ""},
    ]
    (tmp_path / RATINGS_FILE).write_text("".join(json.dumps(x) + "\n" for x in lines) + "[]\n", "utf-8")
    loaded = load_ratings(tmp_path)
    assert not loaded.all()
    reasons = "\n".join(loaded.dropped)
    for expected in ("not 1-5", "neither model", "exactly the two models", "unknown dimension", "'reviewer'", "not a JSON object"):
        assert expected in reasons
    assert [d.split(":")[1] for d in loaded.dropped] == ["1", "2", "3", "4", "5", "6"]


WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from curate.rating.store import Rating, append_rating
folder, who = Path(sys.argv[1]), sys.argv[2]
scores = {{"tuned": {{"code_quality": 4, "idiomatic": 4}}, "base": {{"code_quality": 3, "idiomatic": 3}}}}
for i in range(int(sys.argv[3])):
    append_rating(folder, Rating(f"c{{i}}", who, "tuned", "base", scores, "tie", "x" * 3000, "t"))
"""


def test_concurrent_and_killed_writers_never_tear_a_line(tmp_path: Path) -> None:
    """Two real processes append at once while a third is killed mid-run: every line parses."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT)), "utf-8")
    both = [subprocess.Popen([sys.executable, str(script), str(tmp_path), who, "150"]) for who in ("Ada", "Bob")]
    victim = subprocess.Popen([sys.executable, str(script), str(tmp_path), "Eve", "100000"])
    deadline = time.monotonic() + 20
    while not (tmp_path / RATINGS_FILE).exists() or "Eve" not in (tmp_path / RATINGS_FILE).read_text("utf-8"):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert all(p.wait(timeout=60) == 0 for p in both)
    loaded = load_ratings(tmp_path)
    assert not loaded.dropped
    counts = {who: sum(1 for _, r in loaded.by_key if r == who) for who in ("Ada", "Bob")}
    assert counts == {"Ada": 150, "Bob": 150}
    assert (tmp_path / RATINGS_FILE).read_bytes().endswith(b"\n")


def test_samples_every_line_accounted_for(eval_run: Path) -> None:
    run = load_run(eval_run)
    assert run.models == ["tuned", "base"]  # the report's order
    assert [c.id for c in run.cases] == ["c1", "c2", "c3", "c4"]
    assert len(run.answers) == 8 and run.skipped == 2
    assert len(run.dropped) == 1 and run.dropped[0].startswith("samples.jsonl:11: not JSON")
    assert run.cases[2].expects == "prose"
    assert run.answer("c1", "base") is not None and run.answer("c1", "base").status == "syntax-error"  # type: ignore[union-attr]
