"""Street-level geocoding on request (--online), through geopy's Nominatim client.

Only used when the user asks: nothing here is imported otherwise, so an offline
search opens no socket. Nominatim's usage policy shapes every choice: at most one
request a second (geopy's RateLimiter), a User-Agent naming clinicfinder, a
timeout well above geopy's 1 s default, every answer cached, no bulk jobs against
the public server, and OpenStreetMap credited wherever a result is used.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from clinicfinder import __version__
from clinicfinder.errors import GeocoderUnavailable, UsageProblem, brief
from clinicfinder.online.geocache import GeoCache
from clinicfinder.online.http import check_server_url
from clinicfinder.places.gazetteer import place_key
from clinicfinder.records.models import Place

PUBLIC_SERVER = "https://nominatim.openstreetmap.org"
ATTRIBUTION = "Location data © OpenStreetMap contributors (ODbL), geocoded by Nominatim."
DEFAULT_TIMEOUT_S = 10.0
MIN_DELAY_S = 1.0  # the public server allows one request a second for the whole application
PUBLIC_BULK_LIMIT = 50  # `data geocode` rows the public server may be asked (policy: no bulk)
_SELF_HOST = "self-host Nominatim and set CLINICFINDER_NOMINATIM_URL"

# Nominatim's `addresstype` → how precisely the answer places the text.
_PRECISION = {
    "house": "street", "building": "street", "amenity": "street", "shop": "street",
    "office": "street", "road": "street", "postcode": "zip", "city": "city", "town": "city",
    "village": "city", "hamlet": "city", "suburb": "city", "neighbourhood": "city",
    "county": "state", "state": "state",
}  # fmt: skip


def user_agent() -> str:
    """Names the application, as the policy requires (geopy's default is refused with 403)."""
    contact = os.environ.get("CLINICFINDER_CONTACT", "").strip()
    return f"clinicfinder/{__version__}" + (f" ({contact})" if contact else "")


def server_url(configured: str | None = None) -> str:
    """The Nominatim server: $CLINICFINDER_NOMINATIM_URL, the config key, or the public one."""
    url = (os.environ.get("CLINICFINDER_NOMINATIM_URL") or configured or PUBLIC_SERVER).strip()
    check_server_url(url)
    return url.rstrip("/")


def is_public(url: str) -> bool:
    return urlsplit(url).hostname == urlsplit(PUBLIC_SERVER).hostname


def timeout_s() -> float:
    """10 s by default; $CLINICFINDER_GEOCODER_TIMEOUT for slow links (and tests)."""
    value = os.environ.get("CLINICFINDER_GEOCODER_TIMEOUT")
    try:
        seconds = float(value) if value else DEFAULT_TIMEOUT_S
    except ValueError:
        raise UsageProblem(
            f"CLINICFINDER_GEOCODER_TIMEOUT={brief(value)} is not a number"
        ) from None
    if not seconds > 0:
        raise UsageProblem("CLINICFINDER_GEOCODER_TIMEOUT must be a positive number of seconds")
    return seconds


class OnlineGeocoder:
    """Nominatim behind a cache and a one-request-a-second limit."""

    def __init__(
        self,
        url: str,
        cache: GeoCache | None = None,
        *,
        max_wait_s: float = 5.0,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.url = url
        self.cache = cache if cache is not None else GeoCache()
        self.max_wait_s = max_wait_s  # longest Retry-After we wait out before giving up
        self.notify = notify or (lambda message: None)
        self.requests = 0
        self._geocode: Callable[..., Any] | None = None

    def key(self, text: str) -> str:
        return f"{self.url}|{place_key(text)}"

    def cached(self, text: str) -> bool:
        return self.cache.get(self.key(text))[0]

    def locate(self, text: str) -> Place | None:
        """The server's answer (from the cache when it has one); None for "no match"."""
        key = self.key(text)
        found, answer = self.cache.get(key)
        if not found:
            answer = self._fetch(text)
            self.cache.put(key, answer)
        if answer is None:
            return None
        host = urlsplit(self.url).netloc
        return Place(
            query=text,
            label=answer["label"],
            lat=answer["lat"],
            lon=answer["lon"],
            precision=answer["precision"],
            source=f"Nominatim at {host}" + (" (cached answer)" if found else ""),
            note=None,
            state=answer.get("state"),
        )

    def _client(self) -> Callable[..., Any]:
        if self._geocode is None:
            from geopy.adapters import RequestsAdapter
            from geopy.extra.rate_limiter import RateLimiter
            from geopy.geocoders import Nominatim

            def adapter(proxies: Any, ssl_context: Any) -> Any:
                # No retries below us: urllib3 would otherwise sleep out a 429's
                # Retry-After (however long) and retry timeouts, unseen by the user.
                return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)

            parts = urlsplit(self.url)
            geocoder = Nominatim(
                user_agent=user_agent(),
                timeout=timeout_s(),
                domain=parts.netloc + parts.path,
                scheme=parts.scheme,
                adapter_factory=adapter,
            )
            # max_retries=0 and swallow_exceptions=False: errors reach the user now,
            # not after hidden retries (geopy's defaults retry twice and return None).
            self._geocode = RateLimiter(
                geocoder.geocode,
                min_delay_seconds=MIN_DELAY_S,
                max_retries=0,
                swallow_exceptions=False,
            )
        return self._geocode

    def _fetch(self, text: str) -> dict[str, Any] | None:
        from geopy import exc

        geocode = self._client()
        for attempt in (1, 2):
            try:
                self.requests += 1
                location = geocode(text, exactly_one=True, addressdetails=True, country_codes="us")
                return _answer(location.raw) if location else None
            except exc.GeocoderRateLimited as error:
                wait = error.retry_after
                if attempt == 1 and wait is not None and wait <= self.max_wait_s:
                    self.notify(f"the geocoder asks us to wait {wait:g} s (429); waiting")
                    time.sleep(wait)
                    continue
                after = f" for {wait:g} s" if wait is not None else ""
                raise GeocoderUnavailable(
                    f"the geocoder at {self.url} is rate-limiting us (429){after}",
                    hint=f"retry later, drop --online, or {_SELF_HOST}",
                ) from None
            except exc.GeopyError as error:
                raise _unavailable(self.url, error) from None
        raise AssertionError("unreachable")  # pragma: no cover


def _unavailable(url: str, error: Exception) -> GeocoderUnavailable:
    """geopy's error → one sentence naming the cause, and what to try."""
    from geopy import exc

    status = getattr(error.__cause__, "status_code", None)
    retry = f"retry later, drop --online, or {_SELF_HOST}"
    if isinstance(error, exc.GeocoderInsufficientPrivileges):
        cause = "refused the request (403)"
        retry = "set CLINICFINDER_CONTACT to an email for the User-Agent, drop --online, " + (
            f"or {_SELF_HOST}"
        )
    elif status is not None and status >= 500:
        cause = f"is failing (HTTP {status})"
    elif isinstance(error, exc.GeocoderTimedOut):
        cause = f"did not answer within {timeout_s():g} s"
    elif isinstance(error, exc.GeocoderParseError):
        cause = "answered with something that is not Nominatim JSON"
    elif isinstance(error, exc.GeocoderUnavailable):
        cause = "can't be reached (connection failed)"
    elif status is not None:
        cause = f"answered HTTP {status}"
    else:
        cause = f"failed ({type(error).__name__})"
    return GeocoderUnavailable(f"the geocoder at {url} {cause}", hint=retry)


def _answer(raw: dict[str, Any]) -> dict[str, Any]:
    """What we keep of a Nominatim result (and cache): place, precision, state."""
    kind = raw.get("addresstype") or raw.get("type") or ""
    precision = _PRECISION.get(kind)
    if precision is None:
        rank = int(raw.get("place_rank") or 0)
        precision = (
            "street" if rank >= 26 else "zip" if rank >= 21 else "city" if rank >= 13 else "state"
        )
    region = (raw.get("address") or {}).get("ISO3166-2-lvl4", "")
    return {
        "label": str(raw.get("display_name") or ""),
        "lat": float(raw["lat"]),
        "lon": float(raw["lon"]),
        "precision": precision,
        "state": region[3:] if region.startswith("US-") else None,
    }


def resolve(
    text: str, *, online: bool, url: str | None = None, notify: Callable[[str], None]
) -> Place:
    """Where the user is: offline by default; online on request, falling back to the
    offline gazetteer (with a warning) when the server fails or finds nothing."""
    from clinicfinder.errors import ClinicFinderError
    from clinicfinder.places.geocode import clean_query, is_coordinates, locate

    if not online or is_coordinates(text):  # exact already: no reason to send it anywhere
        return locate(text)
    query = clean_query(text)
    if not query:
        return locate(text)  # the offline parser words the "empty" error
    geocoder = OnlineGeocoder(server_url(url), notify=notify)
    try:
        place = geocoder.locate(query)
    except GeocoderUnavailable as error:
        try:
            offline = locate(text)
        except ClinicFinderError:
            raise error from None
        notify(
            f"{error.message}; using the offline gazetteer instead ({offline.precision} precision)"
        )
        return offline
    finally:
        if geocoder.cache.warning:
            notify(geocoder.cache.warning)
    if place is None:
        offline = locate(text)
        notify(
            f"no online match for {brief(query)}; using the offline gazetteer ({offline.precision})"
        )
        return offline
    notify(ATTRIBUTION)
    return place
