"""Dedupe benchmark.

--quality: 2,000 generated examples (bench/near_dupes.py) with planted near duplicates; ground
truth is a brute-force exact Jaccard of every pair on the same shingles. Reports the recall and
precision of the detector (LSH candidates + confirmation) against that truth, how many planted
copies and unrelated pairs each threshold flags, and a sweep of shingle size and num_perm.
--speed: from-scratch clustering of 10,000 and 100,000 examples, the `bbj-curate dedupe`
command on 10,000 files, and the pre-commit check of one changed file against a persisted
10,000-example index as a whole `python -c` process (median of --runs).
--write-docs replaces the generated section of docs/dedupe.md with the tables."""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from near_dupes import Sample, generate

from curate.dedupe import DedupeConfig, Item

DOC = ROOT / "docs" / "dedupe.md"
MARK_BEGIN, MARK_END = "<!-- bench:begin -->", "<!-- bench:end -->"
PYTHON = sys.executable


def machine() -> str:
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}, load average {load}"


def table(headers: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def items_of(samples: list[Sample]) -> list[Item]:
    from curate.dedupe.items import example_body
    from curate.example import parse_example

    return [Item(s.id, example_body(parse_example(s.text, Path(s.id), s.id))) for s in samples]


def truth(items: list[Item], shingle_size: int):  # type: ignore[no-untyped-def]
    """Exact Jaccard of every pair (upper triangle) via a sparse shingle-incidence product."""
    import numpy as np
    from scipy import sparse

    from curate.dedupe.normalize import normalize, shingles

    sets = [shingles(normalize(i.text, i.kind), shingle_size) for i in items]
    values, columns = np.unique(np.concatenate(sets), return_inverse=True)
    rows = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    incidence = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(len(sets), len(values)))
    common = (incidence @ incidence.T).toarray()
    sizes = np.array([len(s) for s in sets], dtype=np.float64)
    similarity = common / (sizes[:, None] + sizes[None, :] - common)
    return np.triu(similarity, k=1)


def detected(items: list[Item], config: DedupeConfig) -> set[tuple[int, int]]:
    """Pairs the detector reports; an exact-duplicate group stands for all its pairs."""
    from itertools import combinations, product

    from curate.dedupe.cluster import confirmed_pairs, prepare

    prepared = prepare(items, config)
    position = {item.id: n for n, item in enumerate(items)}
    original = [position[i.id] for i in prepared.items]
    pairs = confirmed_pairs(prepared, config)
    representative = list(range(len(prepared.items)))
    for i, j, similarity, score in pairs:
        if similarity == 1.0 and score == 1.0:  # (group representative, member)
            representative[j] = i
    groups: dict[int, list[int]] = {}
    for k, rep in enumerate(representative):
        groups.setdefault(rep, []).append(original[k])
    found = {tuple(sorted(p)) for group in groups.values() for p in combinations(group, 2)}
    for i, j, similarity, score in pairs:
        if not (similarity == 1.0 and score == 1.0):
            found.update(tuple(sorted(p)) for p in product(groups[i], groups[j]))
    return found  # type: ignore[return-value]


