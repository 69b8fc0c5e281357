"""One eval run, as small steps: plan the requests, generate them (through the completion cache),
score them (extract + judge + must_call + chrF), repair failed first drafts round by round, and
aggregate the metrics. Sample 0 of every case is greedy (temperature 0): compile@1. Code cases
get `samples` more draws at the sampling temperature, each its own request and seed: compile@k."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from train.eval.backends import Backend
from train.eval.cache import CompletionCache, cache_key
from train.eval.cases import EvalCase
from train.eval.client import ChatRequest, Completion, GenerationParams
from train.eval.config import EvalConfig, ModelSpec
from train.eval.extract import extract_code
from train.eval.judge import Judge, Verdict
from train.eval.metrics import chrf
from train.eval.repair import can_repair, repair_messages
from train.eval.scoring import missing_calls

Messages = list[dict[str, str]]
# (label, total) -> advance(): the CLI passes a progress bar, tests nothing
Tracker = Callable[[str, int], Callable[[], None]]


def no_progress(label: str, total: int) -> Callable[[], None]:
    return lambda: None


@dataclass
class Job:
    case: EvalCase
    sample: int
    round: int
    messages: Messages
    params: GenerationParams


@dataclass
class ModelRun:
    spec: ModelSpec
    rows: list[dict[str, Any]] = field(default_factory=list)
    generated: int = 0
    cache_hits: int = 0
    generation_wall_s: float = 0.0
    fresh_tokens: int = 0
    humaneval: dict[str, Any] | None = None


def plan(cases: Sequence[EvalCase], config: EvalConfig) -> list[Job]:
    greedy = GenerationParams(config.max_tokens, 0.0, 1.0)
    sampled = GenerationParams(config.max_tokens, config.temperature, config.top_p)
    jobs = [Job(case, 0, 0, case.messages, greedy) for case in cases]
    jobs += [Job(case, s, 0, case.messages, sampled) for case in cases if case.expects == "code" for s in range(1, config.samples + 1)]
    return jobs


def generate(backend: Backend, jobs: Sequence[Job], cache: CompletionCache, run: ModelRun, tracker: Tracker, label: str) -> list[Completion]:
    """Completions of the jobs, from the cache where present; fresh ones are cached as they end."""
    keys = [cache_key(backend.identity, j.messages, j.sample, j.sample, j.params.to_json()) for j in jobs]
    results: list[Completion | None] = [cache.get(k) for k in keys]
    todo = [i for i, r in enumerate(results) if r is None]
    run.cache_hits += len(jobs) - len(todo)
    advance = tracker(label, len(todo))
    requests = [ChatRequest(jobs[i].messages, jobs[i].params, jobs[i].sample) for i in todo]

    def done(position: int, completion: Completion) -> None:
        cache.put(keys[todo[position]], completion)
        advance()

    started = time.perf_counter()
    fresh = backend.generate(requests, done) if requests else []
    if requests:
        run.generation_wall_s += time.perf_counter() - started
    for i, completion in zip(todo, fresh):
        results[i] = completion
        run.generated += 1
        run.fresh_tokens += completion.output_tokens or 0
    return [r if r is not None else Completion(status="error", error="not generated") for r in results]


def score(jobs: Sequence[Job], completions: Sequence[Completion], judge: Judge, model: str) -> list[dict[str, Any]]:
    """samples.jsonl rows: extraction, verdict, flags, must_call and chrF for each completion."""
    codes = [extract_code(c.text) if c.status == "ok" else None for c in completions]
    judged = iter(judge.judge_many([code for code, c in zip(codes, completions) if c.status == "ok"]))
    rows = []
    for job, completion, code in zip(jobs, completions, codes):
        verdict = next(judged) if completion.status == "ok" else Verdict(completion.status)
        case = job.case
        row = {
            "case_id": case.id, "model": model, "sample": job.sample, "round": job.round, "prompt": job.messages[-1]["content"],
            "generation": case.generation, "type": case.type, "difficulty": case.difficulty, "topic": case.topic,
            "expects": case.expects, "reference": case.reference, "raw": completion.text, "code": code,
            "status": verdict.status, "diagnostics": verdict.diagnostics, "output_tokens": completion.output_tokens,
            "latency_s": None if completion.latency_s is None else round(completion.latency_s, 4),
            "flags": sorted(verdict.flags), "must_call_missing": missing_calls(code, case.must_call) if case.must_call else None,
            "chrf": round(chrf(completion.text, case.reference), 3) if case.expects == "prose" and case.reference and completion.status == "ok" else None,
        }  # fmt: skip
        if completion.error:
            row["error"] = completion.error
        rows.append(row)
    return rows


def run_model(
    spec: ModelSpec, backend: Backend, cases: Sequence[EvalCase], config: EvalConfig, judge: Judge, cache: CompletionCache, tracker: Tracker = no_progress
) -> ModelRun:
    run = ModelRun(spec)
    jobs = plan(cases, config)
    completions = generate(backend, jobs, cache, run, tracker, f"{spec.name}: generate")
    run.rows = score(jobs, completions, judge, spec.name)
    latest = {(j.case.id): (j, c, r) for j, c, r in zip(jobs, completions, run.rows) if j.sample == 0 and j.case.expects == "code"}
    for number in range(1, config.repair + 1):
        again = []
        for job, completion, row in latest.values():
            verdict = Verdict(row["status"], row["diagnostics"])
            if can_repair(verdict):
                again.append(Job(job.case, 0, number, repair_messages(job.messages, completion, verdict), job.params))
        if not again:
            break
        fixes = generate(backend, again, cache, run, tracker, f"{spec.name}: repair round {number}")
        fixed_rows = score(again, fixes, judge, spec.name)
        run.rows.extend(fixed_rows)
        latest = {j.case.id: (j, c, r) for j, c, r in zip(again, fixes, fixed_rows)}
    return run
