"""`bbj-train export` end to end on a really trained (tiny) run: merge -> GGUF -> Q4_K_M/Q8_0 ->
verification -> Modelfile, card, SHA256SUMS; and every refusal before anything is written."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from release_helpers import KL_BOUND, NAME, build_export_model, guarded_env

from train.cli import main
from train.release.llama_steps import Job, run_llama_steps

pytestmark = pytest.mark.usefixtures("export_stack")


def record(release: Path) -> dict[str, Any]:
    return json.loads((release / "release.json").read_text("utf-8"))


def test_release_folder_is_complete_and_nothing_half_written_is_left(release: Path) -> None:
    names = {p.name for p in release.iterdir()}
    assert {f"{NAME}-F16.gguf", f"{NAME}-Q4_K_M.gguf", f"{NAME}-Q8_0.gguf", "Modelfile", "README.md", "SHA256SUMS",
            "release.json", "adapter"} <= names  # fmt: skip
    assert ".work" not in names
    assert all(p.stat().st_mode & 0o004 for p in [release, *release.rglob("*")])  # readable by an ollama service user
    assert [p.name for p in release.parent.iterdir()] == [NAME]  # no partial folder beside it


def test_sha256sums_cover_every_file(release: Path) -> None:
    from train.training.rundir import sha256

    listed = dict(line.split("  ", 1)[::-1] for line in (release / "SHA256SUMS").read_text("utf-8").splitlines())
    files = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file() and p.name != "SHA256SUMS"}
    assert set(listed) == files
    assert all(sha256(release / name) == digest for name, digest in listed.items())


def test_every_file_was_verified_with_numbers_in_the_card(release: Path) -> None:
    reports = {r["kind"]: r for r in record(release)["verification"]}
    assert set(reports) == {"F16", "Q4_K_M", "Q8_0"}
    for kind, file_type in (("F16", 1), ("Q8_0", 7), ("Q4_K_M", 15)):
        report = reports[kind]
        assert report["failures"] == []
        assert report["metadata"] == {"architecture": "qwen2", "file_type": file_type, "pre_tokenizer": "qwen2",
                                      "eos_token_id": 0, "chat_template_equal": True}  # fmt: skip
        assert report["tokens"] == {"texts": 4, "equal": True}
    f16 = reports["F16"]["logits"]
    assert f16["reference"] == "merged model (float32)" and f16["top1_agreement"] == 1.0 and f16["nmse"] < 1e-4
    assert f16["decisive_positions"] > 0.9 * f16["positions"]
    assert reports["Q8_0"]["logits"]["kl_mean"] < reports["Q4_K_M"]["logits"]["kl_mean"] < KL_BOUND
    card = (release / "README.md").read_text("utf-8")
    assert f"{reports['Q4_K_M']['logits']['kl_mean']:.3g}" in card
    assert "## Base model" in card and "## Training" in card and "## Licence" in card and "Intended use" in card


def test_every_file_gets_compile_at_1_on_the_same_cases(release: Path) -> None:
    evaluation = record(release)["evaluation"]
    assert evaluation["cases"] == ["bbj-bench-v1-001", "bbj-bench-v1-002"]
    assert [r["file"] for r in evaluation["results"]] == [f"{NAME}-F16.gguf", f"{NAME}-Q4_K_M.gguf", f"{NAME}-Q8_0.gguf"]
    for result in evaluation["results"]:
        assert result["cases"] == 2 and len(result["statuses"]) == 2 and result["compile_at_1"] == result["passed"] / 2
    assert "compile@1" in (release / "README.md").read_text("utf-8")


def test_q4_k_m_is_real_q4_k(release: Path) -> None:
    from train.release.quantize import tensor_types

    types = set(tensor_types(release / f"{NAME}-Q4_K_M.gguf").values())
    assert {"Q4_K", "Q6_K"} <= types and "Q5_0" not in types  # no fallback: sizes are multiples of 256


def test_verification_fails_against_the_wrong_model(release: Path, base: Path, trained_run: Path) -> None:
    """The logit check can fail: the F16 file compared with the UNmerged base."""
    from transformers import AutoTokenizer

    from train.release.reference import reference_logits
    from train.release.verify import reference_inputs, verify_gguf

    tokenizer = AutoTokenizer.from_pretrained(trained_run / "adapter")
    template = (trained_run / "adapter" / "chat_template.jinja").read_text("utf-8")
    inputs = reference_inputs(tokenizer)
    report, _ = verify_gguf(release / f"{NAME}-F16.gguf", "F16", tokenizer, template, "qwen2", inputs,
                            reference_logits(base, inputs), "base")  # fmt: skip
    assert any("NMSE" in failure for failure in report.failures)
    wrong_kind, _ = verify_gguf(release / f"{NAME}-Q8_0.gguf", "Q4_K_M", tokenizer, "other", "qwen2", inputs,
                                reference_logits(base, inputs), "base")  # fmt: skip
    assert any("file_type" in f for f in wrong_kind.failures) and any("chat_template" in f for f in wrong_kind.failures)


def test_adapters_name_their_base_by_absolute_path(release: Path, trained_run: Path, base: Path) -> None:
    for adapter in (trained_run / "adapter", release / "adapter"):
        config = json.loads((adapter / "adapter_config.json").read_text("utf-8"))
        assert config["base_model_name_or_path"] == str(base.resolve())
    assert json.loads((trained_run / "run.json").read_text("utf-8"))["base"]["fingerprint"]


def test_modelfile_parses_as_ollama_would(release: Path) -> None:
    from train.release.modelfile import check_release_modelfile

    modelfile = check_release_modelfile(release / "Modelfile", num_ctx=64)
    assert modelfile.first("model") == f"./{NAME}-Q4_K_M.gguf"
    assert modelfile.parameters["temperature"] == 0.2


# -- torch and llama.cpp in separate processes ----------------------------------------------------
def test_export_keeps_torch_and_llama_cpp_in_separate_processes(release: Path, export_guard: Path, tmp_path: Path) -> None:
    """The `release` export ran under the import guard (import_guard/sitecustomize.py): the export
    and its converter refuse llama_cpp, its llama.cpp process refuses torch and transformers; it
    succeeded and verified every file (the tests above), so none of them needed what it refused."""
    log = (export_guard / "imports.log").read_text("utf-8").splitlines()
    assert [line for line in log if line.startswith("refused")] == []
    roles = [line.split()[0] for line in log]
    assert roles.count("llama") == 1 and roles.count("export") >= 2  # the export, its converter; one llama.cpp process
    said = (export_guard / "stderr").read_text("utf-8")  # the llama.cpp process's progress reached the user
    for message in ("quantize: Q4_K_M through llama_model_quantize", "quantize: Q8_0", "verify: metadata, token ids, logits", "evaluate: compile@1"):
        assert f"bbj-train export: {message}" in said
    assert "train.release.llama_steps" not in said and "Traceback" not in said
    refused = subprocess.run([sys.executable, "-c", "import llama_cpp"], env=guarded_env(tmp_path / "imports.log"), capture_output=True, text=True)
    assert refused.returncode == 1 and "import guard" in refused.stderr  # the guard does refuse
    assert (tmp_path / "imports.log").read_text("utf-8").splitlines()[-1] == "refused export llama_cpp"


def llama_job(folder: Path) -> Job:
    return Job(str(folder / "m-F16.gguf"), "F16", {"Q4_K_M": str(folder / "m-Q4_K_M.gguf")}, {}, "", "qwen2", KL_BOUND, [])


def test_a_crash_of_the_llama_cpp_process_names_its_signal_and_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard's crash switch makes the llama.cpp process kill itself with SIGSEGV as its quantize
    step calls llama.cpp (what a CUDA llama.cpp did on its first model load after torch or numpy)."""
    from train.training.errors import TrainingError

    for name, value in guarded_env(tmp_path / "imports.log", BBJ_IMPORT_GUARD_CRASH="1").items():
        monkeypatch.setenv(name, value)
    said: list[str] = []
    with pytest.raises(TrainingError) as caught:
        run_llama_steps(llama_job(tmp_path), tmp_path, "dist/bbj-test", said.append)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.path == "dist/bbj-test" and diagnostic.code == "REL070"
    assert "killed by SIGSEGV (Segmentation fault) during quantize Q4_K_M" in diagnostic.message
    assert said == ["quantize: Q4_K_M through llama_model_quantize"]


