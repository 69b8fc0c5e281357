"""The tiny random Qwen2 model end to end through the `transformers` backend (with and without a
LoRA adapter), on benchmark-format cases plus the held-out test split of a split folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("torch", reason="the transformers backend needs the [train] extra")
pytest.importorskip("peft", reason="the transformers backend needs the [train] extra")

from eval_helpers import CASES

from train.eval.cases import cases_from_split
from train.eval.config import EvalConfig
from train.eval.session import run_eval

CODE = 'REM total of {n} orders\ntotal = 0\nFOR i = 1 TO {n}\n  total = total + i\nNEXT i\nPRINT "total: ", total\nEND'


def record(rid: str, task: str, code: str) -> dict:
    return {"messages": [{"role": "system", "content": "You are an expert BBj programmer."}, {"role": "user", "content": task},
                         {"role": "assistant", "content": f"```bbj\n{code}\n```"}],
            "meta": {"id": rid, "type": "completion", "generation": "all", "difficulty": "basic", "topic": "control-flow"}}  # fmt: skip


@pytest.fixture(scope="module")
def split_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("split")
    train = [record(f"train-{n}", f"Sum the numbers from 1 to {n} and print the total of all the orders.", CODE.format(n=n)) for n in (10, 20)]
    test = [
        record("test-leak", "Sum the numbers from 1 to 10 and print the total of all the orders.", CODE.format(n=10)),
        record("test-fresh", "Open a file named data.txt and read its first line.", 'OPEN (1)"data.txt"\nREAD (1) line$\nCLOSE (1)\nEND'),
    ]
    for name, records in (("train", train), ("validation", []), ("test", test)):
        (folder / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder


def test_test_split_cases_drop_near_duplicates_of_train(split_dir: Path) -> None:
    found = cases_from_split(split_dir)
    assert [c.id for c in found.cases] == ["test-test-fresh"]
    assert found.dropped_near_duplicates == [("test-leak", "train-10")]
    case = found.cases[0]
    assert case.messages[0]["role"] == "system" and case.prompt.startswith("Open a file") and "```bbj" in (case.reference or "")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A tiny model and a random LoRA adapter for it."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    from train.tiny_model import build_tiny_model

    root = tmp_path_factory.mktemp("tiny")
    corpus = root / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"text": c["prompt"] + "\n" + c["reference"]}) + "\n" for c in CASES) * 20, encoding="utf-8")
    model_dir = root / "model"
    build_tiny_model(model_dir, [corpus], vocab_size=512)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    adapter = get_peft_model(model, LoraConfig(task_type="CAUSAL_LM", r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False))
    adapter.save_pretrained(root / "adapter")
    return model_dir, root / "adapter"


def test_tiny_model_end_to_end_base_and_adapter(tmp_path: Path, case_file: Path, split_dir: Path, tiny: tuple[Path, Path]) -> None:
    model_dir, adapter = tiny
    config = EvalConfig.model_validate({
        "name": "tiny", "output_dir": tmp_path / "evals", "cases": [case_file], "split_dir": split_dir, "max_tokens": 12,
        "samples": 2, "k": [1, 2], "repair": 1, "checker": "builtin",
        "models": [{"name": "base", "backend": "transformers", "model": str(model_dir), "role": "base", "batch_size": 4},
                   {"name": "tuned", "backend": "transformers", "model": str(model_dir), "adapter": str(adapter), "role": "tuned"}],
    })  # fmt: skip
    folder, report = run_eval(config, "", "bbj-train eval")
    rows = [json.loads(line) for line in (folder / "samples.jsonl").read_text().splitlines()]
    assert (report["cases"] == 6 and report["dropped_near_duplicates"] == [["test-leak", "train-10"]]) or report["dropped_near_duplicates"] == [
        ("test-leak", "train-10")
    ]
    for model in report["models"]:
        metrics = model["metrics"]
        assert metrics["code_cases"] == 5 and 0.0 <= metrics["compile@1"]["value"] <= 1.0
        assert metrics["generated"] > 0 and metrics["tokens_per_s"] and metrics["mean_output_tokens"] <= 12
    base = [r["raw"] for r in rows if r["model"] == "base" and r["sample"] == 0 and r["round"] == 0]
    tuned = [r["raw"] for r in rows if r["model"] == "tuned" and r["sample"] == 0 and r["round"] == 0]
    assert base != tuned  # the adapter was applied
    assert {r["status"] for r in rows} <= {"ok", "syntax-error", "no-code"}
    assert "| base |" in (folder / "report.md").read_text()
