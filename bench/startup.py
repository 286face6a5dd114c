"""Whole-process start-up of clinicfinder commands, against the bare framework's floor.

    python bench/startup.py [--runs 15] [--tty]

Runs every command interleaved (so machine noise hits them alike), after one
warm-up each, and prints each median and its ratio to the floor
`python -c "import typer, rich.console"` measured in the same run and the same
environment. Needs clinicfinder installed in the running interpreter's env.

By default output goes to a pipe (/dev/null). With --tty it goes to a pseudo-terminal
of 80x24, as a person sees it: colours, and long output (`about`, `show`) through a
pager — `cat` here, so the run measures starting one, not reading it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = str(Path(sys.executable).with_name("clinicfinder"))
FLOOR = "python -c 'import typer, rich.console'"
GOAL = 1.15  # issue 13: every command within 1.15x of the bare framework's start-up
COMMANDS: dict[str, list[str]] = {
    FLOOR: [sys.executable, "-c", "import typer, rich.console"],
    "python -c pass": [sys.executable, "-c", "pass"],
    "clinicfinder near 67202 --json": [SCRIPT, "near", "67202", "--json"],
    'clinicfinder near "Wichita, KS"': [SCRIPT, "near", "Wichita, KS"],
    "clinicfinder about depression": [SCRIPT, "about", "depression"],
    "clinicfinder regions": [SCRIPT, "regions"],
    "clinicfinder show … --json": [
        SCRIPT, "show", "advanced-infusion-and-wellness-center-wichita-ks", "--json",
    ],
    "clinicfinder show …": [SCRIPT, "show", "advanced-infusion-and-wellness-center-wichita-ks"],
    'clinicfinder near "New York, NY"': [SCRIPT, "near", "New York, NY"],
    "clinicfinder --help": [SCRIPT, "--help"],
}  # fmt: skip


# Measure what a user's machine does: Python caches compiled bytecode. With
# PYTHONDONTWRITEBYTECODE set (some sandboxes do), an editable install would
# recompile every module of ours on every run and the numbers would mislead.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def once(argv: list[str], tty: bool = False) -> float:
    if tty:
        return _in_terminal(argv)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
    return time.perf_counter() - start


def _in_terminal(argv: list[str]) -> float:
    """One run with stdout on an 80x24 pseudo-terminal, drained as a terminal would."""
    import fcntl
    import struct
    import termios
    import threading

    main_fd, child_fd = os.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

    def drain() -> None:
        try:
            while os.read(main_fd, 65536):
                pass
        except OSError:
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env = {**ENV, "CLINICFINDER_PAGER": "cat", "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    start = time.perf_counter()
    subprocess.run(argv, stdout=child_fd, stderr=subprocess.DEVNULL, check=True, env=env)
    elapsed = time.perf_counter() - start
    os.close(child_fd)
    reader.join(timeout=1)
    os.close(main_fd)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (≥ 9)")
    parser.add_argument("--tty", action="store_true", help="output to a pseudo-terminal")
    args = parser.parse_args()
    for argv in COMMANDS.values():  # warm-up: page cache, .pyc files
        once(argv, args.tty)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, argv in COMMANDS.items():
            times[name].append(once(argv, args.tty))
    floor = statistics.median(times[FLOOR])
    fastest_floor = min(times[FLOOR])
    width = max(map(len, COMMANDS))
    print(
        f"{'command':<{width}}  median ms  ratio   min ms  ratio   ({args.runs} runs each; "
        "the minimum is the least disturbed by other work on the machine)"
    )
    worst = worst_min = 0.0
    for name, samples in times.items():
        median, fastest = statistics.median(samples), min(samples)
        ratio, ratio_min = median / floor, fastest / fastest_floor
        if name.startswith("clinicfinder") and "--help" not in name:
            worst, worst_min = max(worst, ratio), max(worst_min, ratio_min)
        print(
            f"{name:<{width}}  {median * 1000:9.1f}  {ratio:5.2f}  {fastest * 1000:7.1f}"
            f"  {ratio_min:5.2f}"
        )
    for what, value in (("median", worst), ("minimum", worst_min)):
        verdict = "within" if value <= GOAL else "OVER"
        print(f"slowest command by {what}: {value:.2f}x the floor ({verdict} the {GOAL:.2f}x goal)")


if __name__ == "__main__":
    main()
