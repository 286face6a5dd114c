"""Laying text out in lines: the one width model every command uses, in a pipe or not.

Words — and URLs, and phone numbers (joined by no-break spaces) — are never cut:
a line breaks only at a space. A table shrinks by wrapping its cells at spaces,
never below its longest word; when even that doesn't fit, the caller chooses
another layout (a second line, then one block per record). A word longer than
the whole width (a long URL) gets a line of its own, starting at the left edge,
so it can still be clicked or copied in one piece. Lines never end in padding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Text:
    """A string in styled spans ("bold", "dim yellow", "link" …): what renderers build."""

    __slots__ = ("spans",)

    def __init__(self, text: str = "", style: str | None = None) -> None:
        self.spans: list[tuple[str, str | None]] = [(text, style)] if text else []

    @classmethod
    def assemble(cls, *parts: str | tuple[str, str | None]) -> Text:
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
            self.spans.extend(text.spans)
        elif text:
            self.spans.append((text, style))
        return self

    def __len__(self) -> int:
        return sum(len(t) for t, _ in self.spans)

    def __str__(self) -> str:
        return self.plain


Piece = tuple[str, str | None]
Word = list[Piece]


def words(text: Text) -> list[Word]:
    """The words of one line of text, each as its styled pieces (spaces dropped)."""
    out: list[Word] = []
    current: Word = []
    for chunk, style in text.spans:
        parts = chunk.split(" ")
        for i, part in enumerate(parts):
            if i:  # a space: the word so far ends
                if current:
                    out.append(current)
                current = []
            if part:
                current.append((part, style))
    if current:
        out.append(current)
    return out


def _size(word: Word) -> int:
    return sum(len(t) for t, _ in word)


def longest_word(text: Text | str) -> int:
    text = Text(text) if isinstance(text, str) else text
    return max((_size(w) for line in split_lines(text) for w in words(line)), default=0)


def split_lines(text: Text) -> list[Text]:
    """Text split at its newlines, styles kept."""
    lines = [Text()]
    for chunk, style in text.spans:
        for i, part in enumerate(chunk.split("\n")):
            if i:
                lines.append(Text())
            lines[-1].append(part, style)
    return lines


def wrap(text: Text | str, width: int, hang: int | None = None) -> list[Text]:
    """Text wrapped at spaces to `width`. A paragraph's leading spaces indent its first
    line; later lines are indented by `hang` (default: the same as the first)."""
    text = Text(text) if isinstance(text, str) else text
    out: list[Text] = []
    for para in split_lines(text):
        plain = para.plain
        indent = len(plain) - len(plain.lstrip(" "))
        rest = indent if hang is None else hang
        out += _fill(words(para), width, indent, rest)
    return out


def _fill(ws: list[Word], width: int, first: int, rest: int) -> list[Text]:
    lines: list[Text] = []
    line, used = Text(" " * first), first
    empty = True
    for word in ws:
        size = _size(word)
        if not empty and used + 1 + size > width:
            lines.append(line)
            line, used, empty = Text(" " * rest), rest, True
        if empty and used + size > width and used:  # too long for any line: the left edge
            line, used = Text(), 0
        if not empty:
            line.append(" ")
            used += 1
        for piece, style in word:
            line.append(piece, style)
        used += size
        empty = False
    lines.append(line)
    return lines


class Column(NamedTuple):
    header: str
    right: bool = False  # right-aligned (numbers, distances)
    wraps: bool = True  # may break at its spaces; else as wide as its widest cell
    style: str | None = None  # for cells given as plain strings
    gives: int = 1  # when narrowing, columns that give more go first (to their longest word)


def table(
    columns: Sequence[Column], rows: Sequence[Sequence[Text | str]], width: int, gap: int = 2
) -> list[Text] | None:
    """Rows under a bold header, each column as narrow as it can be without cutting a
    word; None when even that is wider than `width` (the caller stacks instead)."""
    cells = [[_as_text(c, col.style) for c, col in zip(row, columns, strict=True)] for row in rows]
    natural = [
        max([len(col.header), *(max(map(len, split_lines(r[i]))) for r in cells)])
        for i, col in enumerate(columns)
    ]
    least = [
        max([longest_word(col.header), *(longest_word(r[i]) for r in cells)])
        if col.wraps
        else natural[i]
        for i, col in enumerate(columns)
    ]
    room = width - gap * (len(columns) - 1)
    if sum(least) > room:
        return None
    widths = list(natural)
    while sum(widths) > room:  # narrow the widest of the most giving columns that still can
        i = max(
            (i for i in range(len(widths)) if widths[i] > least[i]),
            key=lambda i: (columns[i].gives, widths[i]),
        )
        widths[i] -= 1
    lines = _row([Text(c.header, "bold") for c in columns], columns, widths, gap)
    for row in cells:
        lines += _row(row, columns, widths, gap)
    return lines


def _as_text(cell: Text | str, style: str | None) -> Text:
    return Text(cell, style) if isinstance(cell, str) else cell


def _row(row: list[Text], columns: Sequence[Column], widths: list[int], gap: int) -> list[Text]:
    wrapped = [wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
    height = max(map(len, wrapped))
    lines = []
    for n in range(height):
        line = Text()
        for i, (parts, col, w) in enumerate(zip(wrapped, columns, widths, strict=True)):
            piece = parts[n] if n < len(parts) else Text()
            pad = " " * max(w - len(piece), 0)
            if i:
                line.append(" " * gap)
            if col.right:
                line.append(pad).append(piece)
            else:
                line.append(piece).append(pad)
        lines.append(_rstrip(line))
    return lines


def _rstrip(line: Text) -> Text:
    spans = list(line.spans)
    while spans and not spans[-1][0].rstrip(" "):
        spans.pop()
    if spans:
        spans[-1] = (spans[-1][0].rstrip(" "), spans[-1][1])
    out = Text()
    out.spans = spans
    return out


def box(
    title: str, body: Text | str, width: int, *, ascii: bool, style: str | None = None
) -> list[Text]:
    """Text in a box no wider than `width` (or than it needs), its title in the top edge."""
    tl, tr, bl, br, h, v = "++++-|" if ascii else "╭╮╰╯─│"
    inner = wrap(body, max(width - 4, longest_word(body)))
    size = max(max(map(len, inner)), len(title) + 2) + 4
    label = f" {title} " if title else ""
    left = (size - 2 - len(label)) // 2
    top = tl + h * left + label + h * (size - 2 - left - len(label)) + tr
    lines = [Text(top, style)]
    for line in inner:
        row = Text(v + " ", style).append(line).append(" " * (size - 4 - len(line)) + " ")
        lines.append(row.append(v, style))
    lines.append(Text(bl + h * (size - 2) + br, style))
    return lines


def side_by_side(blocks: Sequence[list[Text]], width: int, gap: int = 4) -> list[Text]:
    """Small blocks in rows, as many across as fit; one under another when none do."""
    out: list[Text] = []
    row: list[list[Text]] = []
    used = 0
    for block in [*blocks, []]:
        size = max(map(len, block), default=0)
        if block and (not row or used + gap + size <= width):
            row.append(block)
            used += (gap if used else 0) + size
            continue
        widths = [max(map(len, b)) for b in row]
        for n in range(max(map(len, row), default=0)):
            line = Text()
            for i, (b, w) in enumerate(zip(row, widths, strict=True)):
                piece = b[n] if n < len(b) else Text()
                line.append(" " * gap if i else "").append(piece).append(" " * (w - len(piece)))
            out.append(_rstrip(line))
        if row and block:
            out.append(Text())
        row, used = [block], size
    return out
