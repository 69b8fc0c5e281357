"""`evals/<run>/ratings.jsonl`: one line per saved rating of one case by one reviewer.

Appends are atomic: the whole line goes out in one `write` on an O_APPEND descriptor under an
exclusive lock, then fsync, so a crash or a second reviewer writing at the same time never
interleaves or tears a line; a tail left by a power loss is fenced off by a newline before the
next append and dropped, with its line number, on read. Re-rating a case appends a new line:
on read the last line of each (case, reviewer) wins, so nothing is rewritten in place.

Scores are stored per model name, never per side; `left`/`right` record what the reviewer saw,
so position bias can be checked."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from curate.errors import InputError
from curate.jsonl import JsonLines
from curate.safeio import UnsafeFile

RATINGS_FILE = "ratings.jsonl"
DIMENSIONS = ("code_quality", "idiomatic", "explanation")
DIMENSION_NAMES = {"code_quality": "code quality", "idiomatic": "idiomatic", "explanation": "explanation accuracy"}
CODE_DIMENSIONS = ("code_quality", "idiomatic")
PROSE_DIMENSIONS = ("idiomatic", "explanation")
TIE = "tie"
RATINGS_LIMIT = 256 << 20  # 256 MiB: about half a million ratings
SCORES = range(1, 6)


def dimensions_for(expects: str) -> tuple[str, ...]:
    """What an answer is rated on: code answers on code quality and idiom, prose answers on
    idiom and the accuracy of the explanation."""
    return PROSE_DIMENSIONS if expects == "prose" else CODE_DIMENSIONS


def swapped(case_id: str, reviewer: str, models: tuple[str, str], seed: int = 0) -> bool:
    """Whether `models[1]` is shown on the left: a coin flip that is the same every time this
    reviewer opens this case (resume shows the same layout) and independent across cases."""
    key = "\0".join((str(seed), reviewer, case_id, *sorted(models)))
    flip = hashlib.sha256(key.encode("utf-8")).digest()[0] & 1
    return bool(flip) != (models[0] > models[1])


def sides(case_id: str, reviewer: str, models: tuple[str, str], seed: int = 0) -> tuple[str, str]:
    """(left model, right model) for this case and reviewer."""
    return (models[1], models[0]) if swapped(case_id, reviewer, models, seed) else models


@dataclass(frozen=True)
class Rating:
    """One reviewer's verdict on one case: scores per model, the preferred model (or tie)."""

    case_id: str
    reviewer: str
    left: str
    right: str
    scores: dict[str, dict[str, int]]  # model -> dimension -> 1..5
    preference: str  # a model name or "tie"
    note: str | None = None
    time: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @property
    def models(self) -> tuple[str, str]:
        return self.left, self.right

    def outcome(self, model: str) -> float | None:
        """1 win, 0.5 tie, 0 loss for `model`; None when it was not in this comparison."""
        if model not in self.models:
            return None
        return 0.5 if self.preference == TIE else float(self.preference == model)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class RatingError(ValueError):
    """A ratings line that does not describe a rating."""


def parse_rating(record: object) -> Rating:
    """A Rating from one decoded line; RatingError says what is wrong."""
    if not isinstance(record, dict):
        raise RatingError("not a JSON object")
    for key in ("case_id", "reviewer", "left", "right", "preference"):
        if not isinstance(record.get(key), str) or not record[key]:
            raise RatingError(f"missing or empty {key!r}")
    left, right = record["left"], record["right"]
    if left == right:
        raise RatingError("left and right name the same model")
    if record["preference"] not in (left, right, TIE):
        raise RatingError(f"preference {record['preference']!r} is neither model nor 'tie'")
    scores = record.get("scores")
    if not isinstance(scores, dict) or set(scores) != {left, right}:
        raise RatingError("scores must hold exactly the two models")
    clean: dict[str, dict[str, int]] = {}
    for model, dims in scores.items():
        if not isinstance(dims, dict) or not dims:
            raise RatingError(f"no scores for {model}")
        for dim, value in dims.items():
            if dim not in DIMENSIONS:
                raise RatingError(f"unknown dimension {dim!r}")
            if type(value) is not int or value not in SCORES:
                raise RatingError(f"{model} {dim} = {value!r}, not 1-5")
        clean[model] = dict(dims)
    note = record.get("note")
    return Rating(
        record["case_id"],
        record["reviewer"],
        left,
        right,
        clean,
        record["preference"],
        note if isinstance(note, str) and note else None,
        str(record.get("time", "")),
    )


def append_rating(run_dir: Path, rating: Rating) -> None:
    """Append one line atomically (see the module docstring)."""
    data = (rating.to_json() + "\n").encode("utf-8")
    fd = os.open(run_dir / RATINGS_FILE, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            os.write(fd, b"\n")  # fence off a torn tail so this line stays whole
        written = os.write(fd, data)
        if written != len(data):
            raise OSError(f"short write to {RATINGS_FILE} ({written} of {len(data)} bytes)")
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock


@dataclass
class Ratings:
    """The current ratings of a run: the last line of each (case, reviewer)."""

    by_key: dict[tuple[str, str], Rating]
    dropped: list[str]
    lines: int = 0

    def all(self) -> list[Rating]:
        return list(self.by_key.values())

    def reviewers(self) -> list[str]:
        return sorted({reviewer for _, reviewer in self.by_key})

    def of(self, case_id: str, reviewer: str) -> Rating | None:
        return self.by_key.get((case_id, reviewer))


def load_ratings(run_dir: Path) -> Ratings:
    """Every reviewer's ratings, last line wins; bad lines are dropped with a reason."""
    path = run_dir / RATINGS_FILE
    result = Ratings({}, [])
    if not os.path.lexists(path):
        return result
    reader = JsonLines(path, limit=RATINGS_LIMIT, objects=False)
    try:
        for item in reader:
            try:
                rating = parse_rating(item.value)
            except RatingError as exc:
                result.dropped.append(f"{RATINGS_FILE}:{item.line}: {exc}")
                continue
            result.by_key.pop((rating.case_id, rating.reviewer), None)  # re-rated: moves to the end
            result.by_key[(rating.case_id, rating.reviewer)] = rating
    except UnsafeFile as exc:
        raise InputError(f"{path}: {exc.message}") from None
    result.lines = reader.lines
    result.dropped = sorted(result.dropped + [f"{RATINGS_FILE}:{d.line}: {d.message}" for d in reader.dropped], key=_line_of)
    return result


def _line_of(reason: str) -> int:
    return int(reason.split(":")[1])
