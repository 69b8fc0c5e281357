"""`bbj-train split`: stable, stratified, leak-free train/validation/test splits."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from train.commands.options import (
    benchmark_cases,
    benchmark_options,
    config_option,
    force_option,
    output_guard,
    prepare_out_dir,
    report_benchmark_drops,
    resolve_config,
)

if TYPE_CHECKING:
    from curate.safeio import OutputGuard

T = TypeVar("T")


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="Output folder (required unless --check-only).")
@click.option("--ratios", default="80/10/10", show_default=True, help="train/validation/test proportions.")
@click.option("--salt", default="bbj-split-v1", show_default=True, help="Hash salt; change it only to draw a new split on purpose.")
@click.option("--no-dedupe", is_flag=True, help="Do not keep near-duplicate clusters together (the leak check still runs).")
@click.option("--check-only", is_flag=True, help="Only check an existing split folder for test/train leakage.")
@benchmark_options
@config_option
@force_option
def split(
    inputs: tuple[Path, ...], out_dir: Path | None, ratios: str, salt: str, no_dedupe: bool, check_only: bool,
    benchmarks: tuple[Path, ...], no_benchmark_guard: bool, config_file: Path | None, force: bool,
) -> None:  # fmt: skip
    """Split the records of INPUTS (JSONL files, or folders of them) into OUT/{train,validation,test}.jsonl.

    Records that near-duplicate a benchmark case are dropped and reported. Exit status 1 when a
    test record has a near duplicate in train."""
    from train.data.benchmark_guard import drop_benchmark_leaks
    from train.data.split import (
        SPLIT_FILES,
        assign,
        find_split_leaks,
        parse_ratios,
        read_records,
        read_split,
        record_id,
    )

    threshold = resolve_config(list(inputs), config_file).dedupe_threshold
    if check_only:
        if len(inputs) != 1 or not inputs[0].is_dir():
            raise click.UsageError("--check-only takes one split folder")
        splits = _read(lambda: read_split(inputs[0]))
        _fail_on_leaks(find_split_leaks(splits, threshold))
        click.echo(f"no leakage: none of {len(splits['test'])} test records has a near duplicate among {len(splits['train'])} train records")
        return
    if out_dir is None:
        raise click.UsageError("--out is required (or use --check-only)")
    try:
        fractions = parse_ratios(ratios)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--ratios") from None
    records, files = _read(lambda: read_records(list(inputs)))
    records = _trainable(records)
    cases, bench_files = benchmark_cases(benchmarks, no_benchmark_guard)
    guard = output_guard("split", [*files, *bench_files], force)
    for name in [*SPLIT_FILES.values(), "manifest.json", "card.md"]:
        guard.claim(out_dir / name)
    records, leaked = drop_benchmark_leaks(records, cases, record_id)
    report_benchmark_drops(leaked)
    result = assign(records, fractions, salt, dedupe=not no_dedupe, threshold=threshold)
    _fail_on_leaks(find_split_leaks(result.splits, threshold))
    manifest = _write(prepare_out_dir(out_dir), result, files, fractions, salt, {"files": bench_files, "drops": leaked}, guard)
    sizes = ", ".join(f"{name} {count}" for name, count in manifest["counts"].items())
    click.echo(
        f"split {len(records)} records: {sizes}; {result.clusters} near-duplicate clusters kept whole; {len(leaked)} dropped as benchmark near duplicates -> {out_dir}"
    )


def _trainable(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records the gate lets through (`curate.trainable`), saying what it held back and,
    loudly, what was kept despite compile errors."""
    from curate.trainable import record_problem, uncompiled

    kept = []
    for record in records:
        problem = record_problem(record["meta"])
        if problem:
            click.echo(f"{record['meta']['id']}: left out ({problem})", err=True)
        else:
            kept.append(record)
    broken = [r for r in kept if uncompiled(r["meta"])]
    if broken:
        click.echo(
            f"warning: {len(broken)} records were kept despite compile errors (import-chatml --keep-uncompiled): {', '.join(r['meta']['id'] for r in broken[:5])}{' ...' if len(broken) > 5 else ''}",
            err=True,
        )
    return kept


def _read(load: Callable[[], T]) -> T:
    from train.data.split import SplitInputError

    try:
        return load()
    except (SplitInputError, OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from None


def _fail_on_leaks(pairs: list[Any]) -> None:
    if not pairs:
        return
    click.echo(f"LEAKAGE: {len(pairs)} test/train near-duplicate pair(s):", err=True)
    for pair in pairs:
        click.echo(f"  test {pair.a} ~ train {pair.b} (jaccard {pair.jaccard:.2f}, similarity {pair.score:.2f})", err=True)
    raise click.exceptions.Exit(1)


def _write(
    out_dir: Path, result: Any, files: list[Path], fractions: tuple[float, float, float], salt: str, benchmark: dict[str, Any], guard: OutputGuard,
) -> dict[str, Any]:  # fmt: skip
    """The three split files, manifest.json and a human card.md rendered from it."""
    from train.data.card import (
        build_card,
        click_command_line,
        file_entry,
        render_card,
        write_jsonl,
    )
    from train.data.split import SPLIT_FILES, SPLITS, category_counts

    outputs = [write_jsonl(out_dir / SPLIT_FILES[name], result.splits[name], guard) for name in SPLITS]
    manifest = build_card(
        "train/validation/test split", click_command_line(), [file_entry(f) for f in files], outputs,
        {name: len(result.splits[name]) for name in SPLITS},
        method={
            "assignment": "sha256(salt:id) read as a fraction in [0,1), cut at fixed thresholds",
            "ratios": dict(zip(SPLITS, fractions)), "salt": salt,
            "near_duplicate_clusters": result.clusters, "records_moved_to_their_cluster": result.moved_by_cluster,
        },
        by_category=category_counts(result.splits), by_stratum=result.by_stratum, leaks=[],
        benchmark_files=[file_entry(f) for f in benchmark["files"]], benchmark_drops=benchmark["drops"],
    )  # fmt: skip
    guard.write_text(out_dir / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    guard.write_text(out_dir / "card.md", render_card(manifest))
    return manifest
