"""Lint rules, one small class per rule. Importing this package registers them all.

Code families: BBJ0xx file (encoding, line ends), BBJ1xx structure, BBJ2xx front matter,
BBJ3xx code conventions, BBJ4xx generation consistency, BBJ5xx compile/syntax, BBJ6xx duplicates."""

from curate.rules import code_blocks, front_matter, generation, layout, loader, metadata, producers, sections  # noqa: F401
