"""BBJ0xx and BBJ101-104: what makes a file unreadable as an example. The loader
(`curate.example.load_example`, `curate.discover`) emits these; they are catalogued here so
`bbj-curate rules`, select/ignore, severity overrides and `lint_ignore` cover them."""

from __future__ import annotations

from curate.diagnostics import Severity
from curate.rules.base import CatalogueRule


class UnreadableFile(CatalogueRule):
    """The path cannot be read as a file: a directory named `*.md`, a broken symlink or a
    symlink loop, a missing path, a permission error, or something that is not a regular file
    (a FIFO, a device, a symlink leading out of the repository), which is never opened.

    Bad:
        training-data/gui/window.md/        (a directory)
        training-data/gui/loop.md -> loop.md (a symlink to itself)
    Good:
        training-data/gui/window.md          (a regular, readable file)
    """

    code = "BBJ001"
    name = "unreadable-file"
    summary = "Not a readable regular file (directory, FIFO, device, link loop or escape)"


class NotUtf8Text(CatalogueRule):
    """The file is binary (contains NUL bytes) or is not valid UTF-8; the position of the
    first bad byte is reported.

    Bad:
        title: Caf\\xe9 (Latin-1 bytes)
    Good:
        title: Café (saved as UTF-8)
    """

    code = "BBJ002"
    name = "not-utf8-text"
    summary = "Binary content or invalid UTF-8"


class FileTooLarge(CatalogueRule):
    """The file is larger than the 5 MB limit for one example; it is not read at all.

    Bad:
        a 50 MB log pasted into an example
    Good:
        a short program and its explanation (a few KB)
    """

    code = "BBJ003"
    name = "file-too-large"
    summary = "File exceeds the size limit for one example"


class ByteOrderMark(CatalogueRule):
    """The file starts with a UTF-8 byte order mark. `--fix` removes it.

    Bad:
        \\ufeff---
    Good:
        ---
    """

    code = "BBJ004"
    name = "byte-order-mark"
    summary = "File starts with a UTF-8 byte order mark"
    severity = Severity.WARNING
    fixable = True


class CrlfLineEndings(CatalogueRule):
    """The file has CR or CRLF line endings (reported at the first one). `--fix` rewrites
    them as LF. A warning, not an error, so a Windows checkout with `core.autocrlf` still passes.

    Bad:
        ---\\r\\ntitle: Read a record\\r\\n
    Good:
        ---\\ntitle: Read a record\\n
    """

    code = "BBJ005"
    name = "crlf-line-endings"
    summary = "CR or CRLF line endings; use LF"
    severity = Severity.WARNING
    fixable = True


class EmptyFile(CatalogueRule):
    """The file is empty or holds only whitespace.

    Bad:
        (a zero-byte file)
    Good:
        a file created with `bbj-curate new`
    """

    code = "BBJ006"
    name = "empty-file"
    summary = "File is empty"


class CheckOverBudget(CatalogueRule):
    """Checking the file ran past the per-file time budget of the hooks (`--file-budget`,
    default 10 s) and was stopped, so one file cannot stall a commit.

    Bad:
        a file with one 4 MB line of nested markup
    Good:
        an example a reviewer can read: short lines, one program
    """

    code = "BBJ007"
    name = "check-over-budget"
    summary = "Checking the file took longer than the per-file time budget"


class MissingFrontMatter(CatalogueRule):
    """The file does not start with a `---` line, so it has no front matter.

    Bad:
        # Read a record
    Good:
        ---
        title: Read a record
        ...
        ---
    """

    code = "BBJ101"
    name = "missing-front-matter"
    summary = "File does not start with '---' front matter"


class UnterminatedFrontMatter(CatalogueRule):
    """The front matter is opened with `---` but never closed.

    Bad:
        ---
        title: Read a record
        ## Code
    Good:
        ---
        title: Read a record
        ---
        ## Code
    """

    code = "BBJ102"
    name = "unterminated-front-matter"
    summary = "Front matter has no closing '---' line"


class FrontMatterYamlError(CatalogueRule):
    """The front matter is not valid YAML (reported at the line and column of the problem).
    YAML aliases (`*name`) are rejected too: front matter never needs them.

    Bad:
        title: "Read a record
    Good:
        title: "Read a record"
    """

    code = "BBJ103"
    name = "front-matter-yaml-error"
    summary = "Front matter is not valid YAML"


class FrontMatterNotMapping(CatalogueRule):
    """The front matter is valid YAML but not a mapping of keys to values.

    Bad:
        ---
        - title: Read a record
        ---
    Good:
        ---
        title: Read a record
        ---
    """

    code = "BBJ104"
    name = "front-matter-not-mapping"
    summary = "Front matter is not a mapping of keys to values"
