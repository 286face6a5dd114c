"""A stand-in web site on 127.0.0.1 for `data recheck`: pages by path, robots.txt,
conditional answers, and a record of every request (its path, its headers, and how many
requests were in flight at once). Two sites on two ports are two hosts to recheck.

The pages are synthetic fixtures, plainly named: no real clinic, phone or address.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.loopback import Loopback

Answer = tuple[int, dict[str, str], bytes]


def html(title: str, *paragraphs: str, head: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title>{head}</head><body><h1>{title}</h1>{body}</body></html>"
    ).encode()


class Site:
    """Pages by path: each is an Answer, or a callable(handler) → Answer (or None when it
    answered by itself). Unknown paths are 404; robots.txt is 404 unless given."""

    def __init__(self, pages: dict[str, Any] | None = None) -> None:
        self.pages: dict[str, Any] = dict(pages or {})
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()
        self.release = threading.Event()  # a held page waits for this (set at teardown)
        self.server = Loopback(self._answer)
        self.url = f"http://127.0.0.1:{self.server.port}"

    def __enter__(self) -> Site:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.stop()

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self.requests.append((handler.path, dict(handler.headers.items())))
        try:
            page = self.pages.get(handler.path, (404, {}, html("Not found")))
            answer = page(handler) if callable(page) else page
            if answer is not None:
                send(handler, *answer)
        finally:
            with self.lock:
                self.in_flight -= 1


def send(
    handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes
) -> None:
    handler.send_response(status)
    headers = {"Content-Type": "text/html; charset=utf-8", **headers}
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


def conditional(etag: str, body: bytes) -> Callable[[BaseHTTPRequestHandler], Answer]:
    """A page with an ETag that answers 304 to a matching If-None-Match."""

    def answer(handler: BaseHTTPRequestHandler) -> Answer:
        if handler.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"ETag": etag}, body

    return answer


def held(site: Site) -> Callable[[BaseHTTPRequestHandler], None]:
    """A page that never answers until the test ends (the client's deadline passes)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        site.release.wait(30)

    return answer
