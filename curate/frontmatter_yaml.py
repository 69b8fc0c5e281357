"""Front matter split and safe YAML loading with line numbers for keys and errors.

`ExampleYAMLHandler` is a python-frontmatter handler: it slices the `---` block line for line
(python-frontmatter's own `parse` strips the text, which would shift every line), and loads it
with PyYAML's safe loader (the C one when present) minus implicit timestamps. Key lines are only
composed on demand, since most files have no findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from curate.errors import InputError

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterError(InputError):
    """Front matter that cannot be read, with the stable code and the place of the problem."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.code, self.line, self.col = code, line, col


class _RepeatedKey(yaml.YAMLError):
    def __init__(self, key: object, mark: Any):
        super().__init__(f"repeated key {key!r}")
        self.key, self.mark = key, mark


class _FrontMatterLoader(SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader without YAML 1.1's implicit timestamps (a date stays the string the schema
    checks, so `reviewed: 2026-13-01` is a schema finding at its key instead of a crash) and
    without PyYAML's silent last-one-wins for a key given twice: repeats are found on the parsed
    mapping, so a quoted `"status":` or the `? status` form is caught like a plain one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                if key in seen:
                    raise _RepeatedKey(key, key_node.start_mark)
                seen.add(key)
            except TypeError:  # an unhashable key: the constructor reports it
                pass
        return super().construct_mapping(node, deep)


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}


def _first_alias(fm_text: str) -> Any:
    """The mark of the first `*alias`: aliases can build recursive or exponentially large
    values (a 'billion laughs'), and front matter never needs them."""
    if "*" not in fm_text:
        return None
    for token in yaml.scan(fm_text, Loader=_FrontMatterLoader):
        if isinstance(token, yaml.AliasToken):
            return token.start_mark
    return None


def _normalize(value: Any) -> Any:
    """YAML dates become ISO strings so JSON Schema and pydantic see the same value."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalize(v) for v in value]
    return value


class ExampleYAMLHandler(YAMLHandler):
    """python-frontmatter's YAML handler, made exact and safe for examples: the block must open
    on line 1 and closes at the first `---` or `...` line; values load with the safe loader."""

    def detect(self, text: str) -> bool:
        return text.split("\n", 1)[0].rstrip() == "---"

    def split(self, text: str) -> tuple[str, str]:
        """(front matter, body), the front matter's lines untouched."""
        fm_text, end = self.split_at(text)
        return fm_text, "\n".join(text.split("\n")[end + 1 :])

    def split_at(self, text: str) -> tuple[str, int]:
        """(front matter, 0-based line of the closing `---`)."""
        if not self.detect(text):
            raise FrontMatterError("BBJ101", "missing front matter: the file must start with a '---' line")
        lines = text.split("\n")
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        if end is None:
            raise FrontMatterError("BBJ102", "unterminated front matter: no closing '---' line")
        return "\n".join(lines[1:end]), end

    def load(self, fm: str, **kwargs: object) -> Any:
        kwargs.setdefault("Loader", _FrontMatterLoader)
        return super().load(fm, **kwargs) if fm.strip() else {}


HANDLER = ExampleYAMLHandler()


def load_front_matter(text: str) -> tuple[dict[str, Any], str, int, int]:
    """Return (meta, front matter text, line of its first key, first body line)."""
    fm_text, end = HANDLER.split_at(text)
    try:
        meta = HANDLER.load(fm_text)
        alias = _first_alias(fm_text)
    except _RepeatedKey as exc:
        raise FrontMatterError("BBJ103", f"front matter repeats the key '{exc.key}'", exc.mark.line + 2, exc.mark.column + 1) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 2) if mark else 2
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise FrontMatterError("BBJ103", f"front matter is not valid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError("BBJ103", f"front matter is not valid YAML: {exc}", 2) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # e.g. `!!timestamp 2026-13-01`
        raise FrontMatterError("BBJ103", f"front matter has a value YAML cannot build: {exc}", 2) from None
    if alias is not None:
        raise FrontMatterError("BBJ103", "front matter must not use YAML aliases (*name)", alias.line + 2, alias.column + 1)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError("BBJ104", "front matter must be a mapping of keys to values", 2)
    try:
        return _normalize(meta), fm_text, 2, end + 2
    except RecursionError:
        raise FrontMatterError("BBJ103", "front matter is nested too deeply", 2) from None


def key_lines(fm_text: str) -> dict[str, int]:
    """0-based line (relative to the front matter's first line) of each top-level key."""
    try:
        node = yaml.compose(fm_text, Loader=_FrontMatterLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line for k, _ in node.value}
