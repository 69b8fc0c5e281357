"""One gate (issue 14): what `bbj-curate check` passes is what `bbj-train convert` trains on.
Each test reproduces one way around the checks that existed before."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import distinct_example, read_jsonl, write_examples

from curate.checks import CheckOptions, run_checks
from curate.cli import main as curate_main
from curate.config import load_config
from curate.diagnostics import Severity
from train.cli import main as train_main
from train.data.convert import convert_paths

BROKEN = 'print "hello\nfor i = 1 to 3\n    print i'


def check_json(data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    capsys.readouterr()
    status = curate_main(["check", "--checker", "builtin", "--format", "json", str(data)])
    return status, json.loads(capsys.readouterr().out)


def converted_ids(data: Path, out: Path, *args: str) -> set[str]:
    train_main(["convert", str(data), "--out", str(out), *args])
    return {r["meta"]["id"] for r in read_jsonl(out / "examples.jsonl")}


def test_broken_code_under_a_vb_fence_is_compiled_and_never_relabelled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hole: ```vb + lint_ignore [BBJ301] hid broken code from the compile check, and convert
    wrote it out as ```bbj."""
    text = distinct_example(1, code=BROKEN).replace("```bbj", "```vb").replace("status: approved", "status: approved\nlint_ignore: [BBJ301]")
    data = write_examples(
        tmp_path / "p",
        {
            "strings/vb-fence.md": text,
            "strings/fine.md": distinct_example(2).replace("```bbj", "```vb").replace("status: approved", "status: approved\nlint_ignore: [BBJ301]"),
        },
    )
    status, findings = check_json(data, capsys)
    assert status == 1 and {f["code"][:4] for f in findings if f["path"].endswith("vb-fence.md")} == {"BBJ5"}
    assert converted_ids(data, tmp_path / "out") == {"strings/fine"}
    record = read_jsonl(tmp_path / "out" / "examples.jsonl")[0]
    assert "```vb\n" in record["messages"][2]["content"] and "```bbj" not in record["messages"][2]["content"]


