"""Styled text without importing Rich, and the console every renderer prints to.

Rich costs ~60 ms to import here, more than the rest of a search. In a pipe or a
file nothing is coloured anyway, so there the console writes plain text itself and
Rich is imported only for what only Rich can draw (a table that must wrap cells, a
panel). At a terminal, or with FORCE_COLOR, every print goes through Rich.
"""

from __future__ import annotations

import os
import sys
import textwrap
from typing import Any, TextIO

from clinicfinder.safetext import visible


class Text:
    """A string in styled spans: what the renderers build, for either console."""

    __slots__ = ("marks", "spans")

    def __init__(self, text: str = "", style: str | None = None) -> None:
        self.spans: list[tuple[str, str | None]] = [(text, style)] if text else []
        self.marks: list[tuple[str, int, int]] = []

    @classmethod
    def assemble(cls, *parts: str | tuple[str, str]) -> Text:
        text = cls()
        for part in parts:
            if isinstance(part, tuple):
                text.append(part[0], style=part[1])
            else:
                text.append(part)
        return text

    @property
    def plain(self) -> str:
        return "".join(t for t, _ in self.spans)

    def append(self, text: str | Text, style: str | None = None) -> Text:
        if isinstance(text, Text):
            return self.append_text(text)
        if text:
            self.spans.append((text, style))
        return self

    def append_text(self, other: Text) -> Text:
        offset = len(self.plain)
        self.spans.extend(other.spans)
        self.marks.extend((s, a + offset, b + offset) for s, a, b in other.marks)
        return self

    def stylize(self, style: str, start: int = 0, end: int | None = None) -> None:
        self.marks.append((style, start, len(self.plain) if end is None else end))

    def rstrip(self) -> None:
        while self.spans and not self.spans[-1][0].rstrip():
            self.spans.pop()
        if self.spans:
            text, style = self.spans[-1]
            self.spans[-1] = (text.rstrip(), style)

    def __len__(self) -> int:
        return len(self.plain)

    def __str__(self) -> str:
        return self.plain


def rich(obj: Any) -> Any:
    """Our Text as Rich's (for a Rich table, panel or console); anything else as it is."""
    if isinstance(obj, Text):
        from rich.text import Text as RichText

        out = RichText()
        for text, style in obj.spans:
            out.append(text, style=style or "")
        for style, start, end in obj.marks:
            out.stylize(style, start, end)
        return out
    if isinstance(obj, str):
        from rich.text import Text as RichText

        return RichText(obj)  # never read as markup
    return obj


def colour_wanted(stream: TextIO) -> bool:
    return bool(
        stream.isatty() or os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE")
    )


class Console:
    """Prints Text, strings and Rich renderables; plain text written directly in a pipe."""

    def __init__(self, stream: TextIO, width: int, *, stderr: bool, safe_box: bool) -> None:
        self.file = stream
        self.width = width
        self.stderr = stderr
        self.safe_box = safe_box
        self.encoding = getattr(stream, "encoding", None) or "utf-8"
        self._rich: Any = None
        if colour_wanted(stream):
            self._rich = self._make_rich()

    def _make_rich(self) -> Any:
        from rich.console import Console as RichConsole

        class ReaderGone(RichConsole):
            """A reader that left (`| head -1`) is not a failure: the error boundary ends
            the run quietly with 0 (Rich's own default exits 1)."""

            def on_broken_pipe(self) -> None:
                self.quiet = True
                raise BrokenPipeError

            def _render_buffer(self, buffer: Any) -> str:
                """Every piece of text Rich writes, escaped by the one rule; Rich's own
                styles and cursor moves (control segments) pass as they are."""
                from rich.segment import Segment

                return str(
                    super()._render_buffer(
                        Segment(visible(s.text), s.style, s.control) if not s.control else s
                        for s in buffer
                    )
                )

        return ReaderGone(
            file=self.file,
            highlight=False,
            emoji=False,
            width=self.width,
            safe_box=self.safe_box,
        )

    def as_rich(self) -> Any:
        """The Rich console behind this one (for a progress bar): the same escaping."""
        if self._rich is None:
            self._rich = self._make_rich()
        return self._rich

    def print(
        self, obj: Any = "", style: str | None = None, soft_wrap: bool = False, **_: Any
    ) -> None:
        if self._rich is None and isinstance(obj, (str, Text)):
            text = obj.plain if isinstance(obj, Text) else obj
            if not soft_wrap:
                text = "\n".join(
                    "\n".join(textwrap.wrap(line, self.width, break_on_hyphens=False)) or ""
                    for line in text.split("\n")
                )
            self.file.write(visible(text) + "\n")
            return
        if self._rich is None:
            self._rich = self._make_rich()
        self._rich.print(rich(obj), style=style, soft_wrap=soft_wrap)


def stream_for(stderr: bool) -> TextIO:
    return sys.stderr if stderr else sys.stdout