def quality(count: int) -> str:
    import numpy as np

    samples = generate(count, seed=11)
    items = items_of(samples)
    family = np.array([s.family for s in samples])
    planted = np.triu(family[:, None] == family[None, :], k=1)
    out = [f"Quality: {count} generated examples ({planted.sum()} planted near-duplicate pairs in {len(set(family.tolist()))} families), {machine()}.\n"]
    rows = []
    for shingle_size in (3, 4, 5):
        exact = truth(items, shingle_size)
        for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
            config = DedupeConfig(threshold=threshold, shingle_size=shingle_size)
            started = time.perf_counter()
            found = detected(items, config)
            elapsed = time.perf_counter() - started
            truth_pairs = {(int(i), int(j)) for i, j in zip(*np.nonzero(exact >= threshold))}
            hit = len(found & truth_pairs)
            planted_found = sum(1 for i, j in found if planted[i, j])
            rows.append(
                [
                    shingle_size,
                    threshold,
                    len(truth_pairs),
                    len(found),
                    f"{hit / max(len(truth_pairs), 1):.4f}",
                    f"{hit / max(len(found), 1):.4f}",
                    f"{planted_found / planted.sum():.3f}",
                    len(found) - planted_found,
                    f"{elapsed:.2f}",
                ]
            )
    out.append(
        table(
            [
                "shingle",
                "threshold",
                "pairs >= threshold (brute force)",
                "reported",
                "recall",
                "precision",
                "planted pairs found",
                "unrelated pairs reported",
                "seconds",
            ],
            rows,
        )
    )
    rows = []
    exact = truth(items, DedupeConfig().shingle_size)
    truth_pairs = {(int(i), int(j)) for i, j in zip(*np.nonzero(exact >= DedupeConfig().threshold))}
    for num_perm in (64, 128, 256):
        config = DedupeConfig(num_perm=num_perm)
        started = time.perf_counter()
        found = detected(items, config)
        elapsed = time.perf_counter() - started
        hit = len(found & truth_pairs)
        rows.append([num_perm, f"{hit / max(len(truth_pairs), 1):.4f}", f"{hit / max(len(found), 1):.4f}", f"{elapsed:.2f}"])
    out.append(f"\nnum_perm at the default threshold {DedupeConfig().threshold} and shingle size {DedupeConfig().shingle_size}:\n")
    out.append(table(["num_perm", "recall", "precision", "seconds"], rows))
    return "\n".join(out)


def real_corpus() -> str:
    """How many pairs of real, distinct BBj files each setting would flag (shared/bbj-corpus)."""

    from curate.dedupe import find_clusters, items_from_sources

    corpus = ROOT.parent / "shared" / "bbj-corpus" / "files"
    paths = sorted(corpus.rglob("*.bbj"))
    if not paths:
        return f"(real corpus not found at {corpus}: skipped)"
    items = items_from_sources(paths)
    thresholds = (0.5, 0.6, 0.7, 0.8, 0.9)
    rows = []
    for shingle_size in (3, 4, 5):
        exact = truth(items, shingle_size)
        rows.append([shingle_size, *(int((exact >= t).sum()) for t in thresholds)])
    clusters = find_clusters(items)
    top = ", ".join(f"{Path(c.pairs[0].a).name} ~ {Path(c.pairs[0].b).name} ({c.pairs[0].jaccard:.2f})" for c in clusters)
    return (
        f"Real BBj source: pairs of the {len(paths)} files of shared/bbj-corpus/files at or above each threshold "
        f"(brute force; {len(paths) * (len(paths) - 1) // 2:,} pairs). The detector with the defaults reports: {top or 'nothing'}.\n\n"
        + table(["shingle", *(f">= {t}" for t in thresholds)], rows)
    )


