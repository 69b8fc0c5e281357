"""The run config: shipped configs load, bad keys and values are named (with their line)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from training_helpers import REPO, bbj_train, offline_env

from train.config import ALL_LINEAR, ConfigError, load_config

GOOD = """name = "x"
base_model = "Qwen/Qwen2.5-Coder-7B"
[cpt]
micro_batch_size = 4
gradient_accumulation = 8
[sft]
micro_batch_size = 4
gradient_accumulation = 8
"""


@pytest.mark.parametrize("name", ["qwen2.5-coder-14b", "qwen2.5-coder-7b", "tiny"])
def test_shipped_configs_load(name: str) -> None:
    config = load_config(REPO / "configs" / f"{name}.toml")
    assert config.name == name
    assert config.lora.effective_alpha == 2 * config.lora.r
    assert config.stages == ["cpt", "sft"]
    if name != "tiny":
        assert all(32 <= config.stage(s).effective_batch <= 64 for s in config.stages)
        assert 2048 <= config.max_seq_len <= 4096
        assert config.quantization.load_in_4bit and config.quantization.quant_type == "nf4"


def test_defaults() -> None:
    config = _load(GOOD)
    assert (config.cpt.learning_rate, config.sft.learning_rate) == (5e-5, 2e-4)
    assert config.lora.target_modules == ALL_LINEAR
    assert config.lora.effective_alpha == 64
    assert config.backend == "auto" and config.quantization.double_quant


@pytest.mark.parametrize(
    ("edit", "expected", "line"),
    [
        ("[lora]\nrnak = 32\n", "lora.rnak: unknown key", 10),
        ("nmae = 'y'\n", "nmae: unknown key", 1),
        ("[lora]\nr = 16\n", "lora.r: Input should be greater than or equal to 32", 10),
        ("[lora]\nr = 128\n", "lora.r: Input should be less than or equal to 64", 10),
        ("[quantization]\nquant_type = 'int8'\n", "quantization.quant_type: Input should be 'nf4' or 'fp4'", 10),
        ("[data]\ngeneral_code_share = 0.2\n", "data.general_code_share > 0 needs data.general_code", 10),
        ("[data]\ngeneral_code_share = 0.9\n", "data.general_code_share: Input should be less than or equal to 0.5", 10),
        ("[lora.extra]\nx = 1\n", "lora.extra: unknown key", 9),
        ("lora.r = 8\n", "lora.r: Input should be greater than or equal to 32", 1),  # a dotted key
        ("max_seq_len = 512\n", "max_seq_len: 512 is outside 2048-4096", 1),  # a check across keys, at the key it names
    ],
)
def test_bad_key_is_named(edit: str, expected: str, line: int) -> None:
    text = GOOD + edit if edit.startswith("[") else edit + GOOD
    with pytest.raises(ConfigError) as caught:
        _load(text)
    messages = [d.message for d in caught.value.diagnostics]
    assert expected in messages[0], messages
    assert caught.value.diagnostics[0].code == "TRN002"
    assert caught.value.diagnostics[0].line == line


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (("[cpt]\nmicro_batch_size = 4", "[cpt]\nmicro_batch_size = 1"), "cpt.micro_batch_size x cpt.gradient_accumulation = 8"),
        (('name = "x"', 'name = "x"\nmax_seq_len = 512'), "max_seq_len: 512 is outside 2048-4096"),
        (('name = "x"', 'name = "../x"'), "name: use letters, digits"),
        (('name = "x"', 'name = "x"\nstages = ["sft", "cpt"]'), "stages: each stage once, cpt before sft"),
        (("[sft]\n", "[sft]\nepochs = 4\n"), "sft.epochs: Input should be less than or equal to 3"),
        (('base_model = "Qwen/Qwen2.5-Coder-7B"\n', ""), "base_model: required key is missing"),
    ],
)
def test_bad_value_is_named(replace: tuple[str, str], expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(GOOD.replace(*replace))
    assert expected in str(caught.value)


def test_small_scale_allows_demo_sizes() -> None:
    text = GOOD.replace('name = "x"', 'name = "x"\nsmall_scale = true\nmax_seq_len = 256').replace("gradient_accumulation = 8", "gradient_accumulation = 1")
    config = _load(text)
    assert config.max_seq_len == 256 and config.cpt.effective_batch == 4


def test_toml_syntax_error_has_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\nbase_model = \n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.code, diagnostic.line) == ("TRN001", 2)


def test_a_key_left_at_its_default_points_at_its_table_and_a_missing_key_at_the_file() -> None:
    with pytest.raises(ConfigError) as caught:  # sft.micro_batch_size is not written: its table's line
        _load(GOOD.replace("[sft]\nmicro_batch_size = 4\ngradient_accumulation = 8\n", "[sft]\ngradient_accumulation = 1\n"))
    assert [(d.path, d.line) for d in caught.value.diagnostics] == [("run.toml", 6)]
    with pytest.raises(ConfigError) as caught:  # the effective batch check points at the written micro_batch_size
        _load(GOOD.replace("[cpt]\nmicro_batch_size = 4", "[cpt]\nmicro_batch_size = 1"))
    assert [(d.path, d.line) for d in caught.value.diagnostics] == [("run.toml", 4)]
    with pytest.raises(ConfigError) as caught:
        _load(GOOD.replace('name = "x"\n', ""))
    assert [d.render() for d in caught.value.diagnostics] == ["run.toml: TRN002 name: required key is missing"]


def test_cli_names_the_bad_key_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(GOOD + "[lora]\nrnak = 32\n", encoding="utf-8")
    done = subprocess.run(bbj_train("run", "--config", str(path)), check=False, capture_output=True, text=True,
                          env=offline_env(tmp_path / "guard"), cwd=tmp_path, timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert f"{path}:10:1: TRN002 lora.rnak: unknown key" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "runs").exists()


def _load(text: str):
    import tomllib

    from train.config import ConfigSource, config_from_mapping

    return config_from_mapping(tomllib.loads(text), ConfigSource(Path("run.toml"), text))
