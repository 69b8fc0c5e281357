"""Commit-time speed: a commit that changes 3 examples in a repository of 10,000, through real git
and real pre-commit with this repository's hooks (`language: system`, the venv on PATH).

    python bench/bench_hooks.py [--count 10000] [--runs 5]

Measured, each the median of --runs commits (each run edits the code and prose of 3 other
examples, so the compile cache never answers for them):
- `git commit` with the four hooks installed (what a contributor waits for);
- each hook's console script alone on the 3 files (whole process, import time included);
- the first dedupe run, which builds the persisted index of the 10,000 examples.
Target (issue: pre-commit hooks): all hooks together <= 2 s wall once the index exists. Also
checks that no hook process imports torch or transformers."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from benchlib import machine, median_seconds, table
from gen_examples import generate

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ["bbj-validate", "bbj-lint", "bbj-compile", "bbj-dedupe"]
IMPORT_PROBE = (
    "import sys, runpy; sys.argv = sys.argv[1:]; "
    "exit_code = None\n"
    "try:\n    runpy.run_module(sys.argv[0], run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "heavy = sorted(m for m in ('torch', 'transformers', 'trl', 'peft') if m in sys.modules)\n"
    "print(','.join(heavy))"
)


def git(work: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=work, env=env, capture_output=True, text=True, check=False)


def edit(paths: list[Path], run: int) -> None:
    """A real change to code and prose, different on every run."""
    for path in paths:
        text = path.read_text("utf-8")
        text = text.replace("\n```\n", f'\nedit_{run}$ = "changed in run {run}"\n```\n', 1)
        path.write_text(text + f"\nRevised in run {run}.\n", "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "PRE_COMMIT_HOME": "", "SKIP": ""}
    # as a contributor's Python does: bytecode is cached (with PYTHONDONTWRITEBYTECODE set, every
    # module edited since its .pyc was written is compiled from source in every hook process)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="b@example.com", GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="b@example.com")
    work = Path(tempfile.mkdtemp(prefix="bench-hooks-"))
    env["PRE_COMMIT_HOME"] = str(work / ".pre-commit-home")
    rows: list[tuple[str, ...]] = []
    try:
        repo = work / "repo"
        paths = generate(repo / "training-data", args.count)
        shutil.copy(ROOT / ".pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
        # this repository's hooks run `.venv/bin/bbj-*`: point the bench repository's .venv at ours
        (repo / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
        (repo / ".gitignore").write_text(".venv\n.bbj-cache/\n", "utf-8")
        (repo / "pyproject.toml").write_text('[tool.bbj-curate]\nchecker = "builtin"\n', "utf-8")
        git(repo, "init", "-q", env=env)
        git(repo, "add", "-A", env=env)
        git(repo, "commit", "-qm", "10k examples", "--no-verify", env=env)
        subprocess.run([str(bin_dir / "pre-commit"), "install"], cwd=repo, env=env, check=True, capture_output=True)

        first = [str(p.relative_to(repo)) for p in paths[:1]]
        start = time.perf_counter()
        subprocess.run([str(bin_dir / "bbj-dedupe"), *first], cwd=repo, env=env, capture_output=True, check=False)
        index_build = time.perf_counter() - start
        rows.append(("bbj-dedupe, first run (builds the index of all examples)", f"{index_build:.2f} s", "", ""))

        counter = iter(range(1, 10_000))
        picks = iter(range(100, len(paths), 3))

        def changed() -> list[str]:
            chosen = [paths[next(picks)] for _ in range(3)]
            edit(chosen, next(counter))
            return [str(p.relative_to(repo)) for p in chosen]

        outcome: list[str] = []

        def commit() -> None:
            files = changed()
            git(repo, "add", *files, env=env)
            result = git(repo, "commit", "-qm", "change 3 examples", env=env)
            outcome.append("passed" if result.returncode == 0 else "rejected")
            if result.returncode != 0:
                git(repo, "commit", "-qm", "change 3 examples", "--no-verify", env=env)

        total, _ = median_seconds(commit, runs=args.runs)
        rows.append(("git commit, 4 hooks via pre-commit, 3 changed examples", f"{total:.2f} s", "2 s", f"{total / 2:.2f}"))
        for hook in HOOKS:
            module = "hooks." + hook.removeprefix("bbj-")

            def one(hook: str = hook) -> None:
                subprocess.run([str(bin_dir / hook), *changed()], cwd=repo, env=env, capture_output=True, check=False)

            seconds, _ = median_seconds(one, runs=args.runs)
            probe = subprocess.run([sys.executable, "-c", IMPORT_PROBE, module, *changed()], cwd=repo, env=env, capture_output=True, text=True, check=False)
            heavy = probe.stdout.strip().split("\n")[-1] or "none"
            rows.append((f"{hook} alone, 3 files (heavy imports: {heavy})", f"{seconds:.3f} s", "", ""))
        bare, _ = median_seconds(lambda: subprocess.run([sys.executable, "-c", "pass"], check=False), runs=args.runs)
        rows.append(("python -c pass (interpreter start, for scale)", f"{bare:.3f} s", "", ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}")
    print(f"commits: {', '.join(outcome)}")
    print(table(rows, ("what (whole processes)", "median", "target", "ratio to target")))


if __name__ == "__main__":
    main()
