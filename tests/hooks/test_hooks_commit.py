"""`git commit` in a repository that uses this checkout's hooks through pre-commit."""

from __future__ import annotations

from hookrepo import Consumer, git, valid_example


def test_valid_example_is_accepted(consumer: Consumer) -> None:
    consumer.write("training-data/strings/count-letters.md", valid_example("Count the letters of a word", "Grace"))
    result = consumer.commit("add example")
    assert result.returncode == 0, result.stdout
    assert "Passed" in result.stdout or "Skipped" in result.stdout


def test_invalid_example_is_rejected_with_code_and_line(consumer: Consumer) -> None:
    text = valid_example("Count the vowels of a word", "Linus").replace("type: completion\n", "type: tutorial\n")
    consumer.write("training-data/strings/count-vowels.md", text)
    result = consumer.commit("add broken example")
    assert result.returncode != 0
    assert "training-data/strings/count-vowels.md:3:1: BBJ203" in result.stdout
    assert "lint_ignore" in result.stdout  # one line on how to suppress
    assert "Traceback" not in result.stdout


def test_syntax_error_is_rejected_by_the_compile_hook(consumer: Consumer) -> None:
    text = valid_example("Print the letters of a word", "Barbara").replace("next i\n", "")
    consumer.write("training-data/strings/print-letters.md", text)
    result = consumer.commit("add example with an unclosed loop")
    assert result.returncode != 0
    assert "bbj compile" in result.stdout and "BBJ5" in result.stdout


def test_near_duplicate_is_rejected(consumer: Consumer) -> None:
    twin = valid_example("Greet someone by name", "Ada").replace("stores a greeting target", "keeps a greeting target")
    consumer.write("training-data/strings/greet-someone.md", twin)
    result = consumer.commit("add a near duplicate")
    assert result.returncode != 0
    assert "BBJ60" in result.stdout and "greet-a-person.md" in result.stdout


def test_readme_and_non_example_files_are_ignored(consumer: Consumer) -> None:
    consumer.write("training-data/README.md", "# Data\n\nNo front matter here, and that is fine.\n")
    consumer.write("training-data/gui/notes.txt", "type: nonsense\n")
    consumer.write("docs/guide.md", "# Not under training-data\n")
    result = consumer.commit("docs only")
    assert result.returncode == 0, result.stdout


def test_skip_one_hook_for_a_work_in_progress_commit(consumer: Consumer) -> None:
    text = valid_example("Reverse a word", "Alan").replace("next i\n", "")
    consumer.write("training-data/strings/reverse-a-word.md", text)
    result = consumer.commit("wip", extra_env={"SKIP": "bbj-compile"})
    assert result.returncode == 0, result.stdout


def test_rename_and_delete_keep_the_dedupe_index_right(consumer: Consumer) -> None:
    # Renaming the original must not make it its own duplicate.
    git(consumer.path, "mv", "training-data/strings/greet-a-person.md", "training-data/strings/greet-person.md")
    result = consumer.commit("rename")
    assert result.returncode == 0, result.stdout
    # After deleting it, an example like it is no longer a duplicate of anything.
    git(consumer.path, "rm", "-q", "training-data/strings/greet-person.md")
    assert consumer.commit("delete").returncode == 0
    consumer.write("training-data/strings/greet-someone.md", valid_example("Greet someone by name", "Ada"))
    result = consumer.commit("re-add similar example")
    assert result.returncode == 0, result.stdout


def test_caches_never_become_part_of_the_commit(consumer: Consumer) -> None:
    """The compile cache and dedupe index live in `.bbj-cache/`, which ignores itself: a
    consumer without a .gitignore entry must not commit (and then see modified) cache files."""
    consumer.write("training-data/strings/count-letters.md", valid_example("Count the letters of a word", "Grace"))
    assert consumer.commit("add example").returncode == 0
    assert (consumer.path / ".bbj-cache" / ".gitignore").is_file()
    consumer.write("training-data/strings/spell-a-word.md", valid_example("Spell a word one letter per line", "Edsger"))
    result = consumer.commit("another example")
    assert result.returncode == 0, result.stdout
    tracked = git(consumer.path, "ls-files").stdout.split("\n")
    assert not [name for name in tracked if name.startswith(".bbj-cache")]
    assert git(consumer.path, "status", "--porcelain").stdout == ""


def test_missing_required_compiler_is_a_clear_error(consumer: Consumer) -> None:
    consumer.write("pyproject.toml", '[tool.bbj-curate]\nchecker = "bbjcpl"\n')
    consumer.write("training-data/strings/count-letters.md", valid_example("Count the letters of a word", "Grace"))
    result = consumer.commit("add example", extra_env={"BBJ_HOME": ""})
    assert result.returncode != 0
    assert "bbjcpl not found" in result.stdout and "Traceback" not in result.stdout
