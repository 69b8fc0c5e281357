"""`bbj-train convert`: curated examples -> ChatML records (examples.jsonl) and a data card."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from train.commands.options import (
    benchmark_cases,
    benchmark_options,
    chosen_statuses,
    config_option,
    example_inputs,
    force_option,
    output_guard,
    prepare_out_dir,
    report_benchmark_drops,
    resolve_config,
    status_options,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False), help="Output folder.")
@status_options
@config_option
@click.option("--strict", is_flag=True, help="Exit 1 when any example was skipped as invalid.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None, help="Worker processes for large sets (default: CPU count).")
@benchmark_options
@force_option
def convert(
    paths: tuple[Path, ...], out_dir: Path, statuses: tuple[str, ...], all_statuses: bool, config_file: Path | None, strict: bool, jobs: int | None,
    benchmarks: tuple[Path, ...], no_benchmark_guard: bool, force: bool,
) -> None:  # fmt: skip
    """Convert examples (default: training-data) to ChatML records in OUT/examples.jsonl."""
    from train.data.benchmark_guard import drop_benchmark_leaks
    from train.data.card import (
        build_card,
        card_paths,
        click_command_line,
        digest_of,
        file_entry,
        write_card,
        write_jsonl,
    )
    from train.data.convert import convert_paths

    roots = list(paths) or [Path("training-data")]
    config = resolve_config(roots, config_file)
    cases, bench_files = benchmark_cases(benchmarks, no_benchmark_guard)
    guard = output_guard("convert", [*example_inputs(roots, config), *bench_files], force)
    for path in (out_dir / "examples.jsonl", *card_paths(out_dir)):
        guard.claim(path)
    chosen = chosen_statuses(statuses, all_statuses, config)
    converted = convert_paths(roots, config, chosen, jobs)
    records, leaked = drop_benchmark_leaks(converted.records, cases, lambda r: r["meta"]["id"])
    skipped = converted.skipped
    report_benchmark_drops(leaked)
    for diag in skipped:
        click.echo(f"{diag.render()} (skipped)", err=True)
    prepare_out_dir(out_dir)
    output = write_jsonl(out_dir / "examples.jsonl", records, guard)
    inputs = [{"path": ", ".join(root.as_posix() for root in roots), "files": converted.files, "sha256": digest_of(converted.inputs)}]
    counts = {
        "records": len(records),
        "skipped_invalid": len(skipped),
        "filtered_by_status": converted.filtered_by_status,
        "dropped_benchmark_near_duplicates": len(leaked),
        "by_type": dict(sorted(Counter(r["meta"]["type"] for r in records).items())),
        "by_generation": dict(sorted(Counter(_generation(r["meta"]["generation"]) for r in records).items())),
    }
    card = build_card(
        "ChatML records from curated examples", click_command_line(), inputs, [output], counts,
        statuses=list(chosen) if chosen else "all", skipped=[d.to_json() for d in skipped],
        benchmark_files=[file_entry(path) for path in bench_files], benchmark_drops=leaked,
    )  # fmt: skip
    write_card(out_dir, card, guard)
    click.echo(
        f"converted {len(records)} examples -> {out_dir / 'examples.jsonl'} ({len(skipped)} skipped as invalid, "
        f"{converted.filtered_by_status} filtered by status, {len(leaked)} dropped as benchmark near duplicates)"
    )
    if strict and skipped:
        raise click.exceptions.Exit(1)


def _generation(value: object) -> str:
    return "+".join(map(str, value)) if isinstance(value, list) else str(value)
