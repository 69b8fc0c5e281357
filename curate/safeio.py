"""The one guarded way to open files the tools did not write (examples, BBj sources, JSONL,
caches) and to write outputs without destroying anything a person made.

Reading: git stores symbolic links, so a pull request can plant an "example" that is a link
to `/dev/zero`, a FIFO that blocks forever, or a link to a file outside the repository. A
guarded open takes regular files only (checked with `stat` before opening, and again on the
open descriptor), checks the size cap before reading a byte, and refuses a symbolic link
whose target leaves the repository the link sits in. Every refusal is an `UnsafeFile` with a
stable code (BBJ001 unreadable, BBJ003 too large) that callers turn into a diagnostic, a
dropped record or a usage error.

Writing: `OutputGuard` is the rule every command follows for the files it writes: an output
that is one of the command's inputs is refused; an existing file is replaced only when this
run created it, or a toolkit command of the same name wrote it earlier and nobody changed it
since (recorded in the folder's `.bbj-outputs.json`), or with `--force`. Writes are atomic.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from curate.atomic import write_bytes_atomic
from curate.errors import UsageError

UNREADABLE = "BBJ001"
TOO_LARGE = "BBJ003"
CONFIG_LIMIT = 1 << 20  # a TOML config is a page of settings: a bigger one is not a config
LEDGER = ".bbj-outputs.json"
REPOSITORY_MARKERS = (".git", "pyproject.toml")
ANYWHERE = Path("/")  # the root for a file outside any repository (a model folder, a GGUF): links may lead anywhere, only to regular files
READ_CHUNK = 1 << 16  # what one os.read asks for past the size fstat gave (a file that grew)


class UnsafeFile(Exception):
    """A file the guarded reader refuses; `code` is stable, `message` names the reason."""

    def __init__(self, code: str, message: str, line: int = 1):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


@lru_cache(maxsize=4096)
def repository_of(folder: str) -> str | None:
    """The nearest folder at or above `folder` (an absolute, lexical path) that holds `.git`
    or `pyproject.toml`, resolved; None outside any repository."""
    current = folder
    while True:
        if any(os.path.lexists(os.path.join(current, marker)) for marker in REPOSITORY_MARKERS):
            return os.path.realpath(current)
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_file(path: Path, limit: int | None, root: Path | None = None) -> os.stat_result:
    """The `stat` of the regular file `path` leads to, or UnsafeFile saying why it is refused.
    `root` is the repository a symlink must stay in (default: the one holding `path`)."""
    lexical = os.path.abspath(path)
    real = os.path.realpath(lexical)
    try:
        info = os.stat(real)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFile(UNREADABLE, "symbolic link loop") from None
        if exc.errno == errno.ENOENT and os.path.islink(lexical):
            raise UnsafeFile(UNREADABLE, "broken symbolic link (its target does not exist)") from None
        raise UnsafeFile(UNREADABLE, _os_reason(exc)) from None
    linked = real != lexical
    if stat.S_ISDIR(info.st_mode):
        raise UnsafeFile(UNREADABLE, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        target = f"symbolic link to {real}, " if linked else ""
        raise UnsafeFile(UNREADABLE, f"{target}{_kind(info.st_mode)}, not a regular file: refused (it could block or never end)")
    if linked:
        repository = os.path.realpath(root) if root is not None else repository_of(os.path.dirname(lexical))
        if repository is not None and not _inside(real, repository):
            raise UnsafeFile(UNREADABLE, f"symbolic link leads outside the repository (to {real}): refused")
    if limit is not None and info.st_size > limit:
        raise UnsafeFile(TOO_LARGE, f"file is {info.st_size:,} bytes; the limit is {limit:,}")
    return info


def open_guarded(path: Path, limit: int | None, root: Path | None = None) -> BinaryIO:
    """A binary read handle on a checked regular file (never blocks: opened non-blocking and
    re-checked on the descriptor, so a file swapped for a FIFO in between is caught)."""
    fd, _ = _open_checked(path, limit, root)
    return os.fdopen(fd, "rb")


def read_guarded(path: Path, limit: int, root: Path | None = None) -> bytes:
    """The bytes of a checked regular file, never more than `limit` (a file that grows while
    it is read is refused as too large). Read with `os.read` sized from `fstat`: a buffered
    `read(limit + 1)` allocates the whole limit first, which made reading 10,000 small
    examples five times slower."""
    fd, info = _open_checked(path, limit, root)
    chunks: list[bytes] = []
    total = 0
    try:
        while total <= limit:
            chunk = os.read(fd, min(limit + 1 - total, max(info.st_size + 1 - total, READ_CHUNK)))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise UnsafeFile(UNREADABLE, _os_reason(exc)) from None
    finally:
        os.close(fd)
    if total > limit:
        raise UnsafeFile(TOO_LARGE, f"file is over {limit:,} bytes, the limit")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _open_checked(path: Path, limit: int | None, root: Path | None) -> tuple[int, os.stat_result]:
    """A blocking descriptor on the checked regular file, and its `fstat`."""
    check_file(path, limit, root)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnsafeFile(UNREADABLE, _os_reason(exc)) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise UnsafeFile(UNREADABLE, f"{_kind(info.st_mode)}, not a regular file: refused")
    os.set_blocking(fd, True)
    return fd, info


def read_text_guarded(path: Path, limit: int, root: Path | None = None) -> str:
    """The UTF-8 text of a checked regular file (`read_guarded`); UnicodeDecodeError (a
    ValueError) when it is not UTF-8."""
    return read_guarded(path, limit, root).decode("utf-8")


def read_json_guarded(path: Path, limit: int, root: Path | None = None) -> Any:
    """The JSON value of a checked regular file; ValueError when it is not UTF-8 JSON (deep
    nesting included: the parser's RecursionError becomes a ValueError)."""
    text = read_text_guarded(path, limit, root)
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    reason = exc.strerror or exc.__class__.__name__
    return f"cannot read file: {reason[0].lower()}{reason[1:]}"


def printable(text: str) -> str:
    """`text` safe to print and to encode as UTF-8: a file name that is not valid UTF-8 comes
    back from the OS with lone surrogates (PEP 383); its bytes are shown as `\\xNN`, any other
    lone surrogate as `\\udNNN`."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def unencodable(value: object, where: str = "") -> str | None:
    """Where in a JSON value (`messages[1].role`, or '' for the value itself) the first string
    sits that cannot be written as UTF-8 (a lone surrogate from a `\\ud800` escape), else None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where or "value"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            if unencodable(name) is not None:
                return f"{where}.<key>" if where else "<key>"
            if (found := unencodable(item, f"{where}.{name}" if where else name)) is not None:
                return found
        return None
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := unencodable(item, f"{where}[{index}]")) is not None:
                return found
    return None


