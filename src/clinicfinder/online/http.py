"""What every online client shares: acceptable server URLs, and one careful GET.

Every request clinicfinder makes goes through `get_json`: one deadline for the
whole exchange (connecting, headers and body together — a server that drips
its answer a byte a second is cut off), a cap on the answer's size both as sent
and as decompressed, no redirect to another scheme or host, and failures as one
`ServerProblem` naming the cause. requests is imported only here, only online.
"""

from __future__ import annotations

import email.utils
import json
import math
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from clinicfinder.errors import ClinicFinderError

if TYPE_CHECKING:
    import requests

MAX_REDIRECTS = 3
MAX_RETRY_AFTER_S = 24 * 3600.0  # anything longer is "later", not a number to wait for


class ServerProblem(ClinicFinderError):
    """A server failed us: timeout, refusal, an error status, an unusable answer."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def retry_after_s(value: str | None, now: float | None = None) -> float | None:
    """A Retry-After header in seconds, whatever its form or size; None if unusable."""
    if not value:
        return None
    text = value.strip()[:64]
    if text.isascii() and text.isdigit():
        return min(float(text), MAX_RETRY_AFTER_S) if len(text) < 12 else MAX_RETRY_AFTER_S
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    seconds = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, min(seconds, MAX_RETRY_AFTER_S))


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def get_json(
    url: str,
    params: dict[str, str] | None = None,
    *,
    headers: dict[str, str],
    deadline_s: float,
    max_bytes: int,
    what: str,
) -> Any:
    """GET `url` and parse its JSON, within one deadline and one size cap.

    A redirect is followed only to the same scheme, host and port. `what` names
    the server in messages ("the geocoder at http://…").
    """
    import requests

    deadline = time.monotonic() + deadline_s
    start = _origin(url)
    with requests.Session() as session:
        session.trust_env = False  # no netrc credentials, no proxy the user didn't ask for
        for _hop in range(MAX_REDIRECTS + 1):
            response = _send(session, url, params, headers, deadline, deadline_s, what)
            with response:
                if response.is_redirect or response.status_code in (301, 302, 303, 307, 308):
                    target = urljoin(url, response.headers.get("Location", ""))
                    if _origin(target) != start:
                        raise ServerProblem(f"{what} redirected us to another server; not followed")
                    url, params = target, None
                    continue
                body = _read(response, deadline, deadline_s, max_bytes, what)
                _check_status(response, what)
                try:
                    return json.loads(body)
                except (ValueError, RecursionError):
                    raise ServerProblem(
                        f"{what} answered with something that is not JSON"
                    ) from None
    raise ServerProblem(f"{what} redirected us more than {MAX_REDIRECTS} times")


def _send(
    session: requests.Session,
    url: str,
    params: dict[str, str] | None,
    headers: dict[str, str],
    deadline: float,
    deadline_s: float,
    what: str,
) -> requests.Response:
    import requests

    left = deadline - time.monotonic()
    if left <= 0:
        raise ServerProblem(f"{what} did not answer within {deadline_s:g} s")
    try:
        return session.get(
            url, params=params, headers=headers, timeout=(left, left), stream=True,
            allow_redirects=False,
        )  # fmt: skip
    except requests.Timeout:
        raise ServerProblem(f"{what} did not answer within {deadline_s:g} s") from None
    except requests.ConnectionError:
        raise ServerProblem(f"{what} can't be reached (connection failed)") from None
    except requests.RequestException as exc:
        raise ServerProblem(f"{what} failed ({type(exc).__name__})") from None


def _read(
    response: requests.Response, deadline: float, deadline_s: float, max_bytes: int, what: str
) -> bytes:
    """The body, decompressed, in chunks: over the deadline or the size cap, it stops."""
    import requests
    import urllib3

    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ServerProblem(f"{what} sent an answer larger than {max_bytes // 1024} kB")
    chunks: list[bytes] = []
    size = 0
    # read1 returns what has arrived (urllib3 2): a body dripped a byte at a time comes
    # back a byte at a time, so the deadline is checked between bytes. read(n) would
    # wait for all n.
    read1 = getattr(response.raw, "read1", None)
    try:
        while True:
            if time.monotonic() > deadline:
                raise ServerProblem(f"{what} did not answer within {deadline_s:g} s")
            if read1 is not None:
                chunk = read1(16384, decode_content=True)
            else:  # urllib3 1.x
                chunk = response.raw.read(512, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise ServerProblem(f"{what} sent an answer larger than {max_bytes // 1024} kB")
            chunks.append(chunk)
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError):
        raise ServerProblem(f"{what} broke off its answer (connection failed)") from None
    return b"".join(chunks)


def _check_status(response: requests.Response, what: str) -> None:
    status = int(response.status_code)
    if status < 400:
        return
    if status == 429:
        wait = retry_after_s(response.headers.get("Retry-After"))
        after = f" for {wait:g} s" if wait is not None and math.isfinite(wait) else ""
        raise ServerProblem(
            f"{what} is rate-limiting us (429){after}", status=429, retry_after=wait
        )
    if status == 403:
        raise ServerProblem(f"{what} refused the request (403)", status=403)
    if status >= 500:
        raise ServerProblem(f"{what} is failing (HTTP {status})", status=status)
    raise ServerProblem(f"{what} answered HTTP {status}", status=status)
