"""`bbj-curate schema` and `bbj-curate rules`: print the contract and the rule catalogue."""

from __future__ import annotations

import json

import click


@click.command()
def schema() -> None:
    """Print the front matter JSON Schema (2020-12)."""
    from curate.schema import schema_document

    click.echo(json.dumps(schema_document(), indent=2))


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(fmt: str) -> None:
    """List every rule: code, name, severity, fixable, summary."""
    from curate.rules.base import all_rules

    catalogue = [
        {"code": r.code, "name": r.name, "severity": r.severity.value, "fixable": r.fixable, "summary": r.summary}
        for r in all_rules()
    ]
    if fmt == "json":
        click.echo(json.dumps(catalogue, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("code", "name", "severity", "fix", "summary", title="bbj-curate rules")
    for row in catalogue:
        table.add_row(str(row["code"]), str(row["name"]), str(row["severity"]), "yes" if row["fixable"] else "", str(row["summary"]))
    Console().print(table)
