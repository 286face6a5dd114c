"""The one rule for text that could steer a terminal: what counts as unsafe, and how it is
made harmless — cleaned where data enters, escaped where text leaves.

Unsafe: C0 and C1 control characters (ESC, BEL, CSI, NUL…), DEL, and the bidi marks and
overrides that reverse a line. Where data enters (clinic files, the registry, the geocoder,
the config file) `clean` turns line breaks and tabs into spaces, so a newline in a name can
never start a line of output, and shows every other unsafe character as an escape
(``\\x1b``). Where text leaves (the console, machine formats on stdout, files, stderr lines)
`visible` escapes whatever is still unsafe, so nothing reaches a terminal raw even if a
path in between forgot. JSON gets the same characters as JSON's own ``\\u`` escapes, so a
document stays valid and means the same.
"""

from __future__ import annotations

import re

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
# What must never be written raw: \t, \n and a CRLF line end (RFC 4180 CSV) are layout.
UNSAFE = re.compile(f"[{_CONTROL}]|\r(?!\n)")
_UNSAFE_TEXT = re.compile(f"[\t\n\r{_CONTROL}]")  # in a value: a line break is unsafe too
_SPACES = re.compile("[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    return ascii(match[0])[1:-1]


def clean(value: str) -> str:
    """A value from outside (a file, a server, the config) as data: line breaks and tabs
    become spaces, other control and bidi characters visible escapes. Fast when clean."""
    if value.isprintable():  # C-speed; also False for harmless non-ASCII spaces, then we check
        return value
    if not _UNSAFE_TEXT.search(value):
        return value
    return UNSAFE.sub(_escape, _SPACES.sub(" ", value))


def visible(text: str) -> str:
    """Text about to be written: every unsafe character as a visible escape (lines kept)."""
    return UNSAFE.sub(_escape, text) if UNSAFE.search(text) else text


def one_line(text: str) -> str:
    """A message that must stay one line: line breaks shown as escapes too."""
    return _UNSAFE_TEXT.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def json_visible(text: str) -> str:
    """Serialised JSON with every unsafe character as JSON's own escape: the same document.
    (json.dumps already escapes C0; with ensure_ascii=False it leaves C1 and bidi raw.)"""
    return UNSAFE.sub(_json_escape, text) if UNSAFE.search(text) else text
