"""Subprocess entry point around llama.cpp's `convert_hf_to_gguf.py`:

    python -m train.release.convert_main --converter DIR [--fallback-pre NAME] -- <converter args>

The converter identifies a BPE pre-tokenizer by hashing how it tokenizes a fixed text and stops
on an unknown hash. `--fallback-pre` names the pre-tokenizer to write ONLY in that case (the
tiny test tokenizer: `qwen2`, which is how transformers' AutoTokenizer splits text for a Qwen2
model); a tokenizer the converter recognises, such as the real base's, keeps its own answer."""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="convert_main")
    parser.add_argument("--converter", type=Path, required=True)
    parser.add_argument("--fallback-pre", default=None)
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
    sys.path.insert(0, str(args.converter))
    spec = importlib.util.spec_from_file_location("convert_hf_to_gguf", args.converter / "convert_hf_to_gguf.py")
    if spec is None or spec.loader is None:
        print(f"no converter in {args.converter}", file=sys.stderr)
        return 2
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # puts the sibling gguf-py first on sys.path, imports conversion/
    if args.fallback_pre:
        _install_fallback(args.fallback_pre)
    sys.argv = ["convert_hf_to_gguf.py", *rest]
    module.main()
    return 0


def _install_fallback(name: str) -> None:
    from conversion.base import TextModel

    recognise = TextModel.get_vocab_base_pre

    def get_vocab_base_pre(self: Any, tokenizer: Any) -> str:
        try:
            return str(recognise(self, tokenizer))
        except NotImplementedError:
            logging.getLogger("convert_main").warning("pre-tokenizer not recognised: writing %r (--fallback-pre)", name)
            return name

    TextModel.get_vocab_base_pre = get_vocab_base_pre


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
