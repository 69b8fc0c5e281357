"""Inputs of the stages: missing files and folders are named, bad lines point at their line,
Stage 1 packing fills whole blocks, Stage 2 grouping keeps its token budget with little padding,
the general-code mix hits its share."""

from __future__ import annotations

import itertools
import json
import math
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from training_helpers import bbj_train, config_text, offline_env

from train.config import load_config
from train.training.errors import TrainingError
from train.training.packing import group_by_length, group_stats, pack_blocks, pack_stats, split_held_out
from train.training.records import mix_in, read_conversations, read_texts, stage_inputs


def _config(tmp_path: Path, tiny_model: Path, inputs: dict[str, Path], **sections):
    path = tmp_path / "run.toml"
    path.write_text(config_text(tiny_model, inputs, tmp_path / "runs", **sections), encoding="utf-8")
    return load_config(path), path


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        ("no-split-dir", "data.split_dir: folder not found: {root}/split"),
        ("no-train-file", "data.split_dir: {root}/split has no train.jsonl"),
        ("no-validation-file", "data.split_dir: {root}/split has no validation.jsonl"),
        ("no-corpus-dir", "data.corpus: folder not found: {root}/corpus"),
        ("no-corpus-file", "data.corpus: file not found: {root}/corpus/corpus.jsonl"),
    ],
)
def test_missing_input_is_named(tmp_path: Path, tiny_model: Path, inputs: dict[str, Path],
                                breakage: str, expected: str) -> None:  # fmt: skip
    root = tmp_path / "data"
    shutil.copytree(inputs["corpus"].parent, root / "corpus")
    shutil.copytree(inputs["split"], root / "split")
    {
        "no-split-dir": lambda: shutil.rmtree(root / "split"),
        "no-train-file": lambda: (root / "split" / "train.jsonl").unlink(),
        "no-validation-file": lambda: (root / "split" / "validation.jsonl").unlink(),
        "no-corpus-dir": lambda: shutil.rmtree(root / "corpus"),
        "no-corpus-file": lambda: (root / "corpus" / "corpus.jsonl").unlink(),
    }[breakage]()
    config, path = _config(tmp_path, tiny_model, {"corpus": root / "corpus" / "corpus.jsonl", "split": root / "split"})
    with pytest.raises(TrainingError) as caught:
        stage_inputs(config)
    assert caught.value.diagnostics[0].code == "TRN010"
    assert caught.value.diagnostics[0].message == expected.format(root=root)
    done = subprocess.run(bbj_train("run", "--config", str(path)), check=False, capture_output=True, text=True,
                          env=offline_env(tmp_path / "guard"), timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert expected.format(root=root) in done.stderr and "Traceback" not in done.stderr


def test_only_the_stages_run_need_their_inputs(tmp_path: Path, tiny_model: Path, inputs: dict[str, Path]) -> None:
    missing = {"corpus": tmp_path / "nowhere" / "corpus.jsonl", "split": inputs["split"]}
    config, _ = _config(tmp_path, tiny_model, missing, top={"stages": ["sft"]})
    assert set(stage_inputs(config).files) == {"data.split_dir/train.jsonl", "data.split_dir/validation.jsonl"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ('["a list"]', "expected a JSON object"),
        ('{"messages": []}', "expected {'messages'"),
        ('{"messages": [{"role": "robot", "content": "x"}]}', "messages[0]: role must be one of system, user, assistant"),
        ('{"messages": [{"role": "user", "content": 3}]}', "messages[0]: content must be a string"),
        ('{"messages": [{"role": "user", "content": "hi"}]}', "no assistant message with content"),
    ],
)
def test_bad_chatml_line_points_at_its_line(tmp_path: Path, line: str, message: str) -> None:
    good = json.dumps({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]})
    path = tmp_path / "train.jsonl"
    path.write_text(f"{good}\n\n{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(TrainingError) as caught:
        read_conversations(path)
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.path, diagnostic.line, diagnostic.code) == (str(path), 4, "TRN011")
    assert message in diagnostic.message


def test_bad_corpus_line_points_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"text": "REM ok"}\n{"text": ""}\n{"text": "PRINT 1"}\n', encoding="utf-8")
    with pytest.raises(TrainingError) as caught:
        read_texts(path)
    assert [(d.line, d.code) for d in caught.value.diagnostics] == [(2, "TRN011")]


@pytest.mark.parametrize(("lengths", "block"), [([5, 3, 9, 1], 4), ([10], 11), ([2, 2, 2], 3), ([7] * 20, 16)])
def test_packing_fills_whole_blocks(lengths: list[int], block: int) -> None:
    token_lists = [[100 + i] * n for i, n in enumerate(lengths)]
    blocks = pack_blocks(token_lists, eos_id=0, block_length=block)
    stream = [t for tokens in token_lists for t in (*tokens, 0)]
    assert [t for b in blocks for t in b] == stream  # nothing lost or reordered; EOS after each text
    assert all(len(b) == block for b in blocks[:-1]) and 0 < len(blocks[-1]) <= block
    stats = pack_stats(blocks, block)
    assert stats.real_tokens == len(stream)
    assert stats.fill == pytest.approx(len(stream) / (len(blocks) * block))


def _lognormal_lengths(count: int, cap: int, seed: int) -> list[int]:
    """Conversation lengths as real data has them: many short, a long tail, a few cut at the cap."""
    rng = random.Random(seed)
    return [max(20, min(cap, int(rng.lognormvariate(math.log(500), 0.8)))) for _ in range(count)]


