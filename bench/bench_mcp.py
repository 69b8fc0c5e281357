"""MCP server speed: server start (spawn to `initialize` answered, over stdio), `check_bbj_code` on a
300-line program (median round-trip over stdio after start, against the same check in-process),
and retrieval over 10,000 generated examples (per query, after the index is built).

    .venv/bin/python bench/bench_mcp.py --runs 5 --calls 30 --count 10000 --queries 200
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
from benchlib import machine, table
from gen_examples import generate
from mcp import Client, StdioServerParameters

REPO = Path(__file__).resolve().parents[1]
QUERIES = [
    ("a window with a button that saves the customer", "bbj-gui"),
    ("print the invoice total for every order", "all"),
    ("terminal screen asking for the account name", "character"),
    ("style the ledger window in the browser", "dwc"),
    ("PRINT (sysgui) window for stock items", "vpro5"),
    ("loop over the vendor records and count them", "all"),
]


def program(lines: int = 300) -> str:
    """A realistic BBj GUI program of exactly `lines` lines: controls, callbacks, a loop, strings."""
    head = [
        "rem Order entry: a window with one edit box and one button per field",
        "sysgui! = BBjAPI().getSysGui()",
        'window! = sysgui!.addWindow(50, 50, 640, 900, "Order entry")',
        'window!.setCallback(window!.ON_CLOSE, "on_close")',
    ]
    body: list[str] = []
    handlers: list[str] = []
    field = 0
    while len(head) + len(body) + len(handlers) + 6 < lines:
        field += 1
        y = 10 + field * 30
        body += [
            f'edit{field}! = window!.addEditBox({100 + field}, 120, {y}, 200, 25, "")',
            f'button{field}! = window!.addButton({300 + field}, 330, {y}, 90, 25, "Check {field}")',
            f'button{field}!.setCallback(button{field}!.ON_BUTTON_PUSH, "on_check{field}")',
        ]
        handlers += [
            f"on_check{field}:",
            f"    text$ = edit{field}!.getText()",
            "    for i = 1 to len(text$)",
            '        if text$(i, 1) = " " then count = count + 1',
            "    next i",
            f'    answer = msgbox("Field {field}: " + str(count) + " blanks", 64, "Check")',
            "return",
        ]
    tail = ["process_events", "", "on_close:", "release"]
    code = head + body + tail + handlers
    return "\n".join((code + ["rem end of program"] * lines)[:lines]) + "\n"


async def stdio_session(params: StdioServerParameters, code: str, calls: int) -> tuple[float, list[float], dict[str, Any]]:
    started = time.perf_counter()
    async with Client(params) as client:
        ready = time.perf_counter() - started
        times = []
        result: Any = None
        for _ in range(calls + 1):  # the first call loads the checker; it is not counted
            begin = time.perf_counter()
            result = await client.call_tool("check_bbj_code", {"code": code})
            times.append(time.perf_counter() - begin)
        return ready, times[1:], result.structured_content


def startup_cpu(folder: str, runs: int) -> float:
    """CPU seconds (user + system) of a server that starts, reads EOF on stdin and exits: the
    steadier start figure on a loaded machine, where wall time mostly measures the neighbours."""
    import resource
    import subprocess

    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "bbj_mcp", "--checker", "builtin", "--project", folder], stdin=subprocess.DEVNULL, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def bench_server(runs: int, calls: int, code: str) -> list[tuple[str, ...]]:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "pyproject.toml").write_text("[tool.bbj-curate]\n")
        params = StdioServerParameters(command=sys.executable, args=["-m", "bbj_mcp", "--checker", "builtin", "--project", folder])
        starts, trips = [], []
        verdict: dict[str, Any] = {}
        for _ in range(runs):
            ready, times, verdict = anyio.run(stdio_session, params, code, calls)
            starts.append(ready)
            trips.extend(times)
        cpu = startup_cpu(folder, runs)
    from bbj_mcp.check import CodeChecker
    from curate.config import CurateConfig

    checker = CodeChecker(CurateConfig(), "builtin")
    checker.check(code)
    direct = []
    for _ in range(calls):
        begin = time.perf_counter()
        checker.check(code)
        direct.append(time.perf_counter() - begin)
    trip, inproc, start = statistics.median(trips), statistics.median(direct), statistics.median(starts)
    print(f"300-line program: {len(verdict['diagnostics'])} findings, ok={verdict['ok']}")
    return [
        ("server start over stdio (spawn -> initialize answered)", f"{start * 1000:.0f} ms", "1000 ms", f"{start:.2f}"),
        ("server start, CPU time (user + system) of start and exit", f"{cpu * 1000:.0f} ms", "", ""),
        ("check_bbj_code, 300 lines, stdio round-trip", f"{trip * 1000:.1f} ms", "50 ms", f"{trip / 0.050:.2f}"),
        ("the same check in-process (CodeChecker.check)", f"{inproc * 1000:.1f} ms", "", f"protocol overhead {(trip - inproc) * 1000:.1f} ms"),
    ]


def bench_retrieval(count: int, queries: int) -> list[tuple[str, ...]]:
    from bbj_mcp.retrieval import ExampleIndex
    from curate.config import load_config

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "training-data"
        (Path(folder) / "pyproject.toml").write_text("[tool.bbj-curate]\n")
        generate(root, count)
        store = Path(folder) / "store.json"
        index = ExampleIndex(root, load_config([Path(folder)]), refresh_interval=3600, store=store)
        begin = time.perf_counter()
        index.refresh()
        build = time.perf_counter() - begin
        begin = time.perf_counter()
        ExampleIndex(root, load_config([Path(folder)]), store=store).refresh()
        restart = time.perf_counter() - begin
        documents = len(index._collection.documents) if index._collection else 0
        times = []
        hits = 0
        for n in range(queries):
            query, generation = QUERIES[n % len(QUERIES)]
            begin = time.perf_counter()
            hits += len(index.search(query, generation, 3))
            times.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        index.refresh(force=True)
        rescan = time.perf_counter() - begin
    per_query = statistics.median(times)
    print(f"retrieval: {documents} documents indexed, {hits / queries:.1f} hits per query")
    return [
        (f"retrieval over {count:,} examples, per query (top 3, generation filter)", f"{per_query * 1000:.2f} ms", "20 ms", f"{per_query / 0.020:.2f}"),
        (f"index build, {count:,} examples (discover, hash, parse, BM25)", f"{build:.2f} s", "", ""),
        (f"index build after a restart, {count:,} unchanged examples (document store)", f"{restart:.2f} s", "", ""),
        (f"re-scan of {count:,} unchanged files (stat only, no rebuild)", f"{rescan * 1000:.0f} ms", "", "once per refresh interval"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="server starts")
    parser.add_argument("--calls", type=int, default=30, help="check calls per server")
    parser.add_argument("--count", type=int, default=10_000, help="generated examples to retrieve from")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    print(machine(), f"load average {os.getloadavg()[0]:.1f}")
    code = program()
    assert code.count("\n") == 300
    rows = bench_server(args.runs, args.calls, code) + bench_retrieval(args.count, args.queries)
    print(table(rows, ("what", "median", "target", "ratio")))


if __name__ == "__main__":
    main()
