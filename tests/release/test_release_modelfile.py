"""The Modelfile: parsed the way Ollama's parser does (its own test cases), and its TEMPLATE
rendered by Go's text/template exactly as the tokenizer's chat template renders the same
conversations (Ollama's TestTemplate conversations, plus the FIM branch)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from train.data.chatml import system_prompt
from train.data.fim import render_fim
from train.release.modelfile import (
    ModelfileError,
    parse_commands,
    parse_modelfile,
    qwen25_coder_template,
    render_modelfile,
)

GO_PROGRAM = Path(__file__).parent / "gotemplate" / "main.go"

# Cases from Ollama's parser/parser_test.go (TestParseFileFrom, ...Quoted, ...Messages, ...Parameters).
PARSED = [
    ('FROM "FOO  BAR  "', [("model", "FOO  BAR  ")]),
    ('FROM "FOO BAR"\nPARAMETER param1 value1', [("model", "FOO BAR"), ("param1", "value1")]),
    ("FROM     FOOO BAR    ", [("model", "FOOO BAR")]),
    ("PARAMETER what the \nFROM lemons make lemonade ", [("what", "the"), ("model", "lemons make lemonade")]),
    ("\n# comment\nFROM foo\n\t", [("model", "foo")]),
    ('\nFROM foo\nSYSTEM """\nThis is a\nmultiline system.\n"""\n\t\t\t', [("model", "foo"), ("system", "\nThis is a\nmultiline system.\n")]),
    ('\nFROM foo\nSYSTEM """"""\n', [("model", "foo"), ("system", "")]),
    ('\nFROM foo\nSYSTEM """\'\'"\'""\'""\'"\'\'\'\'\'""\'""\'"""\n', [("model", "foo"), ("system", "''\"'\"\"'\"\"'\"'''''\"\"'\"\"'")]),
    ("\nFROM foo\nMESSAGE system You are a file parser. Always parse things.",
     [("model", "foo"), ("message", "system: You are a file parser. Always parse things.")]),
    ('FROM foo\nPARAMETER stop """### User:\n"""', [("model", "foo"), ("stop", "### User:\n")]),
    ("FROM foo\nPARAMETER stop ### User: ", [("model", "foo"), ("stop", "### User:")]),
]  # fmt: skip
REFUSED = [
    ("", "no FROM line"),
    ("PARAMETER param1 value1", "no FROM line"),
    ("\nFROM foo\nPARAMETER param1\n", "unexpected EOF"),
    ("\nFROM foo\nBADCOMMAND param1 value1\n", "(line 3): command must be one of"),
    ("\nFROM foo\nMESSAGE badguy I'm a bad guy!\n", "(line 3): message role must be one of"),
    ('\nFROM foo\nSYSTEM """This is a multiline system.""\n\t\t\t', "unexpected EOF"),
    ('\nFROM foo\nSYSTEM "\n\t\t\t', "unexpected EOF"),
]