@pytest.mark.parametrize(
    ("lengths", "budget"),
    [([5, 3, 9, 1], 9), ([10], 10), ([4] * 7, 8), ([1, 2, 3, 4, 5, 6, 7, 8], 12), (_lognormal_lengths(400, 2048, 1), 8192)],
)
def test_grouping_keeps_the_token_budget(lengths: list[int], budget: int) -> None:
    groups = group_by_length(lengths, budget, seed=5)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths))), "every example in exactly one group"
    for group in groups:
        longest = max(lengths[i] for i in group)
        assert len(group) * longest <= budget
        in_group = [lengths[i] for i in group]
        assert in_group[0] == longest and in_group == sorted(in_group, reverse=True), "longest first"
    assert group_by_length(lengths, budget, seed=5) == groups, "deterministic for a seed"
    stats = group_stats(lengths, groups, budget)
    real = sum(lengths)
    padded = sum(len(g) * max(lengths[i] for i in g) for g in groups)
    counts = (stats.micro_batches, stats.examples, stats.real_tokens, stats.padded_tokens)
    assert counts == (len(groups), len(lengths), real, padded)
    assert stats.non_padding_share == pytest.approx(real / padded)
    assert stats.fill == pytest.approx(real / (len(groups) * budget))


def test_grouping_pads_little_and_shuffles_by_seed() -> None:
    lengths = _lognormal_lengths(2000, 2048, 2)
    budget = 4 * 2048
    groups = group_by_length(lengths, budget, seed=1)
    stats = group_stats(lengths, groups, budget)
    assert stats.non_padding_share >= 0.97, stats  # sorting by length: neighbours are nearly as long
    assert stats.fill >= 0.85, stats
    assert max(len(g) for g in groups) > 4 * min(len(g) for g in groups), "short conversations: many rows"
    other = group_by_length(lengths, budget, seed=2)
    assert other != groups and sorted(map(sorted, other)) == sorted(map(sorted, groups)), "same groups, other order"
    # a greedy pass over the sorted lengths: no two neighbouring groups could have been merged
    by_size = sorted(groups, key=lambda g: -lengths[g[0]])
    for first, _second in itertools.pairwise(by_size):
        assert (len(first) + 1) * lengths[first[0]] > budget


@pytest.mark.parametrize(("lengths", "budget"), [([5, 10], 9), ([0, 3], 9), ([3], 0)])
def test_grouping_refuses_what_cannot_fit(lengths: list[int], budget: int) -> None:
    with pytest.raises(ValueError):
        group_by_length(lengths, budget, seed=0)


@pytest.mark.parametrize(("count", "share", "held"), [(100, 0.02, 2), (10, 0.02, 1), (1, 0.5, 0), (5, 0.0, 0)])
def test_held_out_blocks(count: int, share: float, held: int) -> None:
    blocks = [[i] for i in range(count)]
    train, validation = split_held_out(blocks, share, seed=3)
    assert len(validation) == held and sorted(train + validation) == blocks
    assert split_held_out(blocks, share, seed=3) == (train, validation)


@pytest.mark.parametrize(("share", "general"), [(0.1, 50), (0.25, 50), (0.5, 200), (0.25, 3)])
def test_general_code_share(share: float, general: int) -> None:
    domain = [f"d{i}" for i in range(90)]
    pool = [f"g{i}" for i in range(general)]
    mixed, added = mix_in(domain, pool, share, seed=1)
    assert added == min(general, round(share / (1 - share) * 90))
    assert sorted(x for x in mixed if x.startswith("d")) == sorted(domain)
    assert len(set(mixed)) == len(mixed)
    if general >= 90:
        assert added / len(mixed) == pytest.approx(share, abs=0.01)


@pytest.mark.parametrize("bucket", [64, 128, 256])
def test_length_buckets_leave_few_shapes_within_the_budget(bucket: int) -> None:
    """With a bucket every micro-batch is rows x (longest rounded up to the bucket), inside the
    budget: few distinct shapes (compiled kernels are reused) and every example still exactly once."""
    from train.training.packing import padded_length

    rng = random.Random(3)
    lengths = [max(1, min(2048, int(rng.lognormvariate(6.2, 0.8)))) for _ in range(600)]
    budget = 4 * 2048
    groups = group_by_length(lengths, budget, seed=7, bucket=bucket)
    assert sorted(i for group in groups for i in group) == list(range(len(lengths)))
    shapes = {(len(g), padded_length(max(lengths[i] for i in g), bucket, budget)) for g in groups}
    assert all(rows * width <= budget and width % bucket == 0 for rows, width in shapes)
    widths = {width for _, width in shapes}
    assert len(widths) <= 2048 // bucket
    exact = group_stats(lengths, group_by_length(lengths, budget, seed=7), budget)
    bucketed = group_stats(lengths, groups, budget, bucket)
    assert bucketed.real_tokens == exact.real_tokens and bucketed.padded_tokens >= exact.padded_tokens


def test_padded_length_rounds_up_and_stops_at_the_budget() -> None:
    from train.training.packing import padded_length

    assert [padded_length(n, 128, 8192) for n in (1, 128, 129, 2000)] == [128, 128, 256, 2048]
    assert padded_length(300, 0, 8192) == 300 and padded_length(300, 1, 8192) == 300
    assert padded_length(8100, 1000, 8192) == 8192


def test_the_libraries_gradient_checkpointing_deprecation_is_quiet() -> None:
    import warnings

    from transformers import Qwen2Config, Qwen2ForCausalLM

    from train.training.stages import quiet_libraries

    model = Qwen2ForCausalLM(Qwen2Config(vocab_size=32, hidden_size=8, intermediate_size=16, num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        quiet_libraries()
        assert model.is_gradient_checkpointing is False
        warnings.warn("another FutureWarning still shows", FutureWarning, stacklevel=1)
    assert [str(w.message) for w in caught] == ["another FutureWarning still shows"]
