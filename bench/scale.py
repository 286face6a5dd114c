"""How `near --data FILE` grows with the size of the file: 1k, 10k and 100k rows.

    python bench/scale.py [--runs 9] [--sizes 1000,10000,100000]

Generates synthetic files (bench/synthetic.py) in a temporary folder, builds
each file's index once (timed on its own: it happens on the first search with a
new file), then times whole-process runs of
`clinicfinder near 67202 --json --data FILE`, interleaved, and prints each
median with its ratio to the smallest size's. Goal (issue 7): 100k <= 2x 1k.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from startup import ENV, SCRIPT, once
from synthetic import generate

GOAL = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        ENV["CLINICFINDER_CACHE_DIR"] = str(Path(tmp) / "cache")  # a cold cache of our own
        commands = {}
        for size in sizes:
            path = Path(tmp) / f"synthetic-{size}.csv"
            generate(size, path)
            commands[size] = [SCRIPT, "near", "67202", "--json", "--data", str(path)]
            start = time.perf_counter()
            once(commands[size])  # first run: checks the file and builds its index
            build = time.perf_counter() - start
            print(f"{size:>7} rows: {path.stat().st_size / 1e6:5.1f} MB, first run (index build) "
                  f"{build:.2f} s")  # fmt: skip
        times: dict[int, list[float]] = {size: [] for size in sizes}
        for _ in range(args.runs):
            for size in sizes:
                times[size].append(once(commands[size]))
    base = statistics.median(times[sizes[0]])
    print(f"\n{'rows':>7}  median ms  ratio to {sizes[0]:,}   ({args.runs} runs each)")
    for size in sizes:
        median = statistics.median(times[size])
        print(f"{size:>7}  {median * 1000:9.1f}  {median / base:12.2f}")
    worst = statistics.median(times[sizes[-1]]) / base
    verdict = "within" if worst <= GOAL else "OVER"
    print(f"largest file: {worst:.2f}x the smallest ({verdict} the {GOAL:.1f}x goal)")


if __name__ == "__main__":
    main()
