"""What every online client shares: which server URLs are acceptable."""

from __future__ import annotations

from urllib.parse import urlsplit

from clinicfinder.errors import UsageProblem, brief


def check_server_url(url: str) -> None:
    """Only plain http(s) URLs: scheme://host[:port][/path]."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise UsageProblem(
            f"the server URL {brief(url)} is not scheme://host[:port]",
            hint="e.g. http://localhost:8080 or https://nominatim.example.org",
        )