@pytest.mark.parametrize(("text", "commands"), PARSED)
def test_parses_like_ollama(text: str, commands: list[tuple[str, str]]) -> None:
    assert parse_commands(text) == commands


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_refuses_like_ollama(text: str, message: str) -> None:
    with pytest.raises(ModelfileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_commands(text)


def test_parameters_are_checked_like_ollamas_format_params() -> None:
    parsed = parse_modelfile('FROM x\nPARAMETER stop "<|im_end|>"\nPARAMETER stop <|endoftext|>\nPARAMETER num_ctx 4096\n'
                             "PARAMETER temperature 0.2\nPARAMETER use_mmap true\nPARAMETER mirostat 1\n")  # fmt: skip
    assert parsed.parameters == {"stop": ["<|im_end|>", "<|endoftext|>"], "num_ctx": 4096, "temperature": 0.2, "use_mmap": True}
    assert parsed.warnings == ["parameter mirostat is deprecated"]
    for bad, message in (("num_ctx 4k", "invalid int"), ("temprature 0.2", "unknown parameter 'temprature'"),
                         ("top_p high", "invalid float"), ("use_mmap maybe", "invalid bool")):  # fmt: skip
        with pytest.raises(ModelfileError, match=message):
            parse_modelfile(f"FROM x\nPARAMETER {bad}\n")


def test_written_modelfile_round_trips_through_the_parser() -> None:
    system = system_prompt([])
    parsed = parse_modelfile(render_modelfile("m-Q4_K_M.gguf", system, 4096))
    assert parsed.first("model") == "./m-Q4_K_M.gguf"
    assert parsed.first("template") == qwen25_coder_template()
    assert parsed.first("system") == system
    assert parsed.parameters == {"stop": ["<|im_end|>", "<|endoftext|>"], "num_ctx": 4096, "temperature": 0.2}


# -- Go render parity --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def render(tmp_path_factory: pytest.TempPathFactory):
    go = shutil.which("go")
    if go is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the Go template test: install golang-go (.ci/run does)")
        pytest.skip("go not installed (Debian golang-go): the TEMPLATE render parity test needs Go's text/template")
    binary = tmp_path_factory.mktemp("go") / "render"
    env = {**os.environ, "GOCACHE": str(tmp_path_factory.mktemp("gocache")), "GOFLAGS": "-mod=mod", "GO111MODULE": "off"}
    subprocess.run([go, "build", "-o", str(binary), str(GO_PROGRAM)], check=True, env=env, capture_output=True)

    def run(**values: object) -> str:
        payload = json.dumps({"template": qwen25_coder_template(), **values})
        return subprocess.run([str(binary)], input=payload, capture_output=True, text=True, check=True).stdout

    return run


HELLO = {"role": "user", "content": "Hello, how are you?"}
GREAT = {"role": "assistant", "content": "I'm doing great. How can I help you today?"}
SHOW = {"role": "user", "content": "I'd like to show off how chat templating works!"}
BBJ = [{"role": "user", "content": 'Open a window titled "Kunden" in BBj.'},
       {"role": "assistant", "content": '```bbj\nwindow! = sysgui!.addWindow(100, 100, 400, 300, "Kunden")\n```'},
       {"role": "user", "content": "Now add an OK button.\n\n  Indented, with trailing space. "}]  # fmt: skip
CONVERSATIONS = {  # Ollama's template_test.go TestTemplate conversations, then BBj ones
    "user": [HELLO],
    "user-assistant-user": [HELLO, GREAT, SHOW],
    "system-user-assistant-user": [{"role": "system", "content": "You are a helpful assistant."}, HELLO, GREAT, SHOW],
    "bbj": BBJ,
    "bbj-own-system": [{"role": "system", "content": system_prompt(["dwc"])}, *BBJ],
}


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_go_render_equals_the_trained_chat_template(render, base: Path, name: str) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base)
    messages = CONVERSATIONS[name]
    default_system = system_prompt([])
    expected_messages = messages if messages[0]["role"] == "system" else [{"role": "system", "content": default_system}, *messages]
    expected = tokenizer.apply_chat_template(expected_messages, tokenize=False, add_generation_prompt=True)
    assert render(system=default_system, messages=messages) == expected


def test_go_render_of_a_fill_in_the_middle_request_is_the_stage_1_format(render) -> None:
    prefix, suffix = 'PRINT "a"\nFOR i = 1 TO 3\n', "NEXT i\nEND\n"
    assert render(prompt=prefix, suffix=suffix) == render_fim(prefix, "", suffix)


def test_serve_reads_the_release_modelfile_and_binds_loopback(tmp_path: Path) -> None:
    from train.release.serve import find_target, server_argv
    from train.training.errors import TrainingError

    with pytest.raises(TrainingError, match="REL060"):
        find_target(tmp_path, None, None)
    (tmp_path / "Modelfile").write_text(render_modelfile("m-Q4_K_M.gguf", "sys", 2048), "utf-8")
    with pytest.raises(TrainingError, match="REL061"):
        find_target(tmp_path, None, None)  # FROM names a file that is not there
    (tmp_path / "m-Q4_K_M.gguf").write_bytes(b"GGUF")
    target = find_target(tmp_path, None, None)
    assert (target.gguf.name, target.n_ctx, target.alias) == ("m-Q4_K_M.gguf", 2048, tmp_path.name)
    argv = server_argv(target, 8123, None)
    assert argv[argv.index("--host") + 1] == "127.0.0.1" and argv[argv.index("--n_ctx") + 1] == "2048"
    (tmp_path / "Modelfile").write_text("FROM ./m-Q4_K_M.gguf\nPARAMETER num_ctx lots\n", "utf-8")
    with pytest.raises(TrainingError, match="REL061"):
        find_target(tmp_path, None, None)


def test_serve_without_the_server_package_names_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from train.release.serve import exec_server
    from train.training.errors import TrainingError

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None)
    with pytest.raises(TrainingError) as caught:
        exec_server(["never-run"])
    assert [d.render() for d in caught.value.diagnostics] == [
        "bbj-train serve: REL062 the llama-cpp-python server is not installed: pip install -e '.[export]'"
    ]
