"""Metric math through a real run against a scripted OpenAI-compatible server on 127.0.0.1:
known compile@1, compile@k against brute-force enumeration of k-subsets, Wilson intervals,
per-category counts, repair counted in its own column only, and the report folder."""

from __future__ import annotations

import json
import math
from itertools import combinations
from pathlib import Path

import pytest
from eval_helpers import GREEDY, SAMPLED, eval_toml, script
from openai_server import scripted_server

from train.eval.config import EvalConfig, load_eval_config
from train.eval.session import run_eval


def brute_force_compile_at_k(statuses: list[bool], k: int) -> float:
    subsets = list(combinations(statuses, k))
    return sum(any(s) for s in subsets) / len(subsets)


def satisfies_wilson(p_hat: float, n: int, bound: float, z: float = 1.959963984540054) -> bool:
    """A Wilson bound is a root of (p_hat - p)^2 = z^2 p (1 - p) / n."""
    return math.isclose((p_hat - bound) ** 2, z * z * bound * (1 - bound) / n, abs_tol=1e-9)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, case_file: Path) -> tuple[Path, dict, list]:
    tmp_path = tmp_path_factory.mktemp("run")
    with scripted_server(script) as server:
        path = tmp_path / "eval.toml"
        path.write_text(eval_toml(case_file, server.base_url, tmp_path / "evals", repair=2), encoding="utf-8")
        config, text = load_eval_config(path)
        folder, result = run_eval(config, text, "bbj-train eval --config eval.toml")
    rows = [json.loads(line) for line in (folder / "samples.jsonl").read_text().splitlines()]
    return folder, result, rows


def test_compile_at_1_counts_greedy_first_drafts_with_statuses(report: tuple[Path, dict, list]) -> None:
    _, result, rows = report
    metrics = result["models"][0]["metrics"]
    # g1 ok, g2 syntax error, g3 no code, g4 timed out: 1 of 4 code cases
    assert metrics["compile@1"]["hits"] == 1 and metrics["compile@1"]["n"] == 4
    assert metrics["statuses"] == {"ok": 1, "syntax-error": 1, "no-code": 1, "timeout": 1, "error": 0}
    rate = metrics["compile@1"]
    assert rate["low"] < 0.25 < rate["high"]
    assert satisfies_wilson(0.25, 4, rate["low"]) and satisfies_wilson(0.25, 4, rate["high"])
    assert metrics["fabricated_BBJ510"]["hits"] == 1  # g2's braces
    assert metrics["must_call"] == {**metrics["must_call"], "hits": 1, "n": 2}  # g1 calls print, g2 never calls msgbox
    assert metrics["code_cases"] == 4 and metrics["prose_cases"] == 1
    assert metrics["chrf"]["value"] is not None and 0 < metrics["chrf"]["value"] < 100
    greedy = {r["case_id"]: r for r in rows if r["sample"] == 0 and r["round"] == 0}
    assert greedy["g3"]["status"] == "no-code" and greedy["g3"]["code"] is None
    assert greedy["g4"]["status"] == "timeout"


def test_compile_at_k_equals_brute_force_over_k_subsets(report: tuple[Path, dict, list]) -> None:
    _, result, rows = report
    from eval_helpers import OK

    metrics = result["models"][0]["metrics"]
    for k in (1, 2, 4):
        expected = sum(brute_force_compile_at_k([reply == OK for reply in replies], k) for replies in SAMPLED.values()) / len(SAMPLED)
        assert metrics["compile@k"][str(k)]["value"] == pytest.approx(expected)
    sampled = [r for r in rows if r["sample"] >= 1]
    assert len(sampled) == 16 and {r["case_id"] for r in sampled} == set(SAMPLED)  # prose cases get no samples
    assert len(GREEDY) == len({r["case_id"] for r in rows})


