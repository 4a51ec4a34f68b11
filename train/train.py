"""Reads PolNeAR train/dev JSONL from ../shared/data and produces the shipped attribution tagger.

Usage: python train/train.py [--data DIR] [--out DIR] [--max-steps N]

Steps: convert JSONL to DocBin (train/convert.py), run ``spacy train`` with
train/config.cfg on CPU, then copy the best model (by dev entity F1) into
src/readouts/data/models/attribution without its training-only files.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from spacy.cli.train import train as spacy_train

from readouts.extract.model_files import pack

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHIPPED = ROOT / "src" / "readouts" / "data" / "models" / "attribution"


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--work", type=Path, default=HERE / "output", help="training output folder")
    ap.add_argument("--out", type=Path, default=SHIPPED, help="where the shipped model goes")
    ap.add_argument("--max-steps", type=int, default=None)
    return ap.parse_args()


def main() -> None:
    import sys

    sys.path.insert(0, str(HERE))
    import callbacks  # noqa: F401  (registers readouts.copy_base_lookups.v1)
    from convert import convert

    args = parse_args()
    corpus = HERE / "corpus"
    for split in ("train", "dev"):
        n = convert(args.data / f"polnear.{split}.jsonl", corpus / f"{split}.spacy")
        print(f"{split}: {n} chunks")
    overrides = {"paths.train": str(corpus / "train.spacy"), "paths.dev": str(corpus / "dev.spacy")}
    if args.max_steps:
        overrides["training.max_steps"] = args.max_steps
    spacy_train(HERE / "config.cfg", args.work, use_gpu=-1, overrides=overrides)
    ship(args.work / "model-best", args.out)


def ship(best: Path, out: Path) -> None:
    """Copy the trained pipeline, keeping only what loading needs."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(best, out)
    for name in ("README.md", "LICENSE", "LICENSES_SOURCES"):
        (out / name).unlink(missing_ok=True)
    pack(out)  # the tok2vec weights ship as float16: half the size, same tags
    print(f"shipped {out} ({sum(p.stat().st_size for p in out.rglob('*') if p.is_file()) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
