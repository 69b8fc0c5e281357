"""The compile check's one usage error, in its own module so that importing the compile check
does not import click (hooks must start fast); only raising or catching it does."""

from __future__ import annotations

import click


class CheckerUnavailable(click.UsageError):
    """`--checker bbjcpl` without a bbjcpl: a usage error (exit 2) that says where we looked."""
