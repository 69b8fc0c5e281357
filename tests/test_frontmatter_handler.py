"""The python-frontmatter handler: exact lines, the safe loader, and the library's own API."""

from __future__ import annotations

import frontmatter
import pytest

from curate.frontmatter_yaml import HANDLER, FrontMatterError, load_front_matter

TEXT = "---\ntitle: Greet\ntype: completion\nreviewed: 2026-01-02\n---\n\n## Code\n"


def test_python_frontmatter_api_uses_the_handler() -> None:
    post = frontmatter.loads(TEXT, handler=HANDLER)
    assert post.metadata == {"title": "Greet", "type": "completion", "reviewed": "2026-01-02"}  # no date object
    assert post.content == "## Code"


def test_body_line_counts_from_the_real_file() -> None:
    _meta, fm_text, first_key_line, body_line = load_front_matter(TEXT)
    assert fm_text.split("\n")[0] == "title: Greet" and first_key_line == 2
    assert TEXT.split("\n")[body_line - 1] == ""  # the line after the closing ---
    assert TEXT.split("\n")[body_line] == "## Code"


@pytest.mark.parametrize(
    ("text", "code"),
    [("# no front matter\n", "BBJ101"), ("\n---\ntitle: x\n---\n", "BBJ101"), ("---\ntitle: x\n", "BBJ102")],
)
def test_split_errors_have_codes(text: str, code: str) -> None:
    with pytest.raises(FrontMatterError) as caught:
        HANDLER.split(text)
    assert caught.value.code == code


def test_unsafe_tags_are_refused() -> None:
    with pytest.raises(FrontMatterError) as caught:
        load_front_matter("---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\n")
    assert caught.value.code == "BBJ103"
