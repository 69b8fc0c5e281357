"""BASIS's compiler `bbjcpl` behind the checker interface.

Facts the adapter is built on (see ../shared/bbj-corpus/cpl-fixtures): `bbjcpl -N file` exits 0
even when the code is wrong and prints one stderr line per error,
`<path>: error at line <legacy> (<physical>): <source line>`, where <legacy> is the BBj line
number (10, 20, ... unless the source numbers its lines) and <physical> the line in the file.
So any stderr output, a non-zero exit or a timeout counts as failure."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from curate.compile.checkers import (
    COMPILE_ERROR,
    COMPILER_TIMEOUT,
    COULD_NOT_RUN,
    UNPARSEABLE_OUTPUT,
    Checker,
)
from curate.compile.program import (
    UNSAFE_NAME,
    Finding,
    Program,
    SourceFile,
    confined_path,
)
from curate.config import CurateConfig

ERROR_LINE = re.compile(r"^(?P<path>.*?): error at line (?P<legacy>\d+) \((?P<physical>\d+)\):(?P<source>.*)$")
MAX_RAW_OUTPUT = 600


@dataclass(frozen=True, slots=True)
class Discovery:
    """Where bbjcpl was found and which rule found it (config, BBJ_HOME or PATH)."""

    path: Path
    origin: str


def find_bbjcpl(config: CurateConfig, environ: Mapping[str, str] | None = None) -> Discovery | None:
    """Config `bbjcpl` (taken as given, even if missing: an explicit setting is never silently
    replaced), then `$BBJ_HOME/bin/bbjcpl`, then `bbjcpl` on PATH."""
    env = os.environ if environ is None else environ
    if config.bbjcpl:
        configured = Path(os.path.expanduser(config.bbjcpl))
        return Discovery(configured if configured.is_absolute() else config.root / configured, "config bbjcpl")
    home = env.get("BBJ_HOME")
    if home:
        for name in ("bbjcpl", "bbjcpl.exe"):
            candidate = Path(home) / "bin" / name
            if candidate.is_file():
                return Discovery(candidate, "BBJ_HOME")
    found = shutil.which("bbjcpl", path=env.get("PATH", os.defpath))
    return Discovery(Path(found), "PATH") if found else None


def where_we_looked(config: CurateConfig, environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    home = env.get("BBJ_HOME")
    return "; ".join(
        [
            "config bbjcpl: not set",
            f"$BBJ_HOME/bin/bbjcpl: {'no such file under ' + home if home else 'BBJ_HOME not set'}",
            "PATH: no bbjcpl",
        ]
    )


class BbjcplChecker(Checker):
    """Runs `bbjcpl -N` once per file, in a private temp folder holding the program's files."""

    name = "bbjcpl"
    parallelism = "threads"

    def __init__(self, discovery: Discovery, timeout: float) -> None:
        self.path = discovery.path.absolute()
        self.origin = discovery.origin
        self.timeout = timeout
        self.version = _file_version(self.path)

    @property
    def identity(self) -> str:
        return f"bbjcpl:{os.path.realpath(self.path)}"

    def describe(self) -> str:
        return f"bbjcpl {self.version} ({self.path}, from {self.origin})"

    def check(self, program: Program) -> list[Finding]:
        folder = Path(tempfile.mkdtemp(prefix="bbj-curate-cpl-"))
        try:
            placed: list[tuple[SourceFile, Path]] = []
            findings: list[Finding] = []
            for source in program.files:
                target = _place(folder, source, {t for _, t in placed})
                if isinstance(target, str):
                    findings.append(Finding(source.name, 0, 0, UNSAFE_NAME, f"file name {source.name!r} {target}; not compiled"))
                    continue
                placed.append((source, target))
            names = frozenset(source.name for source, _ in placed)
            for source, target in placed:
                result = self._compile(source, target, folder, names)
                findings.extend(result)
                if any(f.code in (COULD_NOT_RUN, COMPILER_TIMEOUT) for f in result):
                    break  # the next file would fail the same way
            return list(dict.fromkeys(findings))  # an error in a used file may be reported twice
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _compile(self, source: SourceFile, target: Path, folder: Path, names: frozenset[str]) -> list[Finding]:
        argv = [str(self.path), "-N", str(target)]
        try:
            process = subprocess.Popen(
                argv,
                cwd=folder,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=os.name == "posix",
            )
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            return [Finding(source.name, 0, 0, COULD_NOT_RUN, f"bbjcpl could not run ({self.path}, from {self.origin}): {reason}")]
        try:
            stdout, stderr = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(process)
            return [Finding(source.name, 0, 0, COMPILER_TIMEOUT, f"bbjcpl did not finish within {self.timeout:g} s (compile-timeout); killed")]
        return parse_output(source, stderr.decode("utf-8", "replace"), stdout.decode("utf-8", "replace"), process.returncode, names)


