"""Rating TUI benchmark (`bbj-curate review --eval`): an eval run of N cases x 2 models,
driven headless (Textual's test driver).

    .venv/bin/python bench/bench_rating.py --cases 1000 --runs 3

Keys are sent as the terminal driver sends them; a frame's moment is taken when the app writes
it to the driver (wall and CPU seconds of this process, which a busy machine does not inflate).
Timed, median of --runs fresh starts (each the median of --steps keys):
  first paint   reading samples.jsonl and ratings.jsonl (what the command does before the app
                starts) until Textual's Ready event: the first case is on screen
  next case     PageDown until the first frame after the handler filled the prompt, both
                answers and their findings: the next case on screen
  next case, settled   until the last frame of that key (a size change of the panes costs one
                or two more layout passes, which redraw the scrollbars)
  next case, no time to read   keys back to back, each sent once the last one settled: the
                next case is not coloured and wrapped ahead (the worst case)
  next case, handler   the handler alone (show_case)
  baseline: score key   a key that redraws only the form: the smallest repaint
  save          a complete rating saved (append + fsync) and the case redrawn with the names
The answers are the benchmark's references and a variant with a planted error, so the screen
colours real BBj of every generation; half of the cases already carry a rating (a resume).
Keys come --gap seconds apart (a reviewer reads a case before the next key): in that time the
next case is coloured and wrapped, after the current one is painted."""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import machine, table
from textual import events

from curate.config import load_config
from curate.rating.samples import load_run
from curate.rating.store import Rating, append_rating
from curate.tui.rating_app import RatingApp

SIZE = (160, 48)
MODELS = ("tuned", "base")


