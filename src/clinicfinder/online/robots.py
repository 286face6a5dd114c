"""robots.txt, read once per site before any of its pages, and honoured (RFC 9309).

A missing robots.txt (404, 410, any 4xx but 401/403/429, or a redirect to another site)
allows everything; 401 or 403 allows nothing; a 429, a server error or no answer means we
can't know yet, so the site's pages are not fetched this round (recheck tries again later
in the run). The standard library's parser reads the rules.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

AGENT = "clinicfinder"
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB must be parsed


class Robots:
    """The rules of one site, or a decision made without them."""

    def __init__(self, url: str, lines: list[str] | None, allow_all: bool = False) -> None:
        self.url = url
        self.parser: RobotFileParser | None = None
        self.allow_all = allow_all
        if lines is not None:
            self.parser = RobotFileParser(url)
            self.parser.parse(lines)

    def allows(self, url: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(AGENT, url)


def robots_url(page_url: str) -> str:
    parts = urlsplit(page_url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def from_answer(url: str, status: int, body: bytes, moved: bool = False) -> Robots | None:
    """The rules from robots.txt's answer; None when the site's state is unknown (5xx)."""
    if status == 429:
        return None
    if moved or (400 <= status < 500 and status not in (401, 403)):
        return Robots(url, None, allow_all=True)
    if status in (401, 403):
        return Robots(url, None, allow_all=False)
    if status >= 500 or status < 200:
        return None
    text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
    return Robots(url, text.splitlines())
