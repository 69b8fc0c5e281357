"""Curation of BBj training examples: the Example model, rules, checkers, dedupe and the CLI.

This package must stay light: it never imports torch or transformers."""

__version__ = "0.1.0"
