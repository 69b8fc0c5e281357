"""`bbj-curate schema` and `bbj-curate rules`: print the contract and the rule catalogue."""

from __future__ import annotations

import inspect
import json
from typing import TYPE_CHECKING

import click

from curate.errors import UsageError

if TYPE_CHECKING:
    from curate.rules.base import Rule


@click.command()
def schema() -> None:
    """Print the front matter JSON Schema (2020-12)."""
    from curate.schema import schema_document

    click.echo(json.dumps(schema_document(), indent=2))


@click.command()
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(code: str | None, fmt: str) -> None:
    """List every rule (code, name, severity, fixable, summary), or show one rule CODE with its
    explanation and its bad and good examples."""
    from curate.rules.base import all_rules

    catalogue = [rule_entry(r) for r in all_rules()]
    if code is not None:
        chosen = [entry for entry in catalogue if entry["code"] == code.upper() or entry["name"] == code.lower()]
        if not chosen:
            raise UsageError(f"unknown rule {code!r}; `bbj-curate rules` lists every code")
        catalogue = chosen
    if fmt == "json":
        click.echo(json.dumps(catalogue if code is None else catalogue[0], indent=2))
        return
    if code is not None:
        click.echo(explain(catalogue[0]))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("code", "name", "severity", "fix", "summary", title="bbj-curate rules")
    for row in catalogue:
        table.add_row(str(row["code"]), str(row["name"]), str(row["severity"]), "yes" if row["fixable"] else "", str(row["summary"]))
    Console().print(table)


def rule_entry(rule: type[Rule]) -> dict[str, object]:
    """One rule as the catalogue shows it; `explanation` is its docstring (why, Bad:, Good:)."""
    return {
        "code": rule.code, "name": rule.name, "severity": rule.severity.value, "fixable": rule.fixable,
        "summary": rule.summary, "explanation": inspect.getdoc(rule) or "",
    }  # fmt: skip


def explain(entry: dict[str, object]) -> str:
    """ruff's `rule` page in plain text: heading, severity and fix line, then the docstring."""
    fix = "fixable with --fix" if entry["fixable"] else "not fixable automatically"
    return f"{entry['code']} ({entry['name']}): {entry['summary']}\nseverity: {entry['severity']}; {fix}\n\n{entry['explanation']}".rstrip()
