"""Reads distinct news articles (default: polnear train) and prints how analysis time and peak memory
grow with the length of one article, as a Markdown table.

    .venv/bin/python scripts/bench_length.py [--sizes 8,64,256,1024] [--corpus FILE.jsonl] [--timeout 900]
    .venv/bin/python scripts/bench_length.py --sizes 64 --profile   # cProfile's top functions instead

Each size is one article made by joining whole distinct articles (never one text repeated) up to
that many KB, analyzed by ``readouts.analyze_text`` (parse, tagger, rules, speakers, claims) in a
fresh process, after a warm-up article, so model loading is not counted; sizes under 256 KB run
``--repeat`` times and the fastest run counts (which only makes the larger sizes look worse in
comparison); peak memory is the process's maximum resident set.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear.train.jsonl"


def long_article(corpus: Path, kilobytes: int) -> str:
    """Whole articles of ``corpus``, each once, joined by blank lines up to ``kilobytes`` KB."""
    parts, size = [], 0
    for line in corpus.open(encoding="utf-8"):
        text = json.loads(line)["text"].strip()
        if not text:
            continue
        parts.append(text)
        size += len(text.encode("utf-8")) + 2
        if size >= kilobytes * 1024:
            break
    if size < kilobytes * 1024:
        raise SystemExit(f"{corpus} holds only {size // 1024} KB of text")
    return "\n\n".join(parts).encode("utf-8")[: kilobytes * 1024].decode("utf-8", errors="ignore")


def _measure(corpus: str, kilobytes: int, repeat: int, queue) -> None:
    from readouts import analyze_text

    analyze_text(long_article(Path(corpus), 2))  # loads every model first
    text = long_article(Path(corpus), kilobytes)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        ledger = analyze_text(text)
        timings.append(time.perf_counter() - started)
    seconds = min(timings)  # the least disturbed run: the machine's two cores are shared
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"kb": kilobytes, "chars": len(text), "seconds": seconds, "statements": len(ledger.statements),
               "peak_mb": peak_mb})


def run(corpus: str, kilobytes: int, timeout: float, repeat: int) -> dict:
    queue = multiprocessing.get_context("spawn").Queue()
    proc = multiprocessing.get_context("spawn").Process(target=_measure, args=(corpus, kilobytes, repeat, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return {"kb": kilobytes, "seconds": None}
    return queue.get(timeout=5)


def profile(corpus: str, kilobytes: int) -> None:
    import cProfile
    import pstats

    from readouts import analyze_text

    analyze_text(long_article(Path(corpus), 2))
    text = long_article(Path(corpus), kilobytes)
    prof = cProfile.Profile()
    prof.runcall(analyze_text, text)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
    pstats.Stats(prof).sort_stats("tottime").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8,64,256,1024", help="article sizes in KB, comma-separated")
    parser.add_argument("--corpus", default=str(DEFAULT))
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds allowed per size")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions for each size")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each size under 256 KB, the fastest counted (larger sizes run once)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.profile:
        for kb in sizes:
            profile(args.corpus, kb)
        return
    rows = [run(args.corpus, kb, args.timeout, args.repeat if kb < 256 else 1) for kb in sizes]
    base = rows[0]["seconds"] / rows[0]["kb"] if rows[0]["seconds"] else None
    print("| article | characters | seconds | s per KB | vs 8 KB | statements | peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        if row["seconds"] is None:
            print(f"| {row['kb']} KB | | unfinished after {args.timeout:.0f} s | | | | |")
            continue
        per_kb = row["seconds"] / row["kb"]
        print(f"| {row['kb']} KB | {row['chars']:,} | {row['seconds']:.1f} | {per_kb:.3f} | "
              f"{per_kb / base:.2f}x | {row['statements']:,} | {row['peak_mb']:.0f} |")


if __name__ == "__main__":
    main()
