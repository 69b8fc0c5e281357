"""`bbj-dedupe`: staged examples against the whole corpus through the persisted MinHash index
(built on first use under the cache folder, then updated incrementally)."""

from __future__ import annotations

from collections.abc import Sequence

from hooks._common import example_files, load, parse_args, report


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv, "Reject examples that nearly duplicate one already in the corpus.")
    config = load(args)
    if config is None:
        return 2
    files = example_files(args.filenames, config)
    if not files:
        return 0
    from curate.dedupe import check_against_corpus

    diags = check_against_corpus(files, config.root / config.data_root, config)
    return report(diags, config, "bbj-dedupe")


if __name__ == "__main__":
    raise SystemExit(main())
