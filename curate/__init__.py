"""Curation of BBj training examples: the Example model, rules, checkers, dedupe and the CLI.

This package must stay light: it never imports torch or transformers."""

__version__ = "0.1.0"


def tool_version() -> str:
    """The installed toolkit's version, as reports, cards and SARIF name it."""
    from importlib import metadata

    try:
        return metadata.version("bbj-coder-toolkit")
    except metadata.PackageNotFoundError:
        return "unknown"
