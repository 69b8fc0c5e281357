"""Review TUI benchmark: the app on N generated examples, driven headless with Pilot.

    .venv/bin/python bench/bench_tui.py --count 10000 --runs 3 [--baseline]

Timed, median of --runs fresh app starts:
  first paint   app start until Textual's Ready event (first frame on screen, table still empty)
  table filled  app start until the fast front matter pass has filled the table
  checks done   app start until the background checks (lint + dedupe; --compile adds the
                compile step) have filled in the findings counts
  filter        one filter change (a Select or the search text): the handler that re-selects
                and re-sorts all rows and swaps them into the table (handler), and the same
                plus Pilot's wait for the repaint (to repaint); measured after the checks, and
                once while the checks still run (the worker thread competes for the GIL)
--baseline adds Textual's DataTable refilled with the same N rows (add_rows, then the repaint),
the reason the browser uses its own virtual table."""

from __future__ import annotations

import argparse
import asyncio
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
from gen_examples import generate
from textual.widgets import Input, Select

from curate.checks import CheckOptions
from curate.config import load_config
from curate.tui.app import ReviewApp
from curate.tui.screens.browser import entry_cells

SIZE = (160, 48)
FILTER_STEPS = [
    ("select", "topic", "gui"),
    ("select", "type", "completion"),
    ("text", "", "customer"),
    ("select", "generation", "bbj-gui"),
    ("text", "", ""),
    ("select", "topic", None),
    ("select", "type", None),
    ("select", "generation", None),
]


class TimedApp(ReviewApp):
    """ReviewApp that records when each stage finished (perf_counter seconds)."""

    marks: dict[str, float]
    frames: list[float]

    def on_ready(self) -> None:
        self.marks["first paint"] = time.perf_counter()
        super().on_ready()

    def _add_entries(self, entries) -> None:  # type: ignore[no-untyped-def]
        super()._add_entries(entries)
        self.marks.setdefault("first rows", time.perf_counter())

    def _indexed(self, problems) -> None:  # type: ignore[no-untyped-def]
        super()._indexed(problems)
        self.marks["table filled"] = time.perf_counter()

    def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None:
            self.frames.append(time.perf_counter())
        super()._display(screen, renderable)

    def _checked(self, diagnostics, generation, failure="") -> None:  # type: ignore[no-untyped-def]
        super()._checked(diagnostics, generation, failure)
        self.marks["checks done"] = time.perf_counter()


def timed_refresh(app: ReviewApp, handler: list[tuple[float, float]]) -> None:
    """Wrap the browser's refresh so each filter change records (handler seconds, end time)."""
    browser = app.browser
    original = browser.refresh_rows

    def refresh_rows() -> None:
        start = time.perf_counter()
        original()
        end = time.perf_counter()
        handler.append((end - start, end))

    browser.refresh_rows = refresh_rows  # type: ignore[method-assign]


async def apply_filters(app: TimedApp, steps, handler: list[tuple[float, float]]) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Each change, timed until the first frame composed after its handler ran: wall seconds,
    and CPU seconds of this process (what a busy, shared machine does not inflate)."""
    repaint, cpu = [], []
    for kind, name, value in steps:
        handled = len(handler)
        start, cpu_start = time.perf_counter(), time.process_time()
        if kind == "select":
            widget = app.browser.query_one(f"#filter-{name}", Select)
            widget.value = value if value is not None else Select.NULL
        else:
            app.browser.query_one("#filter-text", Input).value = value
        while len(handler) == handled or app.frames[-1] < handler[-1][1]:
            await asyncio.sleep(0.002)
        repaint.append(app.frames[-1] - start)
        cpu.append(time.process_time() - cpu_start)
        await asyncio.sleep(0.05)
    return repaint, cpu


async def one_run(data: Path, options: CheckOptions) -> dict[str, float]:
    paths = [data / "training-data"]
    app = TimedApp(paths, load_config(paths), options, reviewer="bench")
    app.marks, app.frames = {}, [0.0]
    result: dict[str, float] = {}
    start = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        while "table filled" not in app.marks:
            await asyncio.sleep(0.005)
        handler: list[tuple[float, float]] = []
        timed_refresh(app, handler)
        if "checks done" not in app.marks:
            during, _ = await apply_filters(app, FILTER_STEPS[:2] + FILTER_STEPS[-3:-1], handler)
            result["filter during checks: to repaint"] = statistics.median(during)
            result["filter during checks: handler"] = statistics.median(d for d, _ in handler)
            handler.clear()
        await app.workers.wait_for_complete()
        await pilot.pause()
        repaint, cpu = await apply_filters(app, FILTER_STEPS, handler)
        result["filter: handler"] = statistics.median(d for d, _ in handler)
        result["filter: to repaint"] = statistics.median(repaint)
        result["filter: to repaint, CPU"] = statistics.median(cpu)
        result["rows"] = float(len(app.entries))
    for mark in ("first paint", "first rows", "table filled", "checks done"):
        result[mark] = app.marks.get(mark, float("nan")) - start
    return result


async def datatable_baseline(app_entries: list, runs: int) -> float:  # type: ignore[type-arg]
    """Textual's DataTable refilled with the same rows: add_rows, then wait for the repaint."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Baseline(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    rows = [entry_cells(e) for e in app_entries]
    times = []
    app = Baseline()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.query_one(DataTable)
        grid.add_columns("Title", "Topic", "Type", "Generation", "Difficulty", "Status", "Findings")
        for _ in range(runs):
            start = time.perf_counter()
            grid.clear()
            grid.add_rows(rows)
            await pilot.pause()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000, help="examples to generate")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="lint processes in the checks' child process (default: all cores)")
    parser.add_argument("--compile", action="store_true", help="include the compile check in the background checks")
    parser.add_argument("--baseline", action="store_true", help="also time Textual's DataTable with the same rows")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="bench-tui-"))
    try:
        (data / "pyproject.toml").write_text('[tool.bbj-curate]\nreviewer = "bench"\n', "utf-8")
        generate(data / "training-data", args.count)
        options = CheckOptions(jobs=args.jobs, compile=args.compile, dedupe=True)
        results = [asyncio.run(one_run(data, options)) for _ in range(args.runs)]
        keys = [k for k in results[0] if k != "rows"]
        rows = [
            (k, f"{statistics.median(r[k] for r in results if k in r) * 1000:,.0f} ms", ", ".join(f"{r[k] * 1000:,.0f}" for r in results if k in r))
            for k in keys
        ]
        if args.baseline:
            from curate.tui.store import scan

            entries, _ = scan([data / "training-data"], load_config([data / "training-data"]))
            baseline = asyncio.run(datatable_baseline(entries, args.runs))
            rows.append(("DataTable baseline: refill + repaint", f"{baseline * 1000:,.0f} ms", ""))
        print(f"machine: {machine()}")
        print(f"command: {' '.join(sys.argv)}  ({int(results[0]['rows']):,} examples, checks: jobs={args.jobs}, compile={args.compile}, dedupe=True)")
        print(table(rows, ("stage", "median", "runs (ms)")))
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