def write_run(folder: Path, count: int) -> Path:
    """samples.jsonl with `count` cases (the benchmark's, repeated) and ratings for every other case."""
    bench = [json.loads(line) for line in (ROOT / "benchmark" / "bbj-bench-v1.jsonl").read_text("utf-8").splitlines()]
    run = folder / "evals" / "bench-run"
    run.mkdir(parents=True)
    (folder / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
    lines = []
    for i in range(count):
        case = bench[i % len(bench)]
        expects = "code" if case["type"] in ("completion", "migration") else "prose"
        base = {
            "case_id": f"case-{i:05d}",
            "prompt": case["prompt"],
            "generation": case["generation"],
            "type": case["type"],
            "difficulty": case["difficulty"],
            "topic": case["topic"],
            "expects": expects,
            "reference": case["reference"],
            "sample": 0,
            "round": 0,
        }
        broken = case["reference"].replace("setCallback", "addEventListener").replace("methodend", "end method")
        diags = [{"line": 3, "col": 5, "code": "BBJ511", "severity": "error", "message": "BBjButton has no method addEventListener"}]
        lines.append({**base, "model": "tuned", "raw": case["reference"], "code": None, "status": "ok", "diagnostics": []})
        lines.append({**base, "model": "base", "raw": broken, "code": None, "status": "syntax-error", "diagnostics": diags})
    (run / "samples.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    scores = {m: {"code_quality": 3, "idiomatic": 4} for m in MODELS}
    for i in range(0, count, 2):
        append_rating(run, Rating(f"case-{i:05d}", "bench", "tuned", "base", scores, "tie", None, "t"))
    return run


class TimedApp(RatingApp):
    marks: dict[str, float]
    frames: list[tuple[float, float]]  # (wall, CPU) when a frame was written

    def on_ready(self) -> None:
        self.marks["first paint"] = time.perf_counter()
        self.marks["first paint, CPU"] = time.process_time()

    def save_rating(self, rating: Rating) -> bool:
        saved = super().save_rating(rating)
        self.marks["saved"] = time.perf_counter()
        return saved

    def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        super()._display(screen, renderable)
        if renderable is not None:
            self.frames.append((time.perf_counter(), time.process_time()))


async def until_frame_after(app: TimedApp, moment: float) -> float:
    while app.frames[-1][0] < moment:
        await asyncio.sleep(0.001)
    return next(wall for wall, _ in app.frames if wall >= moment)


async def transition(app: TimedApp, key: str, done: Callable[[], float | None], quiet: float = 0.03) -> tuple[float, float, float, float]:
    """Send `key` as the terminal driver does; once no frame came for `quiet` seconds: wall and
    CPU seconds from the key to the first frame written after `done()` (the moment the key's
    work ended) and to the last frame."""
    begin, cpu_begin = time.perf_counter(), time.process_time()
    event = events.Key(key, None)
    event.set_sender(app)
    app._driver.send_message(event)  # type: ignore[union-attr]
    while (moment := done()) is None or moment < begin or app.frames[-1][0] < moment:
        await asyncio.sleep(0.001)
    while True:
        count = len(app.frames)
        await asyncio.sleep(quiet)
        if len(app.frames) == count:
            break
    frames = [frame for frame in app.frames if frame[0] >= moment]
    return frames[0][0] - begin, frames[0][1] - cpu_begin, frames[-1][0] - begin, frames[-1][1] - cpu_begin


def medians(rows: Sequence[Sequence[float]]) -> list[float]:
    return [statistics.median(column) for column in zip(*rows, strict=True)]


async def one_run(run_dir: Path, steps: int, gap: float) -> dict[str, float]:
    start, cpu_start = time.perf_counter(), time.process_time()
    run = load_run(run_dir)
    app = TimedApp(run, MODELS, load_config([run_dir]), "bench")
    app.marks, app.frames = {}, [(0.0, 0.0)]
    result: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        while "first paint" not in app.marks:
            await asyncio.sleep(0.002)
        result["first paint"] = app.marks["first paint"] - start
        result["first paint, CPU"] = app.marks["first paint, CPU"] - cpu_start
        await pilot.pause()
        screen = app.screen_view
        handler: list[tuple[float, float]] = []  # (seconds in the handler, when it returned)
        original = screen.show_case

        def timed(index: int) -> None:
            begin = time.perf_counter()
            original(index)
            handler.append((time.perf_counter() - begin, time.perf_counter()))

        def shown() -> float | None:
            return handler[-1][1] if handler else None

        screen.show_case = timed  # type: ignore[method-assign]
        form_drawn: list[float] = []
        refresh_form = screen.refresh_form

        def timed_form() -> None:
            refresh_form()
            form_drawn.append(time.perf_counter())

        screen.refresh_form = timed_form  # type: ignore[method-assign]
        read, rushed = [], []
        for _ in range(steps):
            await asyncio.sleep(gap)
            read.append(await transition(app, "pagedown", shown))
        for _ in range(steps):
            rushed.append(await transition(app, "pagedown", shown))
        names = ("next case", "next case, CPU", "next case, settled", "next case, settled, CPU")
        result.update(zip(names, medians(read), strict=True))
        result["next case, no time to read: settled"], result["next case, no time to read: settled, CPU"] = medians(rushed)[2:]
        result["next case, handler"] = statistics.median(h for h, _ in handler[:steps])
        baseline = []
        for _ in range(steps):  # baseline: a key that only redraws the form (a score)
            await asyncio.sleep(gap)
            baseline.append(await transition(app, "3", lambda: form_drawn[-1] if form_drawn else None))
            await pilot.press("up")
        result["baseline: score key"], result["baseline: score key, CPU"] = medians(baseline)[:2]
        saves = []
        for _ in range(5):
            while (app.screen_view.case.id, "bench") in app.ratings.by_key:
                await pilot.press("pagedown")
            await pilot.press("4", "4", "2", "2", "left")
            await pilot.pause()
            begin = time.perf_counter()
            await pilot.press("enter")
            saves.append(await until_frame_after(app, app.marks["saved"]) - begin)
        result["save"] = statistics.median(saves)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--steps", type=int, default=30, help="next-case presses timed per run")
    parser.add_argument("--gap", type=float, default=0.2, help="seconds between two keys (a reviewer reading)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-rating-"))
    try:
        results = []
        for _ in range(args.runs):  # a fresh run folder each time: the saves of one run do not leak
            shutil.rmtree(folder / "evals", ignore_errors=True)
            results.append(asyncio.run(one_run(write_run(folder, args.cases), args.steps, args.gap)))
        size = (folder / "evals" / "bench-run" / "samples.jsonl").stat().st_size
        rows: list[tuple[str, ...]] = [
            (k, f"{statistics.median(r[k] for r in results) * 1000:,.1f} ms", ", ".join(f"{r[k] * 1000:,.1f}" for r in results)) for k in results[0]
        ]
        print(f"machine: {machine()}")
        print(f"command: {' '.join(sys.argv)}  ({args.cases:,} cases x 2 models, samples.jsonl {size / 1e6:.1f} MB, {args.cases // 2:,} rated)")
        print(table(rows, ("stage", "median", "runs (ms)")))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