def _place(folder: Path, source: SourceFile, taken: set[Path]) -> Path | str:
    """Write one program file into the private folder; the path, or why it cannot be placed:
    names from filename comments may collide (`a` and `a/b.bbj`, the same name twice) or be
    too long for the file system, which is a finding on the example, never a crash."""
    try:
        target = confined_path(folder, source.name)
        if target is None:
            return "would leave the private folder"
        if target in taken:
            return "is used by another block of the same program"
        text = source.text if source.text.endswith("\n") else source.text + "\n"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8", errors="surrogateescape", newline="\n")
    except OSError as exc:
        return f"cannot be written beside the program's other files ({exc.strerror or exc.__class__.__name__})"
    return target


def parse_output(source: SourceFile, stderr: str, stdout: str, returncode: int, names: frozenset[str] = frozenset()) -> list[Finding]:
    """bbjcpl's output as findings: one BBJ520 per error line (on the program file it names,
    if it names another one of `names`, else on `source`); BBJ523 for lines it could not read;
    BBJ522, with the output, for a failing exit status that reported no error line."""
    findings: list[Finding] = []
    unreadable: list[str] = []
    for line in stderr.splitlines():
        match = ERROR_LINE.match(line)
        if match is None:
            if line.strip():
                unreadable.append(line.strip())
            continue
        legacy, physical = int(match["legacy"]), int(match["physical"])
        code_text = match["source"].strip()
        where = f"line {legacy}" if legacy == physical else f"BBj line {legacy}"
        reported = Path(match["path"]).name
        file = reported if reported in names else source.name
        findings.append(Finding(file, physical, 1, COMPILE_ERROR, f"bbjcpl: error at {where}: {code_text}"))
    if returncode != 0 and not findings:
        status = f"was killed by signal {-returncode}" if returncode < 0 else f"exited with status {returncode}"
        output = _excerpt(unreadable or stdout.splitlines()) or "no output"
        return [Finding(source.name, 0, 0, COULD_NOT_RUN, f"bbjcpl {status}: {output}")]
    if unreadable:
        findings.append(Finding(source.name, 0, 0, UNPARSEABLE_OUTPUT, f"unrecognised bbjcpl output: {_excerpt(unreadable)}"))
    return findings


def _excerpt(lines: list[str]) -> str:
    text = " | ".join(line.strip() for line in lines if line.strip())
    return text if len(text) <= MAX_RAW_OUTPUT else text[: MAX_RAW_OUTPUT - 3] + "..."


def _kill_tree(process: subprocess.Popen[bytes]) -> None:
    """Kill bbjcpl and whatever it started (it is often a script that launches java)."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:
        pass
    process.communicate()


def _file_version(path: Path) -> str:
    """bbjcpl has no --version: its size and modification time stand in for one."""
    try:
        info = path.stat()
    except OSError:
        return "unknown"
    stamp = datetime.fromtimestamp(info.st_mtime, tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{info.st_size}"
