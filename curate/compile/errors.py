"""The compile check's one usage error."""

from __future__ import annotations

from curate.errors import UsageError


class CheckerUnavailable(UsageError):
    """`--checker bbjcpl` without a bbjcpl: a usage error (exit 2) that says where we looked."""
