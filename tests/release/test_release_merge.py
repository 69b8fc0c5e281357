"""The streaming merge against PEFT's own `merge_and_unload()`, and what it refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from release_helpers import build_export_model, random_adapter

from train.release.merge import load_adapter, merge_into
from train.training.errors import TrainingError


@pytest.fixture(scope="module")
def rslora_adapter(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return random_adapter(base, tmp_path_factory.mktemp("adapter") / "rslora", use_rslora=True)


def peft_merged(base: Path, adapter: Path, dtype: str) -> dict:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(base, dtype=getattr(torch, dtype))
    return PeftModel.from_pretrained(model, adapter).merge_and_unload().state_dict()


def test_streaming_merge_equals_peft_merge_and_unload(base: Path, rslora_adapter: Path, tmp_path: Path) -> None:
    from safetensors.torch import load_file

    hashes = merge_into(base, load_adapter(rslora_adapter), tmp_path / "merged")
    ours = load_file(str(tmp_path / "merged" / "model.safetensors"))
    reference = peft_merged(base, rslora_adapter, "float32")
    assert set(ours) == set(reference) - {"lm_head.weight"}  # tied to the embedding, not stored
    changed = [name for name in ours if "proj" in name and not (ours[name] == load_file(str(base / "model.safetensors"))[name]).all()]
    assert len(changed) == 2 * 7  # every LoRA target of both layers moved
    assert max(float((ours[name] - reference[name]).abs().max()) for name in ours) == 0.0
    from train.training.rundir import sha256

    assert hashes == {"model.safetensors": sha256(base / "model.safetensors")}


def test_bf16_base_merges_in_float32_and_stays_bf16(tmp_path: Path, rslora_adapter: Path, base: Path) -> None:
    import torch
    from safetensors.torch import load_file, save_file

    bf16 = tmp_path / "bf16"
    bf16.mkdir()
    for name in ("config.json",):
        (bf16 / name).write_text((base / name).read_text("utf-8"), "utf-8")
    save_file({k: v.to(torch.bfloat16) for k, v in load_file(str(base / "model.safetensors")).items()}, str(bf16 / "model.safetensors"))
    merge_into(bf16, load_adapter(rslora_adapter), tmp_path / "merged")
    ours = load_file(str(tmp_path / "merged" / "model.safetensors"))
    reference = peft_merged(base, rslora_adapter, "float32")
    assert {t.dtype for t in ours.values()} == {torch.bfloat16}
    worst = max(float((ours[n].float() - reference[n]).abs().max() / reference[n].abs().max()) for n in ours)
    assert worst < 1e-2  # bf16 rounding of W + delta, nothing more


def edit_config(adapter: Path, **changes: object) -> None:
    path = adapter / "adapter_config.json"
    path.write_text(json.dumps({**json.loads(path.read_text("utf-8")), **changes}), "utf-8")


@pytest.mark.parametrize(("change", "message"), [
    ({"use_dora": True}, "DoRA"),
    ({"modules_to_save": ["lm_head"]}, "modules_to_save"),
    ({"bias": "lora_only"}, "bias"),
    ({"peft_type": "IA3"}, "only LoRA"),
])  # fmt: skip
def test_unmergeable_adapter_configs_are_refused(rslora_adapter: Path, tmp_path: Path, change: dict, message: str) -> None:
    import shutil

    adapter = Path(shutil.copytree(rslora_adapter, tmp_path / "adapter"))
    edit_config(adapter, **change)
    with pytest.raises(TrainingError) as caught:
        load_adapter(adapter)
    assert caught.value.diagnostics[0].code == "REL021" and message in str(caught.value)


def test_unknown_adapter_tensor_and_unmatched_module_are_refused(rslora_adapter: Path, base: Path, tmp_path: Path) -> None:
    import shutil

    from safetensors.torch import load_file, save_file

    adapter = Path(shutil.copytree(rslora_adapter, tmp_path / "extra"))
    tensors = load_file(str(adapter / "adapter_model.safetensors"))
    key = next(iter(tensors))
    save_file({**tensors, key.replace("lora_A", "lora_magnitude_vector"): tensors[key][0].clone()}, str(adapter / "adapter_model.safetensors"))
    with pytest.raises(TrainingError, match="REL022"):
        load_adapter(adapter)

    renamed = Path(shutil.copytree(rslora_adapter, tmp_path / "renamed"))
    save_file({k.replace("layers.1.", "layers.7."): v for k, v in tensors.items()}, str(renamed / "adapter_model.safetensors"))
    with pytest.raises(TrainingError, match="match no base weight") as caught:
        merge_into(base, load_adapter(renamed), tmp_path / "out")
    assert caught.value.diagnostics[0].code == "REL023"


def test_adapter_of_another_shape_is_refused(data: dict[str, Path], rslora_adapter: Path, tmp_path: Path) -> None:
    wider = build_export_model(tmp_path / "wider", data["corpus"], intermediate_size=768)
    with pytest.raises(TrainingError, match="another base") as caught:
        merge_into(wider, load_adapter(rslora_adapter), tmp_path / "out")
    assert not (tmp_path / "out").exists()  # checked before writing
    assert caught.value.diagnostics[0].code == "REL023"
