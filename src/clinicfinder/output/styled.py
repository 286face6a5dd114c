"""Styled text and the one console every command prints to, at a terminal and in a pipe.

One renderer for every command and every stream: `output/layout.py` lays text out
(wrapping at spaces, never inside a word or a URL), and this console writes the
lines — plain in a pipe, with colours (SGR) and terminal hyperlinks (OSC 8) at a
terminal that shows them. Rich is not used to print: its tables and panels would
be a second implementation of the same layouts, and importing it costs ~60 ms,
more than a whole search (numbers in README, "Speed").

At a terminal, output longer than the screen goes through a pager, as git does.
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from clinicfinder.output.layout import Text, wrap
from clinicfinder.safetext import visible

__all__ = ["Console", "Text", "console", "link"]


_SGR = {
    "bold": "1", "dim": "2", "italic": "3", "underline": "4", "red": "31", "green": "32",
    "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36",
}  # fmt: skip


def colour_wanted(stream: TextIO) -> bool:
    """Colours at a terminal (not with NO_COLOR or TERM=dumb); FORCE_COLOR anywhere."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return stream.isatty() and _vt_ready()


def _vt_ready() -> bool:
    """Windows consoles show escape sequences only once asked to; elsewhere always."""
    if sys.platform != "win32":
        return True
    try:  # pragma: no cover - Windows only
        import ctypes

        kernel = getattr(ctypes, "windll").kernel32  # noqa: B009 - absent off Windows
        handle = kernel.GetStdHandle(-11)
        mode = ctypes.c_uint32()
        return bool(
            kernel.GetConsoleMode(handle, ctypes.byref(mode))
            and kernel.SetConsoleMode(handle, mode.value | 0x0004)
        )
    except (AttributeError, OSError):  # pragma: no cover
        return False


_LINK_TERMINALS = ("iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "Tabby")


def links_wanted(colour: bool) -> bool:
    """Terminal hyperlinks (OSC 8) only where the terminal is known to show them:
    elsewhere the escape could print as junk. FORCE_HYPERLINK=1/0 decides outright."""
    forced = os.environ.get("FORCE_HYPERLINK")
    if forced is not None:
        return forced not in ("", "0")
    if not colour or os.environ.get("TMUX") or os.environ.get("TERM", "").startswith("screen"):
        return False
    env = os.environ
    vte = env.get("VTE_VERSION", "")
    return (
        env.get("TERM_PROGRAM") in _LINK_TERMINALS
        or "WT_SESSION" in env
        or "KITTY_WINDOW_ID" in env
        or "KONSOLE_VERSION" in env
        or (vte.isdigit() and int(vte) >= 5000)
    )


class Console:
    """Writes laid-out lines: plain, or styled for a terminal; buffered for the pager."""

    def __init__(self, stream: TextIO, width: int, *, colour: bool, links: bool, ascii: bool):
        self.file = stream
        self.width = width
        self.colour = colour
        self.links = links
        self.ascii = ascii  # box edges drawn in ASCII where the stream can't encode others
        self.buffer: list[str] | None = None  # set while output may still go to a pager

    def print(self, obj: str | Text | list[Text] = "", style: str | None = None) -> None:
        """A string or Text is wrapped to the width (words and URLs whole); a list of
        lines (a table, a box) is written as laid out."""
        if isinstance(obj, list):
            lines = obj
        else:
            text = Text(obj, style) if isinstance(obj, str) else obj
            lines = wrap(text, self.width)
        self.write("".join(self.render(line) + "\n" for line in lines))

    def render(self, line: Text) -> str:
        if not (self.colour or self.links):
            return visible(line.plain.rstrip().replace("\u00a0", " "))
        out = []
        for text, style in line.spans:
            text = visible(text.replace("\u00a0", " "))
            words = (style or "").split()
            codes = ";".join(_SGR[w] for w in words if w in _SGR) if self.colour else ""
            target = next((w[5:] for w in words if w.startswith("link=")), None)
            if "link" in words:
                target = text
            if target and self.links and target.isprintable():
                text = f"\x1b]8;;{target}\x1b\\{text}\x1b]8;;\x1b\\"
            out.append(f"\x1b[{codes}m{text}\x1b[0m" if codes else text)
        return "".join(out).rstrip()

    def write(self, text: str) -> None:
        if self.buffer is not None:
            self.buffer.append(text)
        else:
            self.file.write(text)

    def as_rich(self) -> Any:
        """A Rich console on the same stream, for a progress bar (the only thing Rich still
        draws): every piece of text it writes escaped by the one rule (`safetext`)."""
        from rich.console import Console as RichConsole
        from rich.segment import Segment

        class Escaping(RichConsole):
            def _render_buffer(self, buffer: Any) -> str:
                return str(
                    super()._render_buffer(
                        Segment(visible(s.text), s.style, s.control) if not s.control else s
                        for s in buffer
                    )
                )

        return Escaping(file=self.file, highlight=False, emoji=False, width=self.width)


_consoles: dict[bool, Console] = {}


def write_laid_out(text: str) -> None:
    """A run's held-back terminal output, already escaped (`Console.render`), written as
    it is: escaping it again would show our own colour codes as text."""
    sys.stdout.write(text)


def finished() -> str | None:
    """The run's buffered terminal output, taken (None if nothing was held back)."""
    out = _consoles.pop(False, None)
    _consoles.clear()
    if out is None or out.buffer is None:
        return None
    return "".join(out.buffer)


def console(stderr: bool = False) -> Console:
    """The console for stdout (or stderr): one per run, so the pager sees all the output.

    Width: $COLUMNS when set; else the terminal's; in a pipe or file, 80 columns, so a
    line never wraps mid-word in a terminal or `less` later. Never under MIN_WIDTH."""
    stream = sys.stderr if stderr else sys.stdout
    cached = _consoles.get(stderr)
    if cached is not None and cached.file is stream:
        return cached
    given = os.environ.get("COLUMNS", "").strip()
    if given:
        width = max(int(given), MIN_WIDTH) if given.isdigit() else MIN_WIDTH
    elif stream.isatty():
        import shutil

        width = max(shutil.get_terminal_size().columns, MIN_WIDTH)
    else:
        width = PIPED_WIDTH
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower()
    colour = colour_wanted(stream)
    links = links_wanted(colour)
    out = Console(stream, width, colour=colour, links=links, ascii=not encoding.startswith("utf"))
    if not stderr and stream.isatty():
        out.buffer = []  # decided at the end of the run: the screen, or the pager
    _consoles[stderr] = out
    return out


PIPED_WIDTH = 80
MIN_WIDTH = 40  # tiny or zero widths ($COLUMNS=0) fall back to this


def link(url: str, shown: str | None = None) -> Text:
    """A web address, whole, linked where the terminal shows links; `shown` puts other text
    (the host) in its place. Made inert like all data text; with a space it is no link."""
    text = visible(url if shown is None else shown)
    if not url or " " in url:
        return Text(text)
    return Text(text, "link" if shown is None else f"link={visible(url)}")
