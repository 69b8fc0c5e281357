"""`bbj-train corpus`: the Stage 1 raw BBj corpus as JSONL `{"text", "meta"}`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from train.data.corpus import Document

from train.commands.options import (
    benchmark_cases,
    benchmark_options,
    chosen_statuses,
    config_option,
    example_inputs,
    force_option,
    output_guard,
    resolve_config,
    status_options,
)


@click.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_file", required=True, type=click.Path(path_type=Path, dir_okay=False), help="Output JSONL file.")
@click.option("--ext", "extensions", multiple=True, help="Extra source extensions besides .bbj .src .bbl .aon (repeatable).")
@click.option(
    "--from-examples", "example_paths", multiple=True, type=click.Path(path_type=Path, exists=True), help="Also take the code blocks of curated examples here."
)
@status_options
@click.option("--syntax-filter", is_flag=True, help="Drop sources the built-in syntax checker rejects.")
@click.option(
    "--decontaminate",
    "split_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Split folder: drop sources that near-duplicate or contain test code.",
)
@click.option("--fim-rate", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True, help="Share of documents turned into fill-in-the-middle samples.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the FIM choice and cut points.")
@click.option("--no-near-dedupe", is_flag=True, help="Only drop exact duplicates.")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False), help="Report JSON (default: <out stem>.report.json beside OUT).")
@config_option
@benchmark_options
@force_option
def corpus(
    sources: tuple[Path, ...], out_file: Path, extensions: tuple[str, ...], example_paths: tuple[Path, ...], statuses: tuple[str, ...],
    all_statuses: bool, syntax_filter: bool, split_dir: Path | None, fim_rate: float, seed: int, no_near_dedupe: bool,
    report_path: Path | None, config_file: Path | None, benchmarks: tuple[Path, ...], no_benchmark_guard: bool, force: bool,
) -> None:  # fmt: skip
    """Build the corpus from folders of BBj SOURCES and/or --from-examples."""
    from curate.errors import require_existing
    from curate.safeio import printable_path
    from train.data.card import (
        build_card,
        card_paths,
        click_command_line,
        file_entry,
        write_card,
        write_jsonl,
    )
    from train.data.corpus import (
        DEFAULT_EXTENSIONS,
        CorpusOptions,
        CorpusResult,
        build_corpus,
        documents_from_examples,
        find_sources,
        read_sources,
        reason_counts,
        samples,
    )

    if not sources and not example_paths:
        raise click.UsageError("give source folders, --from-examples, or both")
    if split_dir is not None and not (split_dir / "test.jsonl").is_file():
        raise click.UsageError(f"--decontaminate {split_dir}: no test.jsonl there (give a folder written by `bbj-train split`)")
    from train.data.benchmark_guard import benchmark_code_blocks

    require_existing(sources)
    cases, bench_files = benchmark_cases(benchmarks, no_benchmark_guard)
    config = resolve_config(list(example_paths or sources), config_file)
    result = CorpusResult()
    source_files = find_sources(list(sources), DEFAULT_EXTENSIONS + extensions, result)
    inputs = [*source_files, *(example_inputs(list(example_paths), config) if example_paths else [])]
    split_files = [split_dir / name for name in ("train.jsonl", "validation.jsonl", "test.jsonl")] if split_dir else []
    guard = output_guard("corpus", [*inputs, *split_files, *bench_files], force)
    report_path = report_path or out_file.with_name(f"{out_file.stem}.report.json")
    for path in (out_file, report_path, *card_paths(out_file.parent, f"{out_file.stem}.card")):
        guard.claim(path)
    documents = read_sources(source_files, result)
    if example_paths:
        from train.data.convert import load_examples

        loaded = load_examples(list(example_paths), config, chosen_statuses(statuses, all_statuses, config))
        for diag in loaded.skipped:
            click.echo(f"{diag.render()} (skipped)", err=True)
        documents += documents_from_examples(loaded.examples)
    read = len(documents) + len(result.dropped)
    options = CorpusOptions(syntax_filter, split_dir, fim_rate, seed, not no_near_dedupe, benchmark_code_blocks(cases), config.dedupe_threshold)
    build_corpus(documents, options, result)
    records = samples(result.documents, fim_rate, seed)
    output = write_jsonl(out_file, records, guard)
    counts = {
        "documents_read": read, "kept": len(result.documents), "dropped": len(result.dropped),
        "fim_samples": sum(1 for r in records if r["meta"]["fim"]), "reasons": reason_counts(result.dropped),
    }  # fmt: skip
    guard.write_text(report_path, json.dumps({**counts, "dropped_documents": result.dropped}, indent=1, ensure_ascii=False) + "\n")
    input_entries = [_input_entry(p, [d for d in documents if "example" not in d.meta and d.id.startswith(printable_path(p))]) for p in sources]
    input_entries += [_input_entry(p, [d for d in documents if "example" in d.meta]) for p in example_paths]
    card = build_card("Stage 1 BBj corpus", click_command_line(), input_entries, [output], counts, report=report_path.as_posix(), fim={"rate": fim_rate, "seed": seed, "format": "PSM"},
                      benchmark_files=[file_entry(path) for path in bench_files])  # fmt: skip
    write_card(out_file.parent, card, guard, stem=f"{out_file.stem}.card")
    click.echo(f"corpus: {len(result.documents)} of {read} documents kept ({counts['fim_samples']} as FIM samples) -> {out_file} (report: {report_path})")


def _input_entry(path: Path, documents: list[Document]) -> dict[str, object]:
    """One input root: how many documents it gave and one hash over their ids and texts."""
    import hashlib

    from curate.safeio import printable_path
    from train.data.card import digest_of

    digest = digest_of((d.id, hashlib.sha256(d.text.encode("utf-8")).hexdigest()) for d in documents)
    return {"path": printable_path(path), "documents": len(documents), "sha256": digest}