def printable_path(path: Path) -> str:
    return printable(Path(path).as_posix())


class WriteRefused(UsageError):
    """An in-place edit (a review decision) that would lose or damage something; nothing was
    written. The message says what and why."""


def write_if_unchanged(path: Path, expected: bytes, data: bytes) -> None:
    """Replace the bytes of an existing file the user owns (an example) with `data`, only if
    they are still `expected`: compared under an exclusive lock right before the rename, so a
    save made meanwhile by an editor or another reviewer is never overwritten. A symbolic link
    inside the repository is written through (the link stays a link); one leading out of it, a
    read-only file and a file with other hard links (a rename would split them) are refused.
    The mode is kept, and the owner where the OS allows it."""
    lexical = os.path.abspath(path)
    real = os.path.realpath(lexical)
    if real != lexical:
        repository = repository_of(os.path.dirname(lexical))
        if repository is not None and not _inside(real, repository):
            raise WriteRefused(f"{path}: symbolic link leads outside the repository (to {real}); not written")
    try:
        info = os.stat(real)
    except FileNotFoundError:
        raise WriteRefused(f"{path}: no longer exists") from None
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused(f"{path}: {_kind(info.st_mode)}, not a regular file; not written")
    if not info.st_mode & stat.S_IWUSR:
        raise WriteRefused(f"{path}: is read-only; make it writable to record the decision")
    if info.st_nlink > 1:
        raise WriteRefused(f"{path}: has {info.st_nlink - 1} other hard link(s) that replacing it would split; not written")
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".tmp", dir=os.path.dirname(real))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        with contextlib.suppress(OSError):
            os.chown(tmp, info.st_uid, info.st_gid)
        with open(real, "rb") as current:
            fcntl.flock(current, fcntl.LOCK_EX)  # another bbj-curate writer waits here
            if current.read() != expected:
                raise WriteRefused(f"{path}: changed on disk since it was read; nothing was written")
            os.replace(tmp, real)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


