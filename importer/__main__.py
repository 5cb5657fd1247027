"""Command line: ``python -m importer [--out DIR] [--seeds DIR]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from .generate import generate
from .layout import DEFAULT_OUT, DEFAULT_SEEDS


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m importer",
                                 description="Convert the seed theses into Markdown chapters.")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (content/theses)")
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="directory with the seed texts")
    args = ap.parse_args(argv)
    written = generate(args.out, args.seeds)
    print(f"wrote {len(written)} files under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