def test_a_failure_in_the_llama_cpp_process_comes_back_as_its_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                          capfd: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from train.training.errors import TrainingError

    for name, value in guarded_env(tmp_path / "imports.log").items():
        monkeypatch.setenv(name, value)
    with pytest.raises(TrainingError) as caught:
        run_llama_steps(llama_job(tmp_path), tmp_path, "dist/bbj-test", lambda message: None)  # no 16-bit file to quantize
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.render() == f"{tmp_path / 'm-F16.gguf'}: REL040 llama_model_quantize to Q4_K_M failed (code 1)"
    assert "Traceback" not in capfd.readouterr().err
    (line,) = (tmp_path / "imports.log").read_text("utf-8").splitlines()  # one process, guarded, nothing refused
    assert line.startswith("llama ")


def test_an_unexpected_error_in_the_llama_cpp_process_is_one_line_naming_the_step(tmp_path: Path) -> None:
    from train.release.llama_steps import REFERENCE, LlamaStepsError, save_reference

    save_reference(tmp_path / REFERENCE, [])
    job = Job(str(tmp_path / "m-F16.gguf"), "F16", {}, {"eos_token_id": 0}, "", "qwen2", KL_BOUND, [])  # answers cut short
    with pytest.raises(LlamaStepsError, match=r"^verify: KeyError: 'inputs'$"):
        run_llama_steps(job, tmp_path, "dist/bbj-test", lambda message: None)