class OutputRefused(UsageError):
    """An output path the guard will not write (exit 2); the message says why and what to do."""


class OutputUnwritable(UsageError):
    """The output path cannot be written (a read-only folder, /proc, a full disk): exit 2."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OutputGuard:
    """The output rule of one command run (see the module doc). `inputs` are the files the
    command reads: an output equal to one is refused even with `force`. `command` names the
    writer in the folder ledgers."""

    def __init__(self, command: str, inputs: Iterable[Path] = (), force: bool = False):
        self.command = command
        self.force = force
        self._inputs = {os.path.realpath(p) for p in inputs}
        self._created: dict[str, str] = {}  # real path -> role

    def claim(self, path: Path, role: str = "output") -> Path:
        """Check `path` may receive output `role` (call it for every output before writing
        anything, so a refusal leaves no half-written result); returns it."""
        real = os.path.realpath(path)
        if real in self._created:
            if self._created[real] != role:
                raise OutputRefused(f"{path}: the {role} would overwrite the {self._created[real]} of this run; choose another path")
            return Path(path)
        if real in self._inputs:
            raise OutputRefused(f"{path}: is one of this command's inputs; choose another output path")
        if os.path.lexists(path):
            if os.path.isdir(path):
                raise OutputRefused(f"{path}: is a folder; the {role} must be a file")
            if not self.force and not self._ours(Path(path)):
                raise OutputRefused(f"{path}: exists and was not written by `{self.command}`; choose another path or pass --force to replace it")
        self._created[real] = role
        return Path(path)

    def write_bytes(self, path: Path, data: bytes, role: str | None = None) -> None:
        """Claim `path` (unless claimed already; `role` names the output in a refusal) and
        write it atomically, recording it in the folder's ledger so a later run of the same
        command may replace it."""
        if role is not None or os.path.realpath(path) not in self._created:
            self.claim(path, role or "output")
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(path, data)
        except OSError as exc:
            raise OutputUnwritable(f"{path}: cannot write: {exc.strerror or exc.__class__.__name__}") from None
        self._record(path, _digest(data))

    def write_text(self, path: Path, text: str, role: str | None = None) -> None:
        self.write_bytes(path, text.encode("utf-8"), role)

    def _ours(self, path: Path) -> bool:
        """Written by this command before and unchanged since (per the folder's ledger)."""
        entry = _read_ledger(path.parent).get(path.name)
        if not isinstance(entry, dict) or entry.get("command") != self.command:
            return False
        digest = hashlib.sha256()
        try:
            with open_guarded(path, None, path.parent) as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        except (UnsafeFile, OSError):
            return False
        return digest.hexdigest() == entry.get("sha256")

    def _record(self, path: Path, digest: str) -> None:
        ledger = _read_ledger(path.parent)
        ledger[path.name] = {"command": self.command, "sha256": digest}
        with contextlib.suppress(OSError):  # without a ledger entry a later run asks for --force: the safe direction
            write_bytes_atomic(path.parent / LEDGER, (json.dumps(ledger, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def _read_ledger(folder: Path) -> dict[str, object]:
    try:
        data = json.loads(read_guarded(folder / LEDGER, 1 << 24, folder))
    except (UnsafeFile, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
