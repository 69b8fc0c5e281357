"""Run the built-in checker over a held-out sample of public BBj files and list the files with findings.

Why: the conformance measurement (docs/syntax-conformance.md, "Held-out check") runs the checker
on public BBj source that is kept OUTSIDE the repository (its licences do not allow copying it
in). What the repository keeps of a sample is its manifest, bench/heldout-samples/<name>.tsv:
one row per file with the local path, the public repository, the path there, the commit and the
sha256 of the local copy, never any content. With a manifest, exactly the files it lists are
checked, and a file that is missing or differs from its sha256 is reported, so a later run
(or a re-fetch into a new folder) is known to check the same sample.

    .venv/bin/python bench/heldout_check.py /work/heldout2 --manifest bench/heldout-samples/sample6.tsv
    .venv/bin/python bench/heldout_check.py /work/heldout --warnings   # every file of the folder
    .venv/bin/python bench/heldout_check.py /work/heldout2 --make-manifest sources.tsv \\
        --manifest bench/heldout-samples/sample6.tsv   # local_path, repo, path, commit -> manifest

It prints the files with error findings (each finding with line, code and message), then totals.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from curate.atomic import write_text_atomic
from curate.bbjsyntax import CHECKER_NAME, CHECKER_VERSION, check_source
from curate.source_text import decode_source

SUFFIXES = frozenset([".bbj", ".aon", ".src", ".bbx", ".bbjt", ".txt", ".bbl", ""])
COLUMNS = ("local_path", "repo", "path", "commit", "sha256")


@dataclass(frozen=True)
class Entry:
    """One manifest row: where the local copy is and where it came from."""

    local_path: str
    repo: str
    path: str
    commit: str
    sha256: str


def sample_files(folder: Path) -> list[Path]:
    """Every regular file under `folder` that may hold BBj source, in a stable order."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def _rows(path: Path, width: int) -> list[list[str]]:
    """Tab-separated rows of `path` with `width` columns; '#' lines and the header are skipped."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith(COLUMNS[0] + "\t"):
            continue
        cells = line.split("\t")
        if len(cells) != width:
            raise SystemExit(f"{path}:{number}: expected {width} tab-separated columns, found {len(cells)}")
        rows.append(cells)
    return rows


def read_manifest(path: Path) -> list[Entry]:
    """The entries of a manifest (columns: COLUMNS)."""
    return [Entry(*cells) for cells in _rows(path, len(COLUMNS))]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_manifest(folder: Path, sources: Path, out: Path) -> int:
    """Write the manifest `out` from `sources` (local_path, repo, path, commit per row) and the
    sha256 of each local copy under `folder`; every local file must exist."""
    entries = []
    for local, repo, remote, commit in _rows(sources, 4):
        file = folder / local
        if not file.is_file():
            raise SystemExit(f"{sources}: {local}: no such file under {folder}")
        entries.append(Entry(local, repo, remote, commit, sha256_of(file)))
    lines = [f"# held-out sample: {len(entries)} files kept outside the repository (see docs/syntax-conformance.md)", "\t".join(COLUMNS)]
    lines += ["\t".join((e.local_path, e.repo, e.path, e.commit, e.sha256)) for e in sorted(entries, key=lambda e: e.local_path)]
    write_text_atomic(out, "\n".join(lines) + "\n")
    print(f"wrote {out}: {len(entries)} files")
    return 0


def check_files(folder: Path, entries: list[Entry] | None, warnings: bool) -> int:
    """Check the sample; print files with error findings and totals. Returns the exit status
    (1 when a manifest file is missing or changed, else 0)."""
    if entries is None:
        files = sample_files(folder)
    else:
        files = []
        for e in entries:
            file = folder / e.local_path
            if not file.is_file():
                print(f"MISSING {e.local_path} ({e.repo} {e.path} @ {e.commit[:12]})")
            elif sha256_of(file) != e.sha256:
                print(f"CHANGED {e.local_path}: sha256 differs from the manifest")
            else:
                files.append(file)
    bad = (len(entries) - len(files)) if entries is not None else 0
    codes: Counter[str] = Counter()
    flagged = warned = lines = 0
    for path in files:
        text, _ = decode_source(path.read_bytes())
        lines += text.count("\n") + 1
        issues = check_source(text)
        errors = [i for i in issues if i.severity == "error"]
        shown = issues if warnings else errors
        codes.update(i.code for i in issues)
        flagged += bool(errors)
        warned += any(i.severity == "warning" for i in issues)
        if shown:
            print(path.relative_to(folder))
            for i in shown:
                print(f"    {i.line}:{i.col} {i.code} [{i.severity}] {i.message}")
    print(f"\n{CHECKER_NAME} {CHECKER_VERSION}: {len(files)} files, {lines:,} lines" + (f"; {bad} manifest files missing or changed" if bad else ""))
    print(f"files with error findings: {flagged}; files with warnings: {warned}")
    print("findings by code: " + (", ".join(f"{c} {n}" for c, n in sorted(codes.items())) or "none"))
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder holding the local copies")
    parser.add_argument("--manifest", type=Path, help="check exactly the files of this manifest (or, with --make-manifest, write it)")
    parser.add_argument("--make-manifest", type=Path, metavar="SOURCES", help="write --manifest from SOURCES (local_path, repo, path, commit)")
    parser.add_argument("--warnings", action="store_true", help="list warning findings as well")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"not a folder: {args.folder}")
    if args.make_manifest:
        if not args.manifest:
            parser.error("--make-manifest needs --manifest (the file to write)")
        return make_manifest(args.folder, args.make_manifest, args.manifest)
    entries = read_manifest(args.manifest) if args.manifest else None
    return check_files(args.folder, entries, args.warnings)


if __name__ == "__main__":
    sys.exit(main())
