"""Files a pull request can plant (git stores symlinks): a FIFO, a link to /dev/zero, a link
out of the repository. Every command and hook refuses them through the one guarded reader,
with BBJ001 and a message naming what the file is, instead of blocking or reading forever."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from planted import dev_zero, fifo

from curate.safeio import UnsafeFile, check_file, read_guarded

REPO = Path(__file__).resolve().parents[1]
VALID = (
    "---\ntitle: Greet the user\ntype: completion\ngeneration: all\n---\n\n"
    '## Code\n\n```bbj\nrem Greet the user\nprint "hello"\n```\n\n'
    "## Expected Behavior\n\nPrints hello.\n\n## Explanation\n\nPRINT writes to the terminal.\n"
)


def run(cwd: Path, module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A real process with a timeout: a reader that blocks fails the test instead of hanging it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.bbj-curate]\n", "utf-8")
    (tmp_path / "training-data" / "strings").mkdir(parents=True)
    (tmp_path / "training-data" / "strings" / "good.md").write_text(VALID, "utf-8")
    return tmp_path


def outside(path: Path) -> None:
    secret = path.parents[3] / "outside-secret.md"
    secret.write_text(VALID, "utf-8")
    path.symlink_to(secret)


HOSTILE: list[tuple[str, Callable[[Path], None], str]] = [
    ("fifo", fifo, "a named pipe (FIFO), not a regular file"),
    ("dev-zero", dev_zero, "symbolic link to /dev/zero, a character device, not a regular file"),
    ("outside", outside, "symbolic link leads outside the repository"),
]
# (module, arguments, whether it reports unreadable files: bbj-lint, bbj-compile and bbj-dedupe
# leave that to bbj-validate, so one problem is reported by one hook, and only must not block
# or crash on them)
COMMANDS = [
    ("curate.cli", ["check", "--format", "json"], True),
    ("curate.cli", ["lint", "--format", "json"], True),
    ("hooks.validate", [], True),
    ("hooks.lint", [], False),
    ("hooks.compile", [], False),
    ("hooks.dedupe", [], False),
]


@pytest.mark.parametrize(("make", "message"), [pytest.param(make, message, id=name) for name, make, message in HOSTILE])
@pytest.mark.parametrize(("module", "args", "reports"), [pytest.param(m, a, r, id=f"{m}-{a[0] if a else 'hook'}") for m, a, r in COMMANDS])
def test_planted_file_is_refused_not_read(project: Path, make: Callable[[Path], None], message: str, module: str, args: list[str], reports: bool) -> None:
    make(project / "training-data" / "strings" / "planted.md")
    result = run(project, module, *args, "training-data/strings/planted.md", "training-data/strings/good.md")
    assert "Traceback" not in result.stderr, result.stderr
    if not reports:
        assert result.returncode == 0, (result.stdout, result.stderr)
        return
    assert result.returncode == 1, (result.stdout, result.stderr)
    if args and "json" in args:
        findings = [f for f in json.loads(result.stdout) if f["path"].endswith("planted.md")]
        assert [f["code"] for f in findings] == ["BBJ001"] and message in findings[0]["message"]
    else:
        assert "planted.md:1:1: BBJ001" in result.stdout and message in result.stdout


def test_syntax_command_names_a_device_link_as_a_device(tmp_path: Path) -> None:
    """`bbj-curate syntax` used to call a link to /dev/zero a "broken symbolic link"."""
    (tmp_path / "zero.bbj").symlink_to("/dev/zero")
    result = run(tmp_path, "curate.cli", "syntax", "zero.bbj")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "character device" in result.stdout and "broken" not in result.stdout


def test_reader_checks_size_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with open(big, "wb") as handle:
        handle.truncate(10_000_000)  # sparse: reading it would cost 10 MB
    with pytest.raises(UnsafeFile) as caught:
        read_guarded(big, 1000)
    assert caught.value.code == "BBJ003"


@pytest.mark.parametrize("size", [0, 1, 65_535, 65_536, 200_000])
def test_reader_returns_every_byte_up_to_the_limit(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    (tmp_path / "f.md").write_bytes(data)
    assert read_guarded(tmp_path / "f.md", 200_000) == data
    if size:
        with pytest.raises(UnsafeFile) as caught:
            read_guarded(tmp_path / "f.md", size - 1)
        assert caught.value.code == "BBJ003"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs procfs")
def test_reader_reads_past_the_size_stat_gave() -> None:
    """A file with more bytes than its `stat` size (procfs says 0; a file growing while it is
    read): all of it under the limit, refused over it."""
    text = read_guarded(Path("/proc/self/status"), 1 << 20, root=Path("/proc"))
    assert text.startswith(b"Name:") and text.endswith(b"\n")
    with pytest.raises(UnsafeFile) as caught:
        read_guarded(Path("/proc/self/status"), 16, root=Path("/proc"))
    assert caught.value.code == "BBJ003"


def test_link_inside_the_repository_is_followed(project: Path) -> None:
    link = project / "training-data" / "strings" / "alias.md"
    link.symlink_to("good.md")
    assert read_guarded(link, 1 << 20) == VALID.encode("utf-8")


def test_link_loop_and_broken_link(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "gone").symlink_to("nowhere")
    for name, message in [("loop", "symbolic link loop"), ("gone", "broken symbolic link")]:
        with pytest.raises(UnsafeFile) as caught:
            check_file(tmp_path / name, None)
        assert message in caught.value.message and caught.value.code == "BBJ001"


def test_output_guard_rule(tmp_path: Path) -> None:
    """Inputs are never outputs; an existing file is replaced only when this run made it, the
    same command wrote it before and nobody changed it since, or with force."""
    from curate.safeio import OutputGuard, OutputRefused

    source = tmp_path / "in.jsonl"
    source.write_text("{}\n", "utf-8")
    guard = OutputGuard("bbj-train demo", [source], force=True)
    with pytest.raises(OutputRefused, match="one of this command's inputs"):
        guard.claim(source)
    guard.write_text(tmp_path / "out" / "a.jsonl", "1\n", "records")
    guard.write_text(tmp_path / "out" / "a.jsonl", "2\n", "records")  # this run's own file
    with pytest.raises(OutputRefused, match="would overwrite the records of this run"):
        guard.claim(tmp_path / "out" / "a.jsonl", "report")
    (tmp_path / "out" / "mine.md").write_text("a person's work\n", "utf-8")
    rerun = OutputGuard("bbj-train demo", [source])
    rerun.write_text(tmp_path / "out" / "a.jsonl", "3\n")  # written by this command before, unchanged
    with pytest.raises(OutputRefused, match="not written by `bbj-train demo`"):
        rerun.claim(tmp_path / "out" / "mine.md")
    (tmp_path / "out" / "a.jsonl").write_text("edited by hand\n", "utf-8")
    with pytest.raises(OutputRefused):
        OutputGuard("bbj-train demo").claim(tmp_path / "out" / "a.jsonl")
    with pytest.raises(OutputRefused):
        OutputGuard("bbj-train other").claim(tmp_path / "out" / "mine.md")
    OutputGuard("bbj-train other", force=True).write_text(tmp_path / "out" / "mine.md", "replaced\n")
    assert (tmp_path / "out" / "mine.md").read_text("utf-8") == "replaced\n"


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["--title", "", "--topic", "strings"], "--title"),
        (["--title", "   ", "--topic", "strings"], "--title"),
        (["--title", "Escape", "--topic", "../../x", "--force-topic"], "--topic"),
        (["--title", "Escape", "--topic", "/tmp", "--force-topic"], "--topic"),
    ],
)
def test_new_refuses_an_empty_title_and_a_topic_path(project: Path, args: list[str], hint: str) -> None:
    """`new --title ""` wrote a file failing its own schema; `--topic ../../x --force-topic`
    wrote outside the data root. Both are usage errors now, and nothing is written."""
    before = sorted(p for p in project.rglob("*") if p.is_file())
    result = run(project, "curate.cli", "new", "--type", "completion", "--generation", "all", *args)
    assert result.returncode == 2 and hint in result.stderr and "Traceback" not in result.stderr
    assert sorted(p for p in project.rglob("*") if p.is_file()) == before
    assert not (project.parent / "x").exists()


def block_cache_root(project: Path) -> None:
    (project / ".bbj-cache").write_text("a file where the cache folder goes\n", "utf-8")


def block_dedupe_folder(project: Path) -> None:
    (project / ".bbj-cache").mkdir()
    (project / ".bbj-cache" / "dedupe").write_text("a file\n", "utf-8")


def index_is_a_folder(project: Path) -> None:
    (project / ".bbj-cache" / "dedupe" / "index.bin").mkdir(parents=True)


def index_is_dev_zero(project: Path) -> None:
    (project / ".bbj-cache" / "dedupe").mkdir(parents=True)
    (project / ".bbj-cache" / "dedupe" / "index.bin").symlink_to("/dev/zero")


@pytest.mark.parametrize("block", [block_cache_root, block_dedupe_folder, index_is_a_folder, index_is_dev_zero])
def test_dedupe_runs_without_a_blocked_cache(project: Path, block: Callable[[Path], None]) -> None:
    """As the compile cache does: a warning and a run without the cache, never a traceback."""
    block(project)
    result = run(project, "hooks.dedupe", "training-data/strings/good.md")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "warning: dedupe index" in result.stderr


def test_killed_writers_temp_files_are_cleaned(project: Path) -> None:
    folder = project / ".bbj-cache" / "dedupe"
    folder.mkdir(parents=True)
    leftover = folder / ".index.bin.k1ll3d.tmp"
    leftover.write_bytes(b"\0" * 1000)
    (project / "training-data" / "strings" / "other.md").write_text(VALID.replace("Greet the user", "Other"), "utf-8")
    assert run(project, "hooks.dedupe", "training-data/strings/good.md").returncode == 0
    assert (folder / "index.bin").is_file() and not leftover.exists()


def test_malformed_verdict_cache_is_replaced(tmp_path: Path) -> None:
    """A database whose pages are damaged fails only when read: it is replaced, as promised."""
    from curate.compile.cache import DB_NAME, VerdictCache

    cache = VerdictCache(tmp_path)
    cache.put_many({str(n): [] for n in range(3000)})
    cache.close()
    data = bytearray((tmp_path / DB_NAME).read_bytes())
    data[5000:9000] = b"\xff" * 4000
    (tmp_path / DB_NAME).write_bytes(bytes(data))
    cache = VerdictCache(tmp_path)
    assert cache.get_many(["1"]) == {}
    cache.put_many({"a": []})
    assert cache.get_many(["a"]) == {"a": []} and cache.problem is None
    cache.close()


@pytest.mark.parametrize("plant", ["fifo", "dev-zero", "whitespace"])
def test_hook_fix_hint_reads_the_precommit_config_guarded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plant: str) -> None:
    """The hooks read .pre-commit-config.yaml for their fix hint: a planted FIFO or device link
    is not read, and a megabyte of whitespace is scanned in linear time (the pattern used to be
    cubic in it)."""
    import threading
    import time

    from hooks._common import fix_command

    config = tmp_path / ".pre-commit-config.yaml"
    {"fifo": lambda: os.mkfifo(config), "dev-zero": lambda: config.symlink_to("/dev/zero"),
     "whitespace": lambda: config.write_text("\n" + " " * ((1 << 20) - 100) + "\n- id: bbj-fix\n", "utf-8")}[plant]()  # fmt: skip
    monkeypatch.chdir(tmp_path)
    hints: list[str] = []
    started = time.perf_counter()
    worker = threading.Thread(target=lambda: hints.append(fix_command("a.md")), daemon=True)
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "blocked on a planted .pre-commit-config.yaml"
    assert time.perf_counter() - started < 5
    assert hints[0].startswith("run `pre-commit run bbj-fix") == (plant == "whitespace")


@pytest.mark.parametrize("make", [fifo, dev_zero], ids=["fifo", "dev-zero"])
def test_curate_config_file_is_read_guarded(project: Path, make: Callable[[Path], None]) -> None:
    make(project / "planted.toml")
    result = run(project, "curate.cli", "check", "--config", "planted.toml", "training-data")
    assert result.returncode == 2 and "cannot read configuration" in result.stderr and "not a regular file" in result.stderr, result.stderr