def test_repair_is_counted_only_in_its_own_column(report: tuple[Path, dict, list]) -> None:
    folder, result, rows = report
    metrics = result["models"][0]["metrics"]
    assert metrics["compile@1"]["value"] == 0.25  # unchanged by the repaired g2
    assert metrics["repair"]["rounds"] == 2 and metrics["repair"]["rate"]["hits"] == 2  # g1 first try, g2 after one repair
    repaired = [r for r in rows if r["round"] > 0]
    assert {(r["case_id"], r["round"], r["status"]) for r in repaired} == {("g2", 1, "ok"), ("g3", 1, "no-code"), ("g3", 2, "no-code")}
    assert "BBJ510" in next(r for r in repaired if r["case_id"] == "g2")["prompt"]  # the diagnostics went back as the user turn
    md = (folder / "report.md").read_text()
    assert "compile@1+repair<=2" in md


def test_per_category_tables_and_report_folder(report: tuple[Path, dict, list]) -> None:
    folder, result, rows = report
    categories = result["models"][0]["categories"]
    counts = {name: (r["hits"], r["n"]) for name, r in categories["generation x type"].items()}
    assert counts == {"all x completion": (1, 1), "bbj-gui x completion": (0, 1), "character x completion": (0, 1), "dwc x migration": (0, 1)}
    assert {name: (r["hits"], r["n"]) for name, r in categories["difficulty"].items()} == {"advanced": (0, 1), "basic": (1, 2), "intermediate": (0, 1)}
    md = (folder / "report.md").read_text()
    assert "| Model | compile@1 | Qualitative | Date | Notes |" in md
    assert "## compile@1 by generation x type" in md and "## compile@1 by difficulty" in md
    assert (folder / "chart.png").read_bytes()[:4] == b"\x89PNG"
    card = json.loads((folder / "card.json").read_text())
    assert card["inputs"][0]["sha256"] and card["command"].startswith("bbj-train eval")
    assert result["checker"]["name"] == "bbj-builtin" and result["checker"]["version"]
    contract = {"case_id", "model", "sample", "round", "prompt", "generation", "type", "difficulty", "topic", "expects",
                "reference", "raw", "code", "status", "diagnostics", "output_tokens", "latency_s"}  # fmt: skip
    assert all(contract <= row.keys() for row in rows)


def test_config_rejects_unknown_keys_and_k_above_samples(tmp_path: Path, case_file: Path) -> None:
    from train.eval.config import EvalConfigError

    path = tmp_path / "bad.toml"
    path.write_text(eval_toml(case_file, "http://127.0.0.1:9/v1", tmp_path, samples=2, k=[5], temprature=0.3), encoding="utf-8")
    with pytest.raises(EvalConfigError) as info:
        load_eval_config(path)
    text = str(info.value)
    assert "temprature: unknown key" in text and "EVL011" in text
    lines = path.read_text("utf-8").splitlines()
    (typo,) = [d for d in info.value.diagnostics if "temprature" in d.message]
    assert lines[typo.line - 1].startswith("temprature"), "the diagnostic points at the key's line"
    assert EvalConfig.model_fields["k"].description


@pytest.mark.parametrize(("entry", "key", "expected"), [
    ('name = "q"\nbackend = "llamacpp"\ngguf = "q.gguf"\nbatch_size = 0\n', "batch_size", "batch_size = 0"),  # the key in its entry
    ('name = "q"\nbackend = "llamacpp"\n', "", "[[models]]"),  # a check over the entry (needs gguf): its header
])  # fmt: skip
def test_config_errors_point_into_the_models_entry(tmp_path: Path, case_file: Path, entry: str, key: str, expected: str) -> None:
    from train.eval.config import EvalConfigError

    path = tmp_path / "bad.toml"
    text = eval_toml(case_file, "http://127.0.0.1:9/v1", tmp_path) + "\n[[models]]\n" + entry
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvalConfigError) as info:
        load_eval_config(path)
    (problem,) = info.value.diagnostics
    index = text.count("[[models]]") - 1
    assert problem.message.startswith(f"models.{index}{'.' + key if key else ''}:"), problem
    lines = text.splitlines()
    assert lines[problem.line - 1] == expected and problem.line > len(lines) - entry.count("\n") - 1


def test_shipped_eval_configs_load() -> None:
    root = Path(__file__).resolve().parents[2]
    configs = sorted((root / "configs").glob("eval-*.toml"))
    assert configs
    for path in configs:
        config, _ = load_eval_config(path)
        assert {m.role for m in config.models} >= {"base", "tuned"}
