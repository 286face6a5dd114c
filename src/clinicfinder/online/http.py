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
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit

from clinicfinder.errors import ClinicFinderError, UsageProblem, brief

MAX_REDIRECTS = 3
MAX_RETRY_AFTER_S = 24 * 3600.0  # anything longer is "later", not a number to wait for


class ServerProblem(ClinicFinderError):
    """A server failed us: timeout, refusal, an error status, an unusable answer."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        cause: str = "",
    ):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.cause = cause  # timeout | refused | dns | tls | size | broken | failed | ""


def check_server_url(url: str) -> None:
    """Only plain http(s) URLs: scheme://host[:port][/path]; never one with credentials
    (and the refusal never repeats them)."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        parts = None
    if parts is not None and (parts.username or parts.password or "@" in parts.netloc):
        raise UsageProblem(
            "the server URL carries a user name or password; clinicfinder never sends "
            "credentials (it was not saved or used)",
            hint="give scheme://host[:port] only",
        )
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
    ):
        raise UsageProblem(
            f"the server URL {brief(url)} is not scheme://host[:port]",
            hint="e.g. http://localhost:8080 or https://nominatim.example.org",
        )


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
    session: Any,
    url: str,
    params: dict[str, str] | None,
    headers: dict[str, str],
    deadline: float,
    deadline_s: float,
    what: str,
) -> Any:
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
        raise ServerProblem(
            f"{what} did not answer within {deadline_s:g} s", cause="timeout"
        ) from None
    except requests.exceptions.SSLError:
        raise ServerProblem(f"{what} failed the TLS handshake", cause="tls") from None
    except requests.ConnectionError as exc:
        if _unresolved(exc):
            raise ServerProblem(f"{what}: the domain does not resolve", cause="dns") from None
        raise ServerProblem(
            f"{what} can't be reached (connection failed)", cause="refused"
        ) from None
    except requests.RequestException as exc:
        raise ServerProblem(f"{what} failed ({type(exc).__name__})", cause="failed") from None


def _unresolved(exc: BaseException) -> bool:
    """The host name did not resolve (somewhere in the chain requests wraps it in)."""
    import socket

    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, socket.gaierror) or type(item).__name__ == "NameResolutionError":
            return True
        todo.extend((*item.args, getattr(item, "reason", None), item.__cause__, item.__context__))
    return False


def _read(
    response: Any, deadline: float, deadline_s: float, max_bytes: int, what: str, cut: bool = False
) -> bytes:
    """The body, decompressed, in chunks: over the deadline or the size cap, it stops
    (with `cut`, a body over the cap is cut there rather than refused)."""
    import requests
    import urllib3

    declared = response.headers.get("Content-Length", "")
    if not cut and declared.isdigit() and int(declared) > max_bytes:
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
                raise ServerProblem(
                    f"{what} did not answer within {deadline_s:g} s", cause="timeout"
                )
            if read1 is not None:
                chunk = read1(16384, decode_content=True)
            else:  # urllib3 1.x
                chunk = response.raw.read(512, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes and cut:
                chunks.append(chunk[: max_bytes - size + len(chunk)])
                break
            if size > max_bytes:
                raise ServerProblem(f"{what} sent an answer larger than {max_bytes // 1024} kB")
            chunks.append(chunk)
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError):
        raise ServerProblem(
            f"{what} broke off its answer (connection failed)", cause="broken"
        ) from None
    return b"".join(chunks)


def _check_status(response: Any, what: str) -> None:
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


class Page(NamedTuple):
    """A web page's answer, whatever its status: `recheck` judges it, it does not fail."""

    url: str  # as asked
    final_url: str  # after redirects within the same site
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes  # cut at the size cap
    moved_to: str = ""  # a redirect to another site: where to (not followed)


def site_of(url: str) -> str:
    """The site a URL is on, for politeness and for "moved": host without www., and port.
    http→https on one host is the same site; another host or port is not."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}:{port}" if port else host


def get_page(
    session: Any,
    url: str,
    *,
    headers: dict[str, str],
    deadline_s: float,
    max_bytes: int,
    what: str,
    max_redirects: int = 5,
) -> Page:
    """GET a web page with `session` (one per site: its connection is reused).

    Unlike `get_json`, an error status is an answer, not a failure, and a redirect
    to another site is reported as `moved_to`, not followed; only a failure to get
    any answer raises ServerProblem (its `cause` says which).
    """
    deadline = time.monotonic() + deadline_s
    site = site_of(url)
    asked = url
    for _hop in range(max_redirects + 1):
        response = _send(session, url, None, headers, deadline, deadline_s, what)
        with response:
            status = int(response.status_code)
            found = {k.lower(): v for k, v in response.headers.items()}
            if status in (301, 302, 303, 307, 308) and found.get("location"):
                target = urljoin(url, found["location"])
                parts = urlsplit(target)
                if (
                    site_of(target) != site
                    or parts.scheme not in ("http", "https")
                    or parts.username
                    or parts.password
                ):
                    return Page(asked, url, status, found, b"", moved_to=target)
                url = target
                continue
            body = _read(response, deadline, deadline_s, max_bytes, what, cut=True)
            return Page(asked, url, status, found, body)
    raise ServerProblem(f"{what} redirected us more than {max_redirects} times", cause="failed")
