"""Does the eval's `openai` backend keep a server busy? The same N chat requests sent by a plain
concurrent client (the official `openai` package in a thread pool, no retries) and by the eval's
path (`runner.generate` -> `ChatClient.complete_many`: completion cache lookups, per-request
seeds, retries armed, the ChatML stops), both at the same concurrency, against a local
OpenAI-compatible server in another process that answers each request after a fixed delay (a
model server with C parallel slots). The bar: within 10% of the plain client's throughput.

    .venv/bin/python bench/bench_eval_openai.py --requests 400 --concurrency 8 --delay-ms 20 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import machine, table

from train.eval.cache import CompletionCache
from train.eval.cases import EvalCase
from train.eval.client import GenerationParams
from train.eval.config import EvalConfig, ModelSpec
from train.eval.prompts import task_messages
from train.eval.runner import Job, ModelRun, generate, no_progress

SERVER = """
import sys, time
sys.path.insert(0, {helpers!r})
from openai_server import Reply, ScriptedServer
server = ScriptedServer(lambda body: Reply("```bbj\\nprint \\"hello\\"\\nend\\n```", delay_s={delay}))
print(server.base_url, flush=True)
server.httpd.serve_forever()
"""


def plain(base_url: str, prompts: list[str], concurrency: int) -> float:
    from openai import OpenAI

    client = OpenAI(base_url=base_url, api_key="none", max_retries=0, timeout=60)

    def one(prompt: str) -> str:
        reply = client.chat.completions.create(model="m", messages=task_messages(prompt), max_tokens=64, temperature=0.0)  # type: ignore[arg-type]
        return reply.choices[0].message.content or ""

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        replies = list(pool.map(one, prompts))
    assert all(replies)
    return time.perf_counter() - start


def ours(base_url: str, prompts: list[str], concurrency: int) -> float:
    from train.eval.backends import OpenAIBackend

    config = EvalConfig.model_validate({"concurrency": concurrency, "models": [{"name": "m", "backend": "openai", "base_url": base_url, "model": "m"}]})
    spec: ModelSpec = config.models[0]
    backend = OpenAIBackend(spec, config)
    params = GenerationParams(max_tokens=64)
    jobs = [Job(EvalCase(f"c{n}", task_messages(p), "all", "completion", "basic"), 0, 0, task_messages(p), params) for n, p in enumerate(prompts)]
    with tempfile.TemporaryDirectory() as folder:
        cache = CompletionCache(Path(folder) / "cache.jsonl")  # a fresh cache: every request goes out, every reply is stored
        start = time.perf_counter()
        completions = generate(backend, jobs, cache, ModelRun(spec), no_progress, "bench")
        elapsed = time.perf_counter() - start
        cache.close()
    assert all(c.status == "ok" for c in completions)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--delay-ms", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    code = SERVER.format(helpers=str(ROOT / "tests" / "eval"), delay=args.delay_ms / 1000)
    server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        results: dict[str, list[float]] = {"plain openai client": [], "eval openai backend": []}
        for run in range(args.runs + 1):  # the first round warms both up and is not counted
            prompts = [f"Task {run}-{n}: print hello" for n in range(args.requests)]
            for name, action in (("plain openai client", plain), ("eval openai backend", ours)):
                elapsed = action(base_url, prompts, args.concurrency)
                if run:
                    results[name].append(elapsed)
    finally:
        server.terminate()
        server.wait()
    ideal = args.requests * args.delay_ms / 1000 / args.concurrency
    base = statistics.median(results["plain openai client"])
    rows = []
    for name, times in results.items():
        median = statistics.median(times)
        rows.append((name, f"{median:.2f}", f"{args.requests / median:.0f}", f"{base / median:.2f}", " ".join(f"{t:.2f}" for t in times)))
    print(f"machine: {machine()}; {args.requests} requests, concurrency {args.concurrency}, server delay {args.delay_ms:g} ms (ideal {ideal:.2f} s)")
    print(table(rows, ("client", "median s", "requests/s", "throughput vs plain", "runs s")))


if __name__ == "__main__":
    main()