def test_lint_ignore_cannot_silence_compile_errors_on_an_approved_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hole: `lint_ignore: [BBJ510, BBJ504]` silenced real compile errors and convert exported it."""
    ignore_all = "lint_ignore: [BBJ501, BBJ502, BBJ503, BBJ504, BBJ505, BBJ510]"
    files = {
        "strings/approved.md": distinct_example(3, code=BROKEN).replace("status: approved", f"status: approved\n{ignore_all}"),
        "strings/draft.md": distinct_example(4, "draft", code=BROKEN).replace("status: draft", f"status: draft\n{ignore_all}"),
    }
    data = write_examples(tmp_path / "p", files)
    status, findings = check_json(data, capsys)
    refused = [f for f in findings if f["path"].endswith("approved.md")]
    assert status == 1 and refused and all("lint_ignore cannot silence" in f["message"] and f["severity"] == "error" for f in refused)
    assert not [f for f in findings if f["path"].endswith("draft.md")], "a draft may still silence its findings"
    assert converted_ids(data, tmp_path / "out") == set()
    assert "lint_ignore cannot silence" in capsys.readouterr().err


def test_rejected_examples_are_recorded_not_gated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hole: a rejected near duplicate (or a rejected broken example) still failed the dedupe
    and compile checks, so the decision could not be committed; a rejected file could keep
    a cluster."""
    keeper = distinct_example(5)
    rejected_dupe = keeper.replace("status: approved", "status: rejected").replace("Print word set 5", "Print word set five")
    files = {
        "strings/keeper.md": keeper,
        "strings/z-rejected-dupe.md": rejected_dupe,
        "strings/rejected-broken.md": distinct_example(6, "rejected", code=BROKEN),
    }
    data = write_examples(tmp_path / "p", files)
    status, findings = check_json(data, capsys)
    assert status == 0, findings
    assert not [f for f in findings if f["path"].endswith("rejected-dupe.md")]
    rejected = [f for f in findings if f["path"].endswith("rejected-broken.md")]
    assert rejected and all(f["severity"] == "warning" and "not blocking" in f["message"] for f in rejected)
    assert converted_ids(data, tmp_path / "all", "--all") == {"strings/keeper"}
    capsys.readouterr()
    assert curate_main(["dedupe", "--format", "json", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["clusters"] == []


def test_drafts_are_recorded_not_gated_until_their_status_moves_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hole: a draft was still blocked by the compile and dedupe gates (work in progress could
    not be committed). Now its compile and dedupe findings are warnings that say so, a draft
    never keeps a cluster (its twin of an approved example carries the finding), and it is
    never converted; once it is in review the same findings are errors again."""
    twin = distinct_example(8)
    draft_twin = twin.replace("status: approved", "status: draft").replace("Print word set 8\n", "Print word set eight\n", 1)
    files = {"strings/a-draft-twin.md": draft_twin, "strings/b-approved.md": twin, "strings/c-draft-broken.md": distinct_example(9, "draft", code=BROKEN)}
    data = write_examples(tmp_path / "p", files)
    status, findings = check_json(data, capsys)
    assert status == 0, findings
    gate = [f for f in findings if f["code"][:4] in ("BBJ5", "BBJ6")]
    assert {Path(f["path"]).name for f in gate} == {"a-draft-twin.md", "c-draft-broken.md"}
    assert {f["code"][:4] for f in gate if f["path"].endswith("twin.md")} == {"BBJ6"} and any(f["code"][:4] == "BBJ5" for f in gate)
    assert all(f["severity"] == "warning" and "not blocking: status draft" in f["message"] for f in gate)
    assert converted_ids(data, tmp_path / "out") == {"strings/b-approved"}
    assert curate_main(["dedupe", str(data)]) == 0, "bbj-curate dedupe agrees: the cluster flags only a draft"

    for name in ("a-draft-twin.md", "c-draft-broken.md"):
        path = data / "strings" / name
        path.write_text(path.read_text("utf-8").replace("status: draft", "status: in-review"), "utf-8")
    status, findings = check_json(data, capsys)
    gate = [f for f in findings if f["code"][:4] in ("BBJ5", "BBJ6")]
    assert status == 1 and {Path(f["path"]).name for f in gate} == {"a-draft-twin.md", "c-draft-broken.md"}
    assert all(f["severity"] == "error" and "not blocking" not in f["message"] for f in gate)
    assert curate_main(["dedupe", str(data)]) == 1


def test_drafts_asked_for_are_gated_like_approved_examples(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`convert --status draft` trains drafts: then a draft with a compile error is refused."""
    files = {"strings/draft-fine.md": distinct_example(10, "draft"), "strings/draft-broken.md": distinct_example(11, "draft", code=BROKEN)}
    data = write_examples(tmp_path / "p", files)
    assert converted_ids(data, tmp_path / "out", "--status", "draft") == {"strings/draft-fine"}
    assert "BBJ5" in capsys.readouterr().err


def _generated(seed: int) -> dict[str, str]:
    """Examples that vary in every way the gate looks at: status, broken code, lint_ignore of
    gate and non-gate codes, fence labels, missing sections, and near duplicates."""
    pick = random.Random(seed)
    files = {}
    for n in range(14):
        status = pick.choice(["approved", "approved", "draft", "in-review", "rejected", "needs-work"])
        text = distinct_example(100 * seed + n, status, code=BROKEN if pick.random() < 0.3 else "")
        if pick.random() < 0.25:
            text = text.replace("```bbj", pick.choice(["```vb", "```basic", "```text", "```"]))
        if pick.random() < 0.3:
            codes = pick.sample(["BBJ301", "BBJ302", "BBJ503", "BBJ504", "BBJ105", "BBJ106", "BBJ510"], 3)
            text = text.replace(f"status: {status}", f"status: {status}\nlint_ignore: [{', '.join(codes)}]")
        if pick.random() < 0.15:
            text = text.replace("## Explanation", "## Notes")
        files[f"strings/generated-{n}.md"] = text
        if pick.random() < 0.15:
            files[f"strings/generated-{n}-copy.md"] = text.replace(f"title: Print word set {100 * seed + n}", f"title: Copy {n}")
    # Always one broken draft and one draft twin of an approved example: what the draft rule relaxes.
    files["strings/generated-draft-broken.md"] = distinct_example(100 * seed + 50, "draft", code=BROKEN)
    files["strings/generated-twin.md"] = distinct_example(100 * seed + 51)
    files["strings/generated-twin-draft.md"] = distinct_example(100 * seed + 51, "draft").replace("title: Print word set", "title: Draft of word set")
    return files


@pytest.mark.parametrize("trains", [("approved",), ("approved", "draft")], ids=["approved", "approved+draft"])
@pytest.mark.parametrize("seed", range(6))
def test_converted_iff_check_passes_and_status_trains(tmp_path: Path, seed: int, trains: tuple[str, ...]) -> None:
    """Property: an example is in convert's output if and only if `bbj-curate check` (with the
    same trainable statuses) reports no error for it and its status is trainable; drafts
    included, whose compile and dedupe findings are warnings unless drafts are trained."""
    data = write_examples(tmp_path / "p", _generated(seed))
    config = load_config([data]).replace(checker="builtin", trainable_statuses=list(trains))
    run = run_checks([data], config, CheckOptions())
    failing = {d.path for d in run.diagnostics if d.severity is Severity.ERROR}
    expected = {e.id for e in run.examples if e.status in trains and e.display_path not in failing}
    converted = {r["meta"]["id"] for r in convert_paths([data], config, trains).records}
    assert converted == expected
    assert expected and len(expected) < len(run.examples), "the generated set exercises both sides"
    drafts = {d.path: d.severity for d in run.diagnostics if d.path.endswith(("draft-broken.md", "twin-draft.md")) and d.code[:4] in ("BBJ5", "BBJ6")}
    assert len(drafts) == 2 and set(drafts.values()) == {Severity.ERROR if "draft" in trains else Severity.WARNING}


LEGACY = [
    {
        "messages": [
            {"role": "user", "content": "Print the numbers one to three in BBj."},
            {"role": "assistant", "content": "```bbj\nfor i = 1 to 3\n    print i\nnext i\n```"},
        ]
    },
    {
        "messages": [
            {"role": "user", "content": "Compare two names in BBj."},
            {"role": "assistant", "content": '```bbj\nif a$ == b$ then print "same" // equal\nconsole.log(a$)\n```'},
        ]
    },
    {"messages": [{"role": "user", "content": "Open a window in BBj."}, {"role": "assistant", "content": 'Like this:\n\n```vb\nwhile 1\n    print "x"\n```'}]},
]


def test_legacy_records_pass_the_compile_check(tmp_path: Path) -> None:
    """Hole: import-chatml kept legacy answers with `==`, `//` and `console.log`, and
    `make data LEGACY=...` put them straight into the split."""
    source = tmp_path / "legacy.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in LEGACY), "utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.bbj-curate]\nchecker = "builtin"\n', "utf-8")
    assert train_main(["import-chatml", str(source), "--out", str(tmp_path / "out"), "--to-markdown", str(tmp_path / "drafts")]) == 0
    kept = read_jsonl(tmp_path / "out" / "records.jsonl")
    assert [r["meta"]["line"] for r in kept] == [1]
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    for line in (2, 3):
        entry = report["lines"][line - 1]
        assert entry["outcome"] == "dropped" and entry["reasons"][-1].startswith("compile-error:BBJ5")
        assert entry["diagnostics"] and all(d["code"].startswith("BBJ5") and d["line"] >= 1 for d in entry["diagnostics"])
    assert any(d["code"] == "BBJ510" for d in report["lines"][1]["diagnostics"])
    assert len(list((tmp_path / "drafts").rglob("*.md"))) == 3, "failing records become drafts to review"

    kept_anyway = tmp_path / "kept"
    assert train_main(["import-chatml", str(source), "--out", str(kept_anyway), "--keep-uncompiled"]) == 0
    records = read_jsonl(kept_anyway / "records.jsonl")
    assert [r["meta"].get("compile_errors", 0) > 0 for r in records] == [False, True, True]
    split = subprocess.run(
        [sys.executable, "-m", "train.cli", "split", str(kept_anyway), "--out", str(tmp_path / "split")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert split.returncode == 0 and "2 records were kept despite compile errors" in split.stderr
