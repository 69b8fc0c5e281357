"""Rating TUI benchmark (`bbj-curate review --eval`): an eval run of N cases x 2 models,
driven headless with Pilot.

    .venv/bin/python bench/bench_rating.py --cases 1000 --runs 3

Timed, median of --runs fresh starts:
  first paint   reading samples.jsonl and ratings.jsonl (what the command does before the app
                starts) until Textual's Ready event: the first case is on screen
  first paint, CPU   the same in CPU seconds of this process
  next case     one key (PageDown: the next case) until the first frame composed after the
                handler filled the prompt, both answers and their findings (median of --steps)
  next case, CPU   the same in CPU seconds of this process (what a busy machine does not inflate)
  next case, handler   the handler alone (show_case)
  baseline      a score key, which redraws only the form: CPU seconds of the smallest repaint
  save          a complete rating saved (append + fsync) and the case redrawn with the names
The answers are the benchmark's references and a variant with a planted error, so the screen
colours real BBj of every generation; half of the cases already carry a rating (a resume)."""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import machine, table

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
    frames: list[float]

    def on_ready(self) -> None:
        self.marks["first paint"] = time.perf_counter()
        self.marks["first paint, CPU"] = time.process_time()

    def save_rating(self, rating: Rating) -> bool:
        saved = super().save_rating(rating)
        self.marks["saved"] = time.perf_counter()
        return saved

    def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None:
            self.frames.append(time.perf_counter())
        super()._display(screen, renderable)


async def until_frame_after(app: TimedApp, moment: float) -> float:
    while app.frames[-1] < moment:
        await asyncio.sleep(0.001)
    return app.frames[-1]


async def one_run(run_dir: Path, steps: int) -> dict[str, float]:
    start, cpu_start = time.perf_counter(), time.process_time()
    run = load_run(run_dir)
    app = TimedApp(run, MODELS, load_config([run_dir]), "bench")
    app.marks, app.frames = {}, [0.0]
    result: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        while "first paint" not in app.marks:
            await asyncio.sleep(0.002)
        result["first paint"] = app.marks["first paint"] - start
        result["first paint, CPU"] = app.marks["first paint, CPU"] - cpu_start
        await pilot.pause()
        screen = app.screen_view
        handler, repaint, cpu = [], [], []
        original = screen.show_case

        def timed(index: int) -> None:
            begin = time.perf_counter()
            original(index)
            handler.append((time.perf_counter() - begin, time.perf_counter()))

        screen.show_case = timed  # type: ignore[method-assign]
        for _ in range(steps):
            begin, cpu_begin = time.perf_counter(), time.process_time()
            await pilot.press("pagedown")
            while not handler or handler[-1][1] < begin:
                await asyncio.sleep(0.001)
            repaint.append(await until_frame_after(app, handler[-1][1]) - begin)
            cpu.append(time.process_time() - cpu_begin)
            await asyncio.sleep(0.02)
        result["next case"] = statistics.median(repaint)
        result["next case, CPU"] = statistics.median(cpu)
        baseline = []
        for _ in range(steps):  # baseline: a key that only redraws the form (a score)
            frames = len(app.frames)
            cpu_begin = time.process_time()
            await pilot.press("3")
            while len(app.frames) == frames:
                await asyncio.sleep(0.001)
            baseline.append(time.process_time() - cpu_begin)
            await pilot.press("up")
            await asyncio.sleep(0.02)
        result["baseline: score key, CPU"] = statistics.median(baseline)
        result["next case, handler"] = statistics.median(h for h, _ in handler)
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
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-rating-"))
    try:
        results = []
        for _ in range(args.runs):  # a fresh run folder each time: the saves of one run do not leak
            shutil.rmtree(folder / "evals", ignore_errors=True)
            results.append(asyncio.run(one_run(write_run(folder, args.cases), args.steps)))
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
