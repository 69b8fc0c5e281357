"""`bbj-train eval` as a user runs it: resume after a kill, report re-render, compare, case-file
validation with file:line codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from eval_helpers import OK, eval_toml, script
from openai_server import Reply, scripted_server

from train.cli import main

BIN = Path(sys.executable).parent / "bbj-train"


def _metrics(folder: Path) -> list[dict]:
    report = json.loads((folder / "report.json").read_text())
    keep = ("compile@1", "compile@k", "repair", "statuses", "must_call", "fabricated_BBJ510")
    return [{"m": {k: m["metrics"][k] for k in keep}, "c": m["categories"]} for m in report["models"]]


def test_a_killed_eval_resumes_from_its_cache_to_the_same_report(tmp_path: Path, case_file: Path) -> None:
    release = threading.Event()
    served = []

    def gated(body: dict) -> Reply:
        served.append(1)
        if len(served) > 6:
            release.wait(30)
        return script(body)

    with scripted_server(gated) as server:
        config = tmp_path / "eval.toml"
        config.write_text(eval_toml(case_file, server.base_url, tmp_path / "evals", repair=1), encoding="utf-8")
        argv = [str(BIN), "eval", "--config", str(config)]
        killed = subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cache = tmp_path / ".bbj-cache" / "eval" / "completions.jsonl"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (not cache.exists() or len(cache.read_text().splitlines()) < 5):
            time.sleep(0.1)
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait()
        cached = len(cache.read_text().splitlines())
        assert 5 <= cached < 21 and not list((tmp_path / "evals").glob("*/report.json"))
        release.set()
        resumed = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert resumed.returncode == 0, resumed.stderr
        fresh = subprocess.run([*argv, "--no-cache", "--name", "fresh"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert fresh.returncode == 0, fresh.stderr
    reports = sorted((tmp_path / "evals").glob("*/report.json"))
    resumed_dir = next(p.parent for p in reports if p.parent.name.startswith("t-"))
    fresh_dir = next(p.parent for p in reports if p.parent.name.startswith("fresh-"))
    assert _metrics(resumed_dir) == _metrics(fresh_dir)
    hits = json.loads((resumed_dir / "report.json").read_text())["models"][0]["metrics"]["cache_hits"]
    assert hits >= cached


def test_report_rerenders_and_compare_lists_flipped_cases(tmp_path: Path, case_file: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    def better(body: dict) -> Reply:
        first = [m["content"] for m in body["messages"] if m["role"] == "user"][0]
        return Reply(OK) if first == "Greet in a GUI" and body["seed"] == 0 else script(body)

    folders = []
    for name, behaviour in (("before", script), ("after", better)):
        with scripted_server(behaviour) as server:
            config = tmp_path / f"{name}.toml"
            config.write_text(eval_toml(case_file, server.base_url, tmp_path / "evals", name=name, samples=0, k=[1]), encoding="utf-8")
            assert main(["eval", "--config", str(config), "--no-cache"]) == 0
        folders.append(next((tmp_path / "evals").glob(f"{name}-*")))
    capsys.readouterr()
    assert main(["eval", "compare", str(folders[0]), str(folders[1])]) == 0
    out = capsys.readouterr().out
    assert "1 fixed, 0 broken" in out and "| g2 | syntax-error | ok | fixed |" in out
    (folders[0] / "report.md").unlink()
    assert main(["eval", "report", str(folders[0])]) == 0
    table = (folders[0] / "report.md").read_text().split("## Details")[0]
    assert "| Model | compile@1 | Qualitative | Date | Notes |" in table and "(n=" not in table
    from curate.rating.store import Rating, append_rating

    scores = {"code_quality": 4, "idiomatic": 3}
    append_rating(folders[0], Rating("g1", "ann", "scripted", "other", {"scripted": scores, "other": scores}, "scripted"))
    assert main(["eval", "report", str(folders[0])]) == 0
    row = next(line for line in (folders[0] / "report.md").read_text().splitlines() if line.startswith("| scripted |"))
    assert "code 4.0" in row and "(n=1)" in row
    markdown = (folders[0] / "report.md").read_text()
    assert "## Human ratings (blind, side by side)" in markdown and "### Human ratings by generation x type" in markdown
    stored = json.loads((folders[0] / "report.json").read_text())["qualitative"]
    assert stored["ratings"] == 1 and stored["models"]["scripted"]["win_rate"] == {"other": 1.0}


def test_bad_case_files_fail_with_file_line_and_code(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.jsonl"
    good = {"prompt": "Print hi", "generation": "all", "type": "completion", "difficulty": "basic", "reference": OK}
    bad.write_text("\n".join([json.dumps(good), "{not json", json.dumps({**good, "generation": "cobol"}),
                              json.dumps({**good, "prompt": "Print bye", "reference": "```bbj\nfunction x() {\n}\n```"}),
                              json.dumps({**good, "prompt": "Say hi", "must_call": ["msgbox"]})]) + "\n", encoding="utf-8")  # fmt: skip
    assert main(["eval", "check-cases", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad.as_posix()}:2:1: EVL001" in err and f"{bad.as_posix()}:3:1: EVL002" in err and "cobol" in err
    fixed = tmp_path / "fixed.jsonl"
    fixed.write_text("\n".join(line for n, line in enumerate(bad.read_text().splitlines()) if n not in (1, 2)) + "\n", encoding="utf-8")
    assert main(["eval", "check-cases", str(fixed)]) == 1
    err = capsys.readouterr().err
    assert f"{fixed.as_posix()}:2:1: EVL004" in err and f"{fixed.as_posix()}:3:1: EVL005" in err
    ids = {json.loads(line).get("id") for line in fixed.read_text().splitlines()}
    assert ids == {None}  # ids are derived from the content: same file, same ids
    from train.eval.cases import load_case_file

    assert [c.id for c in load_case_file(fixed)] == [c.id for c in load_case_file(fixed)]


def test_humaneval_forgetting_check_fails_the_run_when_the_tuned_model_drops(tmp_path: Path, case_file: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from train.eval.humaneval import load_problems

    problems = {p["prompt"]: p for p in load_problems(3)}

    def model_dependent(body: dict) -> Reply:
        user = [m["content"] for m in body["messages"] if m["role"] == "user"][0]
        problem = next((p for prompt, p in problems.items() if prompt in user), None)
        if problem is None:
            return script(body)
        if body["model"] == "base":
            return Reply(f"```python\n{problem['prompt']}{problem['canonical_solution']}\n```")
        return Reply("```python\ndef nothing():\n    pass\n```")

    with scripted_server(model_dependent) as server:
        text = eval_toml(case_file, server.base_url, tmp_path / "evals", samples=0, k=[1], humaneval=True, humaneval_limit=3, limit=1)
        text = text.split("[[models]]")[0]
        for name, role in (("base", "base"), ("tuned", "tuned")):
            text += f'\n[[models]]\nname = "{name}"\nrole = "{role}"\nbackend = "openai"\nbase_url = "{server.base_url}"\nmodel = "{name}"\n'
        config = tmp_path / "he.toml"
        config.write_text(text, encoding="utf-8")
        assert main(["eval", "--config", str(config), "--no-cache"]) == 1
    assert "HumanEval forgetting check FAILED" in capsys.readouterr().err
    report = json.loads(next((tmp_path / "evals").glob("*/report.json")).read_text())
    scores = {m["name"]: m["humaneval"]["pass@1"]["value"] for m in report["models"]}
    assert scores == {"base": 1.0, "tuned": 0.0} and report["humaneval_check"]["failed"]
