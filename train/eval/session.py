"""`bbj-train eval run` as steps: gather the cases, pick the judge, run every model (BBj cases,
then HumanEval when asked), write the report folder, and decide the exit status (1 when the
tuned model loses more than the allowed share of the base model's HumanEval pass@1)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate.atomic import write_text_atomic
from train.eval.aggregate import categories, model_metrics
from train.eval.cache import CompletionCache
from train.eval.cases import (
    BAD_FIELD,
    NO_CASES,
    REPEATED_ID,
    CaseError,
    EvalCase,
    case_problem,
    cases_from_split,
    load_case_file,
)
from train.eval.client import GenerationParams
from train.eval.config import EvalConfig
from train.eval.judge import Judge
from train.eval.runner import Job, ModelRun, Tracker, generate, no_progress, run_model
from train.llamacpp_first import load_llama_cpp_first

Factory = Callable[..., Any]


@dataclass
class CaseSet:
    cases: list[EvalCase]
    sources: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)


def gather_cases(config: EvalConfig, extra: list[Path]) -> CaseSet:
    """Benchmark + extra case files + the test split, in that order, ids unique, then `limit`."""
    found = CaseSet([])
    for path in [*config.cases, *extra]:
        source = "benchmark" if path in config.cases else f"extra:{path.name}"
        cases = load_case_file(path, source if source == "benchmark" else "extra")
        found.cases.extend(cases)
        found.sources[path.as_posix()] = len(cases)
        found.files.append(path)
    if config.split_dir is not None:
        split = cases_from_split(config.split_dir)
        found.cases.extend(split.cases)
        found.sources[f"{config.split_dir.as_posix()}/test.jsonl"] = len(split.cases)
        found.files.append(config.split_dir / "test.jsonl")
        found.dropped = split.dropped_near_duplicates
    seen: dict[str, str] = {}
    problems = []
    for case in found.cases:
        if case.id in seen:
            where, _, line = case.where.rpartition(":")
            problems.append(case_problem(where, int(line) if line.isdigit() else 1, REPEATED_ID, f"id {case.id!r} is also used at {seen[case.id]}"))
        seen[case.id] = case.where
    if problems:
        raise CaseError(problems)
    if config.limit:
        found.cases = found.cases[: config.limit]
    if not found.cases:
        raise CaseError([case_problem("(config)", 1, NO_CASES, "no eval cases: give case files or a split_dir with a test split")])
    return found


def make_folder(config: EvalConfig) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    path = config.output_dir / f"{config.name}-{stamp}"
    suffix = 1
    while path.exists():
        suffix += 1
        path = config.output_dir / f"{config.name}-{stamp}-{suffix}"
    path.mkdir(parents=True)
    return path


def run_humaneval(run: ModelRun, backend: Any, config: EvalConfig, cache: CompletionCache, folder: Path, tracker: Tracker) -> None:
    from train.eval.humaneval import load_problems, messages_for, run_problems, summary
    from train.eval.sandbox import Limits

    problems = load_problems(config.humaneval_limit)
    params = GenerationParams(config.max_tokens, 0.0, 1.0)
    jobs = [
        Job(EvalCase(p["task_id"], messages_for(p), "python", "completion", "humaneval", source="humaneval"), 0, 0, messages_for(p), params) for p in problems
    ]
    completions = generate(backend, jobs, cache, run, tracker, f"{run.spec.name}: HumanEval")
    replies = [c.text if c.status == "ok" else None for c in completions]
    results = run_problems(problems, replies, Limits(wall_s=config.humaneval_timeout_s))
    lines = [json.dumps({**result, "model": run.spec.name, "raw": reply}, ensure_ascii=False) + "\n" for result, reply in zip(results, replies, strict=True)]
    write_text_atomic(folder / f"humaneval-{_slug(run.spec.name)}.jsonl", "".join(lines))
    run.humaneval = summary(results)


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name)


def model_entry(run: ModelRun, config: EvalConfig) -> dict[str, Any]:
    metrics = model_metrics(run.rows, config.k, config.samples, config.repair)
    metrics["tokens_per_s"] = round(run.fresh_tokens / run.generation_wall_s, 1) if run.generation_wall_s > 0 else None
    metrics["generated"], metrics["cache_hits"] = run.generated, run.cache_hits
    metrics["generation_wall_s"] = round(run.generation_wall_s, 3)
    return {"name": run.spec.name, "backend": run.spec.backend, "role": run.spec.role, "notes": run.spec.notes,
            "metrics": metrics, "categories": categories(run.rows), "humaneval": run.humaneval}  # fmt: skip


def run_eval(
    config: EvalConfig,
    config_text: str,
    command: str,
    extra_cases: list[Path] | None = None,
    cache_path: Path | None = None,
    tracker: Tracker = no_progress,
    backend_factory: Factory | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> tuple[Path, dict[str, Any]]:
    """Run every model of the config; returns (report folder, report)."""
    from train.eval.backends import make_backend

    if any(spec.backend == "llamacpp" for spec in config.models):
        load_llama_cpp_first()  # before anything imports numpy (a CUDA build crashed otherwise)
    case_set = gather_cases(config, extra_cases or [])
    judge = Judge.for_repository(Path.cwd(), config.checker)
    folder = make_folder(config)
    write_text_atomic(folder / "config.toml", config_text)
    cache = CompletionCache(cache_path)
    if cache.warning:
        log(cache.warning)
    runs: list[ModelRun] = []
    try:
        for spec in config.models:
            log(f"{spec.name}: {spec.backend}")
            try:
                backend = (backend_factory or make_backend)(spec, config)
            except (ValueError, FileNotFoundError) as exc:
                raise CaseError([case_problem("(config)", 1, BAD_FIELD, f"model {spec.name!r}: {exc}")]) from None
            try:
                run = run_model(spec, backend, case_set.cases, config, judge, cache, tracker)
                if config.humaneval:
                    run_humaneval(run, backend, config, cache, folder, tracker)
            finally:
                backend.close()
            runs.append(run)
    finally:
        cache.close()
    return folder, finish(folder, config, command, case_set, judge, runs)


def finish(folder: Path, config: EvalConfig, command: str, case_set: CaseSet, judge: Judge, runs: list[ModelRun]) -> dict[str, Any]:
    from curate.safeio import OutputGuard
    from train.data.card import build_card, file_entry, write_card, write_jsonl
    from train.eval.humaneval import forgetting_check
    from train.eval.report import SAMPLES, write_report

    guard = OutputGuard("bbj-train eval", case_set.files)  # the run folder is new: nothing to overwrite
    rows = [row for run in runs for row in run.rows]
    samples = write_jsonl(folder / SAMPLES, rows, guard)
    models = [model_entry(run, config) for run in runs]
    report = {
        "name": config.name, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "checker": judge.describe(),
        "models": models, "cases": len(case_set.cases), "code_cases": sum(c.expects == "code" for c in case_set.cases),
        "case_sources": case_set.sources, "dropped_near_duplicates": case_set.dropped, "command": command,
        "config": json.loads(config.model_dump_json()),
        "humaneval_check": forgetting_check(models, config.humaneval_max_drop) if config.humaneval else None,
    }  # fmt: skip
    write_report(folder, report)
    inputs = [file_entry(path) for path in case_set.files if path.is_file()]
    card = build_card("eval report", command, inputs, [samples], {"cases": case_set.sources, "completions": len(rows),
                      "dropped_near_duplicates": len(case_set.dropped)}, checker=judge.describe(),
                      models=[{"name": m["name"], "backend": m["backend"]} for m in models])  # fmt: skip
    write_card(folder, card, guard)
    return report
