"""What a person sees in a real terminal: a pseudo-terminal of 80 and 120 columns."""

from __future__ import annotations

import csv
import fcntl
import os
import pty
import re
import struct
import sys
import termios
from pathlib import Path

import pytest

from clinicfinder.bundled import data_path

SCRIPT = Path(sys.executable).with_name("clinicfinder")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")


def in_terminal(
    argv: list[str],
    columns: int,
    tmp_path: Path,
    *,
    env: dict[str, str | None] | None = None,
    rows: int = 50,
    raw: bool = False,
) -> list[str]:
    """Run the installed command in a pty of `columns` by `rows`; the screen's lines
    (escape sequences removed unless `raw`). `env` adds (or, with None, removes) variables."""
    child = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    child["TERM"] = "xterm-256color"
    for key, value in (env or {}).items():
        if value is None:
            child.pop(key, None)
        else:
            child[key] = value
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of that size, no $COLUMNS to steer it
        os.chdir(tmp_path)
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        os.execve(str(SCRIPT), [str(SCRIPT), *argv], child)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.waitpid(pid, 0)
    text = b"".join(chunks).decode("utf-8", "replace")
    text = text if raw else ANSI.sub("", text)
    return text.replace("\r", "").splitlines()


def is_url(line: str) -> bool:
    """A line that is one URL, whole: the only line allowed past the width (never cut)."""
    return bool(re.fullmatch(r"\s*https?://\S+", line))


def names_in(city: str, state: str) -> list[str]:
    with data_path("clinics.csv").open(encoding="utf-8") as f:
        return [r["name"] for r in csv.DictReader(f) if r["city"] == city and r["state"] == state]


@pytest.mark.skipif(not SCRIPT.exists(), reason=f"no console script at {SCRIPT}")
@pytest.mark.parametrize(
    ("columns", "city", "state"),
    [(80, "Washington", "DC"), (120, "Washington", "DC"), (100, "Denver", "CO"),
     (160, "Denver", "CO"), (230, "Denver", "CO")],
)  # fmt: skip
def test_results_fit_the_terminal_and_no_word_is_cut(tmp_path, columns, city, state):
    lines = in_terminal(["near", f"{city},", state, "--limit", "30"], columns, tmp_path)
    assert lines and max(len(line.rstrip()) for line in lines) <= columns
    assert not any("…" in line for line in lines)  # nothing ellipsised
    words = {w for line in lines for w in re.split(r"[\s│┃·]+", line) if w}
    for name in names_in(city, state):
        for word in name.split():
            assert word in words, (word, name)  # whole, never "Washingto" / "n"


@pytest.mark.skipif(not SCRIPT.exists(), reason=f"no console script at {SCRIPT}")
def test_a_topic_page_wraps_to_the_terminal(tmp_path):
    lines = in_terminal(["about", "eating", "disorders"], 80, tmp_path)
    assert max(len(line.rstrip()) for line in lines if not is_url(line)) <= 80
    box = [line for line in lines if line.startswith(("╭", "│", "╰"))]
    assert box and all(len(line) == len(box[0]) for line in box)  # the crisis box is whole


def test_a_topic_page_in_a_pipe_is_80_columns(cli, monkeypatch):
    monkeypatch.delenv("COLUMNS")
    out = cli("about", "eating", "disorders").stdout
    assert max(len(line) for line in out.splitlines() if not is_url(line)) <= 80