# -- refusals: all before a byte is written --------------------------------------------------------
def export_fails(capsys: pytest.CaptureFixture[str], out: Path, *args: str) -> str:
    capsys.readouterr()
    assert main(["export", "--out", str(out), "--name", NAME, *args]) == 2
    assert not out.exists() or not any(out.iterdir())
    return capsys.readouterr().err


def test_a_failure_midway_leaves_no_half_release(trained_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from train.release import converter
    from train.training.errors import fail

    def broken(*args: object) -> None:
        raise fail("convert", "REL034", "converter crashed")

    monkeypatch.setattr(converter, "convert", broken)
    err = export_fails(capsys, tmp_path / "dist", "--run", str(trained_run))  # the merge ran, then convert failed
    assert "REL034" in err


def test_refuses_missing_or_remote_base(trained_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = export_fails(capsys, tmp_path / "dist", "--run", str(trained_run), "--base", str(tmp_path / "nowhere"))
    assert "REL010" in err and "folder not found" in err
    err = export_fails(capsys, tmp_path / "dist", "--run", str(trained_run), "--base", "Qwen/Qwen2.5-Coder-14B")
    assert "REL010" in err and "never downloads" in err


def test_refuses_an_adapter_trained_on_another_base(trained_run: Path, data: dict[str, Path], tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    other = build_export_model(tmp_path / "other-seed", data["corpus"], seed=1)  # same shapes, other weights
    err = export_fails(capsys, tmp_path / "dist", "--run", str(trained_run), "--base", str(other))
    assert "REL013" in err and "another base" in err


def test_refuses_an_unmergeable_adapter(trained_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = Path(shutil.copytree(trained_run, tmp_path / "run"))
    config = run / "adapter" / "adapter_config.json"
    config.write_text(json.dumps({**json.loads(config.read_text("utf-8")), "use_dora": True}), "utf-8")
    err = export_fails(capsys, tmp_path / "dist", "--run", str(run))
    assert "REL021" in err and "DoRA" in err


def test_refuses_an_architecture_whose_reference_cannot_be_streamed(trained_run: Path, base: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    other = Path(shutil.copytree(base, tmp_path / "base"))
    config = other / "config.json"
    config.write_text(json.dumps({**json.loads(config.read_text("utf-8")), "model_type": "gpt_neox"}), "utf-8")
    err = export_fails(capsys, tmp_path / "dist", "--run", str(trained_run), "--base", str(other))
    assert "REL016" in err and "gpt_neox" in err


def test_refuses_when_the_disk_is_too_small(trained_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import collections

    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr("train.release.base.shutil.disk_usage", lambda path: usage(10**9, 10**9 - 10**6, 10**6))
    err = export_fails(capsys, tmp_path / "dist", "--run", str(trained_run))
    assert "REL014" in err and "not enough disk space" in err


def test_refuses_an_existing_output_folder(trained_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dist" / NAME).mkdir(parents=True)
    (tmp_path / "dist" / NAME / "keep.txt").write_text("mine", "utf-8")
    capsys.readouterr()
    assert main(["export", "--out", str(tmp_path / "dist"), "--name", NAME, "--run", str(trained_run)]) == 2
    assert "REL015" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "dist").iterdir()] == [NAME]
    assert (tmp_path / "dist" / NAME / "keep.txt").read_text("utf-8") == "mine"


# -- serving ----------------------------------------------------------------------------------------
def test_served_release_answers_and_stops_at_im_end(release: Path, tmp_path: Path) -> None:
    """`bbj-train serve` (a real subprocess) on 127.0.0.1; one chat request through the openai client."""
    from openai import OpenAI
    from release_helpers import ANSWER, QUESTION, SYSTEM, served

    with served(release, tmp_path / "server.log") as base_url:
        client = OpenAI(base_url=base_url, api_key="none", timeout=60)
        assert [m.id for m in client.models.list().data] == [NAME]
        reply = client.chat.completions.create(model=NAME, max_tokens=48, temperature=0.0, messages=[
            {"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}])  # fmt: skip
        choice = reply.choices[0]
        assert choice.finish_reason == "stop" and reply.usage is not None and reply.usage.completion_tokens < 48
        assert choice.message.content == ANSWER  # the trained answer, cut at <|im_end|> (not shown)


def test_ollama_create_runs_when_ollama_is_on_path(release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from train.commands.export import _ollama_create

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    _ollama_create(release, NAME)
    assert f"ollama create {NAME} -f {release / 'Modelfile'}" in capsys.readouterr().out

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "ollama"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {tmp_path / "args"}\n', "utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    _ollama_create(release, NAME)
    assert (tmp_path / "args").read_text("utf-8").split("\n")[:4] == ["create", NAME, "-f", str(release / "Modelfile")]
