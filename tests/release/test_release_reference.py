"""The verification's streamed reference forward: the same logits as the whole model loaded by
transformers (Qwen2 with tied embeddings, a sharded bf16 Llama with its own output head), with
memory of one block instead of the model, and a clear refusal for another architecture."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from train.training.errors import TrainingError

CHILD = """
import json, sys
from pathlib import Path
from train.release.reference import reference_logits
import accelerate, torch
from transformers import LlamaForCausalLM  # its modeling code: ~130 MB of imports, not model memory

def high_water_kb():  # this process's own peak (ru_maxrss would include the forking parent's peak)
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))

inputs = json.loads(sys.argv[2])
before = high_water_kb()
reference_logits(Path(sys.argv[1]), inputs)
print(json.dumps({"before_kb": before, "peak_kb": high_water_kb()}))
"""


def whole_model_logits(model_dir: Path, inputs: list[list[int]]) -> list[Any]:
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    with torch.no_grad():
        return [model(torch.tensor([ids])).logits[0].numpy() for ids in inputs]


def max_abs_diff(a: list[Any], b: list[Any]) -> float:
    import numpy as np

    assert [x.shape for x in a] == [y.shape for y in b]
    return max(float(np.abs(x - y).max()) for x, y in zip(a, b, strict=True))


@pytest.fixture(scope="module")
def llama(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random bf16 Llama (untied output head, GQA, 8 layers) saved in several shards."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(vocab_size=1024, hidden_size=1024, intermediate_size=2816, num_hidden_layers=8, num_attention_heads=16,
                         num_key_value_heads=4, tie_word_embeddings=False, rope_theta=500_000.0)  # fmt: skip
    torch.manual_seed(0)
    model = LlamaForCausalLM(config).to(torch.bfloat16)
    out = tmp_path_factory.mktemp("llama") / "llama"
    model.save_pretrained(out, max_shard_size="80MB")
    return out


def test_streamed_reference_equals_the_whole_model_qwen2(base: Path) -> None:
    from transformers import AutoTokenizer

    from train.release.reference import reference_logits
    from train.release.verify import reference_inputs

    inputs = reference_inputs(AutoTokenizer.from_pretrained(base))
    assert max_abs_diff(reference_logits(base, inputs), whole_model_logits(base, inputs)) <= 1e-5


def test_streamed_reference_equals_the_whole_model_sharded_llama(llama: Path) -> None:
    from train.release.reference import reference_logits

    assert len(list(llama.glob("*.safetensors"))) > 1
    inputs = [list(range(5, 120)), [1, 500, 7, 1023, 3]]
    streamed = reference_logits(llama, inputs)
    assert max_abs_diff(streamed, whole_model_logits(llama, inputs)) <= 1e-5
    assert max_abs_diff(streamed, [x * 0 for x in streamed]) > 0.1  # real logits, not zeros


def test_streamed_reference_holds_one_block_not_the_model(llama: Path) -> None:
    """A child process's peak RSS grows by far less than the model's float32 size (whole: 4 bytes
    per parameter; streamed: one decoder layer, about 1/8 of it here, plus activations)."""
    from train.release.merge import weight_index

    parameters = sum(entry.end - entry.start for _, entry in weight_index(llama).values()) // 2
    assert parameters > 90e6  # 185 MB in bf16, 370 MB in float32
    inputs = [list(range(5, 120))]
    result = subprocess.run([sys.executable, "-c", CHILD, str(llama), json.dumps(inputs)], capture_output=True, text=True, check=True)
    usage = json.loads(result.stdout.strip().splitlines()[-1])
    grown = (usage["peak_kb"] - usage["before_kb"]) * 1024
    print(f"streamed reference: RSS +{grown / 1e6:.0f} MB for a {4 * parameters / 1e6:.0f} MB float32 model")
    assert grown < 0.4 * 4 * parameters, f"streamed reference grew RSS by {grown / 1e6:.0f} MB for a {4 * parameters / 1e6:.0f} MB model"


def test_other_architectures_are_refused(tmp_path: Path) -> None:
    from train.release.reference import reference_logits

    (tmp_path / "config.json").write_text(json.dumps({"model_type": "gpt2"}), "utf-8")
    with pytest.raises(TrainingError) as error:
        reference_logits(tmp_path, [[1, 2]])
    assert error.value.diagnostics[0].code == "REL016" and "gpt2" in error.value.diagnostics[0].message
