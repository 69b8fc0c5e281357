"""The llama.cpp half of `bbj-train export` - quantize, verify, evaluate - in a process of its own:

    python -m train.release.llama_steps WORK_FOLDER

Why: a CUDA build of llama-cpp-python loading a model in a process that had imported torch
crashed on the GPU image (docs/benchmarks.md), and so did one that had imported numpy before
llama_cpp (`train.llamacpp_first`). The export's parent
merges and computes the float32 reference with torch and never imports llama_cpp; this process
loads llama.cpp and never imports torch or transformers (the tokenizer's answers come recorded,
`verify.RecordedTokenizer`). They exchange files in the staging folder's `.work/`, each written
atomically: the job (`llama-job.json`: paths, kinds, recorded answers, bounds, eval cases) and the
reference logits (`reference.npz`) from the parent; the result (`llama-result.json`: verification
reports, compile@1, timings, or the diagnostics of a failure) from here. Progress goes to the parent
as one JSON object per line on the process's original stdout (`{"step": ...}` when a step starts,
`{"say": ...}` for the user); llama.cpp's own output goes to stderr. A failure comes back as the
same diagnostics the export raised when it ran in one process; a death by signal is reported by
the parent with the signal and the step (REL070)."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from curate.atomic import write_bytes_atomic, write_text_atomic
from curate.diagnostics import Diagnostic, Severity
from curate.errors import CurateError
from train.llamacpp_first import load_llama_cpp_first
from train.training.errors import TrainingError, fail

MODULE = "train.release.llama_steps"
JOB = "llama-job.json"
REFERENCE = "reference.npz"
RESULT = "llama-result.json"


@dataclass
class Job:
    sixteen: str  # the 16-bit GGUF the converter wrote
    kind: str  # its kind: F16 / BF16
    quants: dict[str, str]  # quantization -> file to write
    answers: dict[str, Any]  # verify.record_answers of the trained tokenizer
    chat_template: str
    architecture: str
    kl_bound: float
    eval_cases: list[dict[str, Any]]


class LlamaStepsError(Exception):
    """An unexpected error inside the llama.cpp process (the CLI prints it in one line)."""


# -- the parent's side ------------------------------------------------------------------------------
def save_reference(path: Path, logits: list[Any]) -> None:
    """The float32 reference logits, one array per input, written atomically (`load_reference`)."""
    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, *logits)
    write_bytes_atomic(path, buffer.getvalue())


def load_reference(path: Path, count: int) -> list[Any]:
    """The `count` arrays `save_reference` wrote."""
    import numpy as np

    with np.load(path) as saved:
        return [saved[f"arr_{i}"] for i in range(count)]


def run_llama_steps(job: Job, work: Path, where: str, say: Callable[[str], None]) -> dict[str, Any]:
    """Run the job in a child process (`where` names the release in diagnostics); returns its result:
    {"verification": [report JSON...], "evaluation": {...} | None, "timings": {step: s}}."""
    write_text_atomic(work / JOB, json.dumps(asdict(job)))
    (work / RESULT).unlink(missing_ok=True)
    step = "start-up"
    child = subprocess.Popen([sys.executable, "-m", MODULE, str(work)], stdout=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        assert child.stdout is not None
        for line in child.stdout:
            event = _event(line)
            step = str(event.get("step", step))
            if "say" in event:
                say(str(event["say"]))
        status = child.wait()
    finally:
        if child.poll() is None:  # the parent was interrupted: take the child down with it
            child.kill()
            child.wait()
    if status < 0:
        raise fail(where, "REL070", f"the llama.cpp process (quantize, verify, evaluate) was killed by {_signal_name(-status)} "
                   f"during {step}; nothing was released (docs/release.md)")  # fmt: skip
    if not (work / RESULT).is_file():
        raise fail(where, "REL071", f"the llama.cpp process exited with status {status} during {step} without a result")
    result: dict[str, Any] = json.loads((work / RESULT).read_text("utf-8"))
    if "diagnostics" in result:
        raise TrainingError([Diagnostic(**{**d, "severity": Severity(d["severity"])}) for d in result["diagnostics"]])
    if "error" in result:
        raise CurateError(result["error"])
    if "internal" in result:
        raise LlamaStepsError(f"{step}: {result['internal']}")
    return result


def _signal_name(number: int) -> str:
    try:
        name = signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
    return f"{name} ({signal.strsignal(number)})"


def _event(line: str) -> dict[str, Any]:
    try:
        event = json.loads(line)
    except ValueError:
        return {"say": line.rstrip("\n")}
    return event if isinstance(event, dict) else {"say": line.rstrip("\n")}


# -- the child's side -------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    load_llama_cpp_first()
    work = Path(argv[0])
    events = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # whatever else writes to stdout (llama.cpp's C code) goes to stderr

    def emit(**event: str) -> None:
        events.write(json.dumps(event) + "\n")

    try:
        job = Job(**json.loads((work / JOB).read_text("utf-8")))
        result: dict[str, Any] = run_job(job, work, emit)
    except CurateError as exc:
        result = {"diagnostics": [d.to_json() for d in exc.diagnostics]} if exc.diagnostics else {"error": exc.message}
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - reported by the parent in one line, as the CLI reports it
        result = {"internal": f"{exc.__class__.__name__}: {exc}"}
    write_text_atomic(work / RESULT, json.dumps(result))
    return 0


def run_job(job: Job, work: Path, emit: Callable[..., None]) -> dict[str, Any]:
    from train.release.quantize import quantize
    from train.release.verify import RecordedTokenizer

    timings: dict[str, float] = {}
    clock = time.perf_counter()
    sixteen = Path(job.sixteen)
    files = {quant: Path(path) for quant, path in job.quants.items()}
    for quant, path in files.items():
        emit(step=f"quantize {quant}", say=f"quantize: {quant} through llama_model_quantize")
        quantize(sixteen, path, quant)
    timings["quantize"] = time.perf_counter() - clock

    clock = time.perf_counter()
    emit(step="verify", say="verify: metadata, token ids, logits")
    tokenizer = RecordedTokenizer(job.answers)
    reference = load_reference(work / REFERENCE, len(tokenizer.inputs))
    reports = verify_files(sixteen, job.kind, files, tokenizer, job.chat_template, job.architecture, reference,
                           job.kl_bound, lambda name: emit(step=f"verify {name}"))  # fmt: skip
    timings["verify"] = time.perf_counter() - clock
    evaluation = None
    if job.eval_cases:
        clock = time.perf_counter()
        evaluation = evaluate([sixteen, *files.values()], job.eval_cases, emit)
        timings["evaluate"] = time.perf_counter() - clock
    return {"verification": reports, "evaluation": evaluation, "timings": timings}


def verify_files(sixteen: Path, kind: str, quantized: dict[str, Path], tokenizer: Any, chat_template: str, architecture: str,
                 reference: list[Any], kl_bound: float, started: Callable[[str], None]) -> list[dict[str, Any]]:  # fmt: skip
    """The 16-bit file against the merged model's float32 logits, each quantized file against the
    16-bit file's own logits; one report (JSON) per file."""
    from train.release.verify import verify_gguf

    started(sixteen.name)
    report, own = verify_gguf(sixteen, kind, tokenizer, chat_template, architecture, tokenizer.inputs, reference, "merged model (float32)")
    reports = [report]
    for quant, path in quantized.items():
        started(path.name)
        reports.append(verify_gguf(path, quant, tokenizer, chat_template, architecture, tokenizer.inputs, own, f"{kind} GGUF", kl_bound)[0])
    return [r.to_json() for r in reports]


def evaluate(files: list[Path], cases: list[dict[str, Any]], emit: Callable[..., None]) -> dict[str, Any]:
    from train.eval.judge import Judge
    from train.release.evaluate import compile_at_1

    judge = Judge()
    emit(say=f"evaluate: compile@1 on {len(cases)} benchmark cases per file ({judge.describe()['name']})")
    results = []
    for path in files:
        emit(step=f"evaluate {path.name}")
        results.append(compile_at_1(path, cases, judge))
    return {"cases": [case.get("id") for case in cases], "checker": judge.describe(), "results": results}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
