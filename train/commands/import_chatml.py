"""`bbj-train import-chatml`: legacy ChatML JSONL -> repaired, deduplicated records, a report
accounting for every input line, a data card, and optionally draft Markdown examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from train.commands.options import (
    config_option,
    force_option,
    output_guard,
    prepare_out_dir,
    resolve_config,
)

TOP_REASONS = 5  # reasons per outcome printed on the terminal; the report has all


@click.command("import-chatml")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False), help="Output folder (records.jsonl, card).")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False), help="Report JSON (default: OUT/report.json).")
@click.option("--to-markdown", "markdown_dir", type=click.Path(path_type=Path, file_okay=False), help="Also write draft Markdown examples here.")
@click.option("--system-prompt", default=None, help="Replace every system prompt with this text (default: keep; add the default when missing).")
@click.option("--id-prefix", default="legacy", show_default=True, help="Record ids are PREFIX:<line>; use one prefix per legacy file.")
@click.option("--no-near-dedupe", is_flag=True, help="Only drop exact duplicates.")
@click.option(
    "--dedupe-threshold",
    type=click.FloatRange(0.05, 1.0),
    default=None,
    help="Near-duplicate Jaccard threshold (default: dedupe-threshold of [tool.bbj-curate]).",
)
@click.option("--max-line-bytes", type=click.IntRange(1), default=1 << 20, show_default=True, help="Longer lines are dropped.")
@click.option(
    "--checker", type=click.Choice(["auto", "bbjcpl", "builtin", "none"]), default=None, help="Compile checker for the BBj blocks (default: config, else auto)."
)
@click.option(
    "--keep-uncompiled", is_flag=True, help="Keep records whose BBj does not compile in records.jsonl (marked compile_errors; a warning says how many)."
)
@config_option
@force_option
def import_chatml(
    file: Path, out_dir: Path, report_path: Path | None, markdown_dir: Path | None, system_prompt: str | None, id_prefix: str,
    no_near_dedupe: bool, dedupe_threshold: float | None, max_line_bytes: int, checker: str | None, keep_uncompiled: bool,
    config_file: Path | None, force: bool,
) -> None:  # fmt: skip
    """Import FILE (records as {"messages": [...]} or {"text": "<|im_start|>..."}).

    Markdown export never replaces a file: a draft whose name is taken gets the next free name,
    and a record exported before (same source and title) is skipped, so a re-run keeps every
    review made since."""
    from curate.safeio import UnsafeFile, printable_path, unencodable
    from train.data.card import (
        build_card,
        card_paths,
        click_command_line,
        file_entry,
        write_card,
        write_jsonl,
    )
    from train.data.legacy import ImportOptions, import_legacy
    from train.data.legacy_gate import apply_gate, compile_records

    if unencodable(id_prefix) is not None or unencodable(system_prompt or "") is not None:
        raise click.BadParameter("not valid Unicode text", param_hint="--id-prefix/--system-prompt")
    config = resolve_config([file], config_file)
    guard = output_guard("import-chatml", [file], force)
    report_path = report_path or out_dir / "report.json"
    guard.claim(out_dir / "records.jsonl", "records")
    guard.claim(report_path, "report")
    for path in card_paths(out_dir):
        guard.claim(path, "data card")
    options = ImportOptions(system_prompt, id_prefix, max_line_bytes, not no_near_dedupe, dedupe_threshold or config.dedupe_threshold, list(config.topics))
    try:
        result = import_legacy(file, options)
    except UnsafeFile as exc:
        raise click.ClickException(f"{printable_path(file)}: {exc.message}") from None
    except OSError as exc:
        raise click.ClickException(f"{printable_path(file)}: cannot read: {exc.strerror or exc}") from None
    gate = compile_records(result.records, config, checker)
    failing = apply_gate(result, gate, keep_uncompiled)
    click.echo(f"compile check: {gate.checker}; {gate.blocks} BBj blocks, {len(failing)} records with errors", err=True)
    if failing and keep_uncompiled:
        click.echo(
            f"warning: --keep-uncompiled: {len(failing)} records whose BBj does not compile stay in records.jsonl (meta.compile_errors); the report lists their errors",
            err=True,
        )
    report = result.report()
    prepare_out_dir(out_dir)
    output = write_jsonl(out_dir / "records.jsonl", result.records, guard)
    guard.write_text(report_path, json.dumps({"input": printable_path(file), **report}, indent=1, ensure_ascii=False) + "\n")
    extra = {}
    if markdown_dir is not None:
        from train.data.to_markdown import write_markdown

        drafts = result.records + ([] if keep_uncompiled else failing)
        markdown = write_markdown(sorted(drafts, key=lambda r: r["meta"]["line"]), prepare_out_dir(markdown_dir), config.topics)
        extra["markdown"] = {"folder": markdown_dir.as_posix(), "written": len(markdown.written), "skipped": markdown.skipped}
        click.echo(f"wrote {len(markdown.written)} draft examples under {markdown_dir} ({len(markdown.skipped)} records skipped: no code, or exported before)")
    counts = {key: report[key] for key in ("input_lines", "kept", "fixed", "dropped")} | {"reasons": report["reasons"], "compile_errors": len(failing)}
    card = build_card("Legacy ChatML import", click_command_line(), [file_entry(file)], [output], counts, report=report_path.as_posix(), **extra)
    write_card(out_dir, card, guard)
    click.echo(
        f"{report['input_lines']} lines: {report['kept']} kept, {report['fixed']} fixed, {report['dropped']} dropped"
        f" -> {out_dir / 'records.jsonl'} (report: {report_path})"
    )
    for outcome in ("dropped", "fixed"):
        top = top_reasons(report["lines"], outcome)
        if top:
            click.echo(f"top {outcome} reasons: {top}")


def top_reasons(lines: list[dict[str, Any]], outcome: str, count: int = TOP_REASONS) -> str:
    """'near-duplicate 12, fence-language 8, ...': the most frequent reasons of one outcome
    (a record counts once per reason), so the terminal says what the report holds."""
    from collections import Counter

    from train.data.card import reason_key

    tally = Counter(key for line in lines if line["outcome"] == outcome for key in dict.fromkeys(reason_key(r) for r in line["reasons"]))
    return ", ".join(f"{reason} {n}" for reason, n in tally.most_common(count))
