"""What the loopback stand-ins share: a quiet threaded HTTP server on 127.0.0.1 that records
each request, and one way to answer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Loopback:
    """A server on 127.0.0.1 calling `answer(handler)` for each GET; start() and stop()."""

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler], Any]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # http.server's naming
                answer(self)

        class Quiet(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False  # a dripping answer must not hold up the test's teardown

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hung up on a hostile answer is the expected case

        self.server = Quiet(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def send(
    handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict | None = None
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
