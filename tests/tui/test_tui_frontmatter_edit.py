"""The byte-preserving front matter writer: exact expected bytes for each layout it meets."""

from __future__ import annotations

import pytest
import yaml

from curate.frontmatter_yaml import load_front_matter
from curate.tui.frontmatter_edit import (
    FrontMatterEditError,
    scalar_yaml,
    update_front_matter,
)

BODY = '\n## Code\n\n```bbj\nprint "hi"   \n```\n\n## Explanation\n\nstatus: not front matter\n'

CASES = [
    pytest.param(
        "---\ntitle: A\nstatus: draft\n---\n" + BODY,
        {"status": "approved"},
        "---\ntitle: A\nstatus: approved\n---\n" + BODY,
        id="replace-in-place",
    ),
    pytest.param(
        "---\ntitle: A\n---\n" + BODY,
        {"status": "approved", "reviewer": "Ada", "reviewed": "2024-05-17"},
        "---\ntitle: A\nstatus: approved\nreviewer: Ada\nreviewed: '2024-05-17'\n---\n" + BODY,
        id="insert-before-closing-fence",
    ),
    pytest.param(
        "---\n# header comment\ntitle: A   # the title\nstatus: draft  # set by new\n\ntags: [x]\n---\n" + BODY,
        {"status": "rejected", "title": "B"},
        "---\n# header comment\ntitle: B   # the title\nstatus: rejected  # set by new\n\ntags: [x]\n---\n" + BODY,
        id="keeps-comments-and-blank-lines",
    ),
    pytest.param(
        "---\ntitle: A\nreview_note: |\n  line one\n  line two\n\nstatus: needs-work\n---\n" + BODY,
        {"review_note": "short", "status": "approved"},
        "---\ntitle: A\nreview_note: short\n\nstatus: approved\n---\n" + BODY,
        id="block-scalar-replaced",
    ),
    pytest.param(
        "---\ntitle: A\ntags:\n- one\n- two\nstatus: draft\n---\n" + BODY,
        {"tags": ["three"]},
        "---\ntitle: A\ntags: [three]\nstatus: draft\n---\n" + BODY,
        id="block-list-replaced",
    ),
    pytest.param(
        "---\ntitle: A\nreview_note: old\nstatus: needs-work\n---\n" + BODY,
        {"review_note": None, "status": "approved"},
        "---\ntitle: A\nstatus: approved\n---\n" + BODY,
        id="none-removes-key",
    ),
    pytest.param(
        "---\ntitle: A\n---\n" + BODY,
        {"review_note": None},
        "---\ntitle: A\n---\n" + BODY,
        id="removing-absent-key-is-no-op",
    ),
    pytest.param(
        "---\r\ntitle: A\r\nstatus: draft\r\n---\r\n\r\nbody\r\n",
        {"status": "approved", "reviewer": "Ada"},
        "---\r\ntitle: A\r\nstatus: approved\r\nreviewer: Ada\r\n---\r\n\r\nbody\r\n",
        id="crlf-kept",
    ),
    pytest.param(
        "\ufeff---\ntitle: A\n---\nbody\n",
        {"status": "approved"},
        "\ufeff---\ntitle: A\nstatus: approved\n---\nbody\n",
        id="byte-order-mark-kept",
    ),
    pytest.param(
        "---\ntitle: A\n...\nbody\n",
        {"status": "approved"},
        "---\ntitle: A\nstatus: approved\n...\nbody\n",
        id="dot-closing-fence",
    ),
    pytest.param(
        "---\ntitle: \"quoted: yes\"\nstatus: 'draft'\n---\n",
        {"status": "rejected", "review_note": "duplicate of gui/foo.md"},
        '---\ntitle: "quoted: yes"\nstatus: rejected\nreview_note: duplicate of gui/foo.md\n---\n',
        id="quoted-values",
    ),
]


@pytest.mark.parametrize(("original", "updates", "expected"), CASES)
def test_update_is_byte_exact(original: str, updates: dict[str, object], expected: str) -> None:
    assert update_front_matter(original.encode("utf-8"), updates) == expected.encode("utf-8")


NOTES = [
    "plain words",
    "yes",
    "no",
    "null",
    "2024-05-17",
    "a: b # not a comment",
    "#starts with a hash",
    "it's got 'quotes' and \"doubles\"",
    "- looks like a list",
    "{looks: like a map}",
    "tab\there",
    "two\nlines",
    "  leading and trailing  ",
    "ünïcödé ✓",
    "x" * 400,
    "---",
    "",
]


@pytest.mark.parametrize("note", NOTES)
def test_notes_round_trip_on_one_line(note: str) -> None:
    original = b"---\ntitle: A\nstatus: draft\n---\nbody\n"
    result = update_front_matter(original, {"review_note": note}).decode("utf-8")
    front = result.split("---\n")[1]
    assert len(front.strip().split("\n")) == 3, "the note must stay on one line"
    meta, *_ = load_front_matter(result)
    assert meta["review_note"] == note
    assert result.endswith("---\nbody\n")


@pytest.mark.parametrize("value", ["approved", "Ada O'Neil", ["bbj-gui", "dwc"], True, 3])
def test_scalar_yaml_loads_back(value: object) -> None:
    assert yaml.safe_load(scalar_yaml(value)) == value


BROKEN = [
    pytest.param(b"title: A\n", "does not start", id="no-front-matter"),
    pytest.param(b"---\ntitle: A\n", "no closing", id="unterminated"),
    pytest.param(b"---\ntitle: [A\n---\n", "not valid YAML", id="bad-yaml"),
    pytest.param(b"---\n- a\n- b\n---\n", "mapping", id="not-a-mapping"),
    pytest.param(b"---\n{title: A, status: draft}\n---\n", "not supported", id="flow-mapping"),
    pytest.param(b"---\ntitle: \xff\n---\n", "UTF-8", id="not-utf8"),
]


@pytest.mark.parametrize(("data", "reason"), BROKEN)
def test_refuses_what_it_cannot_edit_safely(data: bytes, reason: str) -> None:
    with pytest.raises(FrontMatterEditError, match=reason):
        update_front_matter(data, {"status": "approved"})