def median_time(action, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median wall and median CPU seconds (this process plus its children: on a shared
    machine CPU time is the steadier figure)."""
    walls, cpus = [], []
    for _ in range(runs):
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        started, cpu = time.perf_counter(), time.process_time()
        action()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu + after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def write_project(folder: Path, samples: list[Sample]) -> None:
    (folder / "pyproject.toml").write_text('[tool.bbj-curate]\ncache-dir = ".bbj-cache"\n')
    for sample in samples:
        path = folder / "training-data" / sample.id
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sample.text)


def git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.com", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.com"}
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


HOOK = (
    "import sys; from pathlib import Path; from curate.config import load_config; from curate.dedupe import check_against_corpus; "
    "c = load_config([Path.cwd()]); d = check_against_corpus([Path(sys.argv[1])], c.root / c.data_root, c); print(len(d))"
)


class Rows(list):  # type: ignore[type-arg]
    """Table rows that are also printed as they come: a long run shows progress."""

    def append(self, row: list[object]) -> None:
        print(" | ".join(str(c) for c in row), file=sys.stderr, flush=True)
        super().append(row)


def speed(runs: int, large: int) -> str:
    from curate.dedupe import find_clusters

    rows = Rows()
    for count in (10_000, large):
        items = items_of(generate(count, seed=5))
        wall, cpu = median_time(lambda items=items: find_clusters(items), runs if count <= 10_000 else 1)
        rows.append([f"find_clusters, {count:,} examples (in process, after import)", runs if count <= 10_000 else 1, f"{wall:.2f} s", f"{cpu:.2f} s"])
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        samples = generate(10_000, seed=5)
        write_project(project, samples)
        git(project, "init", "-q")
        git(project, "add", "-A")
        git(project, "commit", "-qm", "corpus")
        cli = [str(Path(PYTHON).with_name("bbj-curate")), "dedupe", "training-data", "--format", "json"]
        wall, cpu = median_time(lambda: subprocess.run(cli, cwd=project, capture_output=True, check=False), runs)
        rows.append(["`bbj-curate dedupe training-data` on 10,000 files (whole process)", runs, f"{wall:.2f} s", f"{cpu:.2f} s"])
        target = project / "training-data" / samples[0].id
        wall, cpu = median_time(lambda: subprocess.run([PYTHON, "-c", HOOK, str(target)], cwd=project, check=True, capture_output=True), 1)
        rows.append(["hook, first use: build the index of 10,000 files", 1, f"{wall:.2f} s", f"{cpu:.2f} s"])
        counter = iter(range(1_000_000))

        def edit_and_check_with(argv: list[str]):  # type: ignore[no-untyped-def]
            def run() -> None:
                with target.open("a") as handle:
                    handle.write(f"\nEdited once more ({next(counter)}).\n")
                subprocess.run(argv, cwd=project, capture_output=True, check=False)

            return run

        wall, cpu = median_time(edit_and_check_with([PYTHON, "-c", HOOK, str(target)]), runs)
        rows.append(["hook: one changed file against the 10,000-file index (`python -c`, whole process)", runs, f"{wall:.3f} s", f"{cpu:.3f} s"])
        wall, cpu = median_time(lambda: subprocess.run([PYTHON, "-c", HOOK, str(target)], cwd=project, check=True, capture_output=True), runs)
        rows.append(["hook: same, nothing changed since the last run", runs, f"{wall:.3f} s", f"{cpu:.3f} s"])
        entry = [str(Path(PYTHON).with_name("bbj-dedupe")), str(target.relative_to(project))]
        wall, cpu = median_time(edit_and_check_with(entry), runs)
        rows.append(["hook: `bbj-dedupe <changed file>`, the pre-commit entry point (whole process)", runs, f"{wall:.3f} s", f"{cpu:.3f} s"])
        size = sum(f.stat().st_size for f in (project / ".bbj-cache" / "dedupe").glob("index.*"))
        rows.append(["index files' size for 10,000 examples", "", f"{size / 1e6:.1f} MB", ""])
    return f"Speed, {machine()} (shared machine: medians).\n\n" + table(["what", "runs", "median wall", "median CPU"], rows)


def write_docs(text: str) -> None:
    from curate.atomic import write_text_atomic

    document = DOC.read_text("utf-8")
    head, _, rest = document.partition(MARK_BEGIN)
    _, _, tail = rest.partition(MARK_END)
    write_text_atomic(DOC, f"{head}{MARK_BEGIN}\n{text}\n{MARK_END}{tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quality", action="store_true")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--count", type=int, default=2000, help="examples for --quality")
    parser.add_argument("--large", type=int, default=100_000, help="the large from-scratch run of --speed")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true", help="put the tables into docs/dedupe.md")
    args = parser.parse_args()
    if not (args.quality or args.speed):
        parser.error("choose --quality and/or --speed")
    parts = [f"Command: `python bench/bench_dedupe.py {' '.join(sys.argv[1:])}`"]
    if args.quality:
        parts.append(quality(args.count))
        parts.append(real_corpus())
    if args.speed:
        parts.append(speed(args.runs, args.large))
    text = "\n\n".join(parts)
    print(text)
    if args.write_docs:
        write_docs(text)


if __name__ == "__main__":
    main()
