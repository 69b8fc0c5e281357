"""Front matter split and safe YAML loading with line numbers for keys and errors.

python-frontmatter finds the `---` block; PyYAML's safe loader (the C one when present)
builds the mapping. Key lines are only composed on demand, since most files have no findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import frontmatter
import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterError(Exception):
    def __init__(self, code: str, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.code, self.message, self.line, self.col = code, message, line, col


class _Handler(frontmatter.YAMLHandler):
    """python-frontmatter handler that only splits; we load YAML ourselves with line info."""

    def load(self, fm: str, **kwargs: object) -> Any:  # pragma: no cover - not used
        return yaml.load(fm, Loader=SafeLoader)


_HANDLER = _Handler()


def _normalize(value: Any) -> Any:
    """YAML dates become ISO strings so JSON Schema and pydantic see the same value."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalize(v) for v in value]
    return value


def load_front_matter(text: str) -> tuple[dict[str, Any], str, int, int]:
    """Return (meta, front matter text, line of its first key, first body line)."""
    first = text.split("\n", 1)[0].rstrip()
    if first != "---":
        raise FrontMatterError("BBJ101", "missing front matter: the file must start with a '---' line")
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise FrontMatterError("BBJ102", "unterminated front matter: no closing '---' line")
    try:
        fm_text, _ = _HANDLER.split(text)
    except ValueError:
        fm_text = "\n".join(lines[1:end])
    try:
        meta = yaml.load(fm_text, Loader=SafeLoader) if fm_text.strip() else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 2) if mark else 2
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise FrontMatterError("BBJ103", f"front matter is not valid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError("BBJ103", f"front matter is not valid YAML: {exc}", 2) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError("BBJ104", "front matter must be a mapping of keys to values", 2)
    return _normalize(meta), fm_text, 2, end + 2


def key_lines(fm_text: str) -> dict[str, int]:
    """0-based line (relative to the front matter's first line) of each top-level key."""
    try:
        node = yaml.compose(fm_text, Loader=SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line for k, _ in node.value}
