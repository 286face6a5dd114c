"""A real HTTP server on 127.0.0.1 that answers like Nominatim's /search, for tests.

geopy's own client talks to it over a real socket. What it answers depends on
words in the query, so each test can ask for the behaviour it needs:
"forbidden" → 403, "ratelimited" → 429 (Retry-After: 1) once, then an answer,
"ratelimited-long" → 429 (Retry-After: 120), "broken" → 503, "slow" → answers
after 2 s, "malformed" → not JSON, "nowhere" → no match. Anything else is
found at a fixed point in Wichita, KS (test data, not a real address).

"nostate" answers without the address's state; "hostile" with escapes in its label.

Hostile answers (issue 14): "drip" sends its body a byte at a time for many
seconds; "huge" sends 4 MB; "bomb" sends 16 MB of spaces gzipped to ~16 kB;
"away" redirects to another host, "hop" redirects within this one; "badlat",
"nanlat", "wordlat", "listplace", "objectlist" answer well-formed JSON of the
wrong meaning; "retryhuge" and "retrydate" answer 429 with a 400-digit and an
HTTP-date Retry-After.
"""

from __future__ import annotations

import functools
import json
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.loopback import Loopback, send

WICHITA_POINT = (37.6872, -97.3301)


class Stub:
    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.fail_next_for: set[str] = set()  # queries answered 503 once, then normally
        self._seen_429: set[str] = set()
        stub = self

        def record(handler: BaseHTTPRequestHandler) -> None:
            parts = urlsplit(handler.path)
            query = parse_qs(parts.query).get("q", [""])[0]
            ua = handler.headers.get("User-Agent", "")
            stub.requests.append({"path": parts.path, "q": query, "ua": ua})
            stub.answer(handler, query)

        self.loopback = Loopback(record)
        self.server = self.loopback.server
        self.url = f"http://127.0.0.1:{self.loopback.port}"

    def answer(self, handler: BaseHTTPRequestHandler, query: str) -> None:
        q = query.lower()
        if query in self.fail_next_for:
            self.fail_next_for.discard(query)
            return self._send(handler, 503, b"busy")
        if "forbidden" in q:
            return self._send(handler, 403, b"Access blocked")
        if "ratelimited-long" in q:
            return self._send(handler, 429, b"slow down", {"Retry-After": "120"})
        if "ratelimited" in q and query not in self._seen_429:
            self._seen_429.add(query)
            return self._send(handler, 429, b"slow down", {"Retry-After": "1"})
        if "broken" in q:
            return self._send(handler, 503, b"Service Unavailable")
        if "slow" in q:
            time.sleep(2)  # the stand-in is slow; the client's timeout is what is tested
        hostile = self.hostile(handler, q)
        if hostile is not None:
            return hostile
        if "malformed" in q:
            return self._send(handler, 200, b"<html>not json{", {"Content-Type": "text/html"})
        if "nowhere" in q:
            return self._send(handler, 200, b"[]")
        lat, lon = WICHITA_POINT
        result = [
            {
                "lat": str(lat),
                "lon": str(lon),
                "display_name": f"{query} (test stand-in)",
                "addresstype": "building",
                "place_rank": 30,
                "address": {"state": "Kansas", "ISO3166-2-lvl4": "US-KS", "country_code": "us"},
            }
        ]
        if "nostate" in q:  # an answer that doesn't say its state (seen for some addresses)
            del result[0]["address"]
        if "hostile" in q:  # a label carrying terminal escapes
            result[0]["display_name"] = "Evil\x1b]52;c;ZXZpbA==\x07 Place\x1b[2J\x9b1m"
        return self._send(handler, 200, json.dumps(result).encode())

    def hostile(self, handler: BaseHTTPRequestHandler, q: str) -> bool | None:
        """The misbehaving answers; None when `q` asks for none of them."""
        lat, lon = WICHITA_POINT
        wrong = {
            "badlat": [{"lat": "999", "lon": str(lon), "display_name": "x"}],
            "nanlat": [{"lat": "NaN", "lon": str(lon), "display_name": "x"}],
            "wordlat": [{"lat": "north", "lon": str(lon), "display_name": "x"}],
            "listplace": [[str(lat), str(lon)]],
            "objectlist": [{"lat": [lat], "lon": {"x": lon}, "display_name": ["x"]}],
        }
        for word, body in wrong.items():
            if word in q:
                self._send(handler, 200, json.dumps(body).encode())
                return True
        if "retryhuge" in q:
            self._send(handler, 429, b"no", {"Retry-After": "9" * 400})
            return True
        if "retrydate" in q:
            self._send(handler, 429, b"no", {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})
            return True
        if "away" in q:
            port = self.server.server_address[1]
            self._send(handler, 302, b"", {"Location": f"http://127.0.0.2:{port}/search?q=x"})
            return True
        if "hop" in q and "hopped" not in q:
            self._send(handler, 302, b"", {"Location": "/search?q=hopped&format=json"})
            return True
        if "huge" in q:
            self._send(handler, 200, b"[" + b" " * (4 << 20) + b"]")
            return True
        if "bomb" in q:
            self._send(handler, 200, _bomb(), {"Content-Encoding": "gzip"})
            return True
        if "drip" in q:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.end_headers()
            try:
                for _ in range(120):  # a byte every 0.1 s for 12 s: far past any deadline
                    handler.wfile.write(b" ")
                    handler.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass  # the client gave up, as it should
            return True
        return None

    _send = staticmethod(send)

    def start(self) -> Stub:
        self.loopback.start()
        return self

    def stop(self) -> None:
        self.loopback.stop()


@functools.cache
def _bomb() -> bytes:
    """16 MB of spaces, gzipped once (compressing on every request made the stand-in slow)."""
    import gzip

    return gzip.compress(b" " * (16 << 20), compresslevel=9)
