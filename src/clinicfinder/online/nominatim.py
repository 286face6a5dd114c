"""Street-level geocoding on request (--online), through geopy's Nominatim client.

Only used when the user asks: nothing here is imported otherwise, so an offline
search opens no socket. Nominatim's usage policy shapes every choice: at most one
request a second (geopy's RateLimiter), a User-Agent naming clinicfinder, a
timeout well above geopy's 1 s default, every answer cached, no bulk jobs against
the public server, and OpenStreetMap credited wherever a result is used.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from clinicfinder import __version__
from clinicfinder.errors import GeocoderUnavailable, UsageProblem, brief
from clinicfinder.online.cache import GeoCache
from clinicfinder.online.http import ServerProblem, check_server_url, get_json
from clinicfinder.places.names import place_key
from clinicfinder.places.regions import regions
from clinicfinder.records.models import Place
from clinicfinder.safetext import clean

PUBLIC_SERVER = "https://nominatim.openstreetmap.org"
ATTRIBUTION = "Location data © OpenStreetMap contributors (ODbL), geocoded by Nominatim."
DEFAULT_TIMEOUT_S = 10.0
MIN_DELAY_S = 1.0  # the public server allows one request a second for the whole application
MAX_ANSWER_BYTES = 256 * 1024  # one search's answer is a few kB; more is not Nominatim
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
        return self.cache.lookup(self.key(text))[0]

    def locate(self, text: str) -> Place | None:
        """The server's answer (from the cache when it has one); None for "no match"."""
        key = self.key(text)
        found, answer = self.cache.lookup(key)
        if found and answer is not None and not _usable(answer):
            found = False  # written by an older version, or damaged: ask again
        if not found:
            answer = self._fetch(text)
            self.cache.put(key, answer)
        if answer is None:
            return None
        host = urlsplit(self.url).netloc
        return Place(
            query=text,
            label=clean(answer["label"]),  # a cached answer enters here too
            lat=answer["lat"],
            lon=answer["lon"],
            precision=answer["precision"],
            source=f"Nominatim at {host}" + (" (cached answer)" if found else ""),
            note=None,
            state=answer.get("state"),
        )

    def _client(self) -> Callable[..., Any]:
        if self._geocode is None:
            from geopy.extra.rate_limiter import RateLimiter
            from geopy.geocoders import Nominatim

            parts = urlsplit(self.url)
            what = f"the geocoder at {self.url}"
            geocoder = Nominatim(
                user_agent=user_agent(),
                timeout=timeout_s(),
                domain=parts.netloc + parts.path,
                scheme=parts.scheme,
                adapter_factory=lambda proxies, ssl_context: careful_adapter(what),
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
        geocode = self._client()
        for attempt in (1, 2):
            try:
                self.requests += 1
                with warnings.catch_warnings():  # geopy warns about odd coordinates: we check
                    warnings.simplefilter("ignore")
                    location = geocode(
                        text, exactly_one=True, addressdetails=True, country_codes="us"
                    )
                return _answer(location.raw) if location else None
            except ServerProblem as error:
                wait = error.retry_after
                if (
                    error.status == 429
                    and attempt == 1
                    and wait is not None
                    and (wait <= self.max_wait_s)
                ):
                    self.notify(f"the geocoder asks us to wait {wait:g} s (429); waiting")
                    time.sleep(wait)
                    continue
                raise GeocoderUnavailable(error.message, hint=_hint(error)) from None
            except (TypeError, KeyError, ValueError, AttributeError, IndexError):
                raise GeocoderUnavailable(
                    f"the geocoder at {self.url} answered with something that is not a place",
                    hint=f"retry later, drop --online, or {_SELF_HOST}",
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover


def _usable(answer: Any) -> bool:
    """A cached answer of the shape _answer makes, with sane coordinates."""
    try:
        return (
            isinstance(answer, dict)
            and isinstance(answer["label"], str)
            and answer["precision"] in ("street", "zip", "city", "state")
            and -90 <= float(answer["lat"]) <= 90
            and -180 <= float(answer["lon"]) <= 180
        )
    except (KeyError, TypeError, ValueError):
        return False


def careful_adapter(what: str) -> Any:
    """A geopy adapter whose every request goes through http.get_json's limits."""
    from geopy.adapters import BaseSyncAdapter

    class Careful(BaseSyncAdapter):
        def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
            return get_json(
                url, headers=headers, deadline_s=timeout, max_bytes=MAX_ANSWER_BYTES, what=what
            )

        def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
            raise NotImplementedError("Nominatim answers JSON")

    return Careful(proxies=None, ssl_context=None)


def _hint(error: ServerProblem) -> str:
    if error.status == 403:
        return (
            "set CLINICFINDER_CONTACT to an email for the User-Agent, drop --online, "
            f"or {_SELF_HOST}"
        )
    return f"retry later, drop --online, or {_SELF_HOST}"


def _answer(raw: Any) -> dict[str, Any]:
    """What we keep of a Nominatim result (and cache): place, precision, state.

    Checked before it is used or cached: coordinates that are finite numbers in
    range, text where text belongs. Anything else raises ValueError (handled like a
    failing server: one line, then the offline gazetteer).
    """
    if not isinstance(raw, dict):
        raise ValueError("not an object")
    lat, lon = float(raw["lat"]), float(raw["lon"])
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        raise ValueError("coordinates out of range")
    kind = raw.get("addresstype") or raw.get("type") or ""
    precision = _PRECISION.get(kind) if isinstance(kind, str) else None
    if precision is None and raw.get("place_rank") is not None:
        rank = int(str(raw.get("place_rank"))[:3])
        precision = (
            "street" if rank >= 26 else "zip" if rank >= 21 else "city" if rank >= 13 else "state"
        )
    if precision is None:  # an older Nominatim: no addresstype, no rank; only class and type
        precision = "street" if raw.get("class") not in ("place", "boundary") else "city"
    address = raw.get("address")
    region = address.get("ISO3166-2-lvl4", "") if isinstance(address, dict) else ""
    region = region if isinstance(region, str) else ""
    label = raw.get("display_name")
    return {
        "label": clean(label[:300]) if isinstance(label, str) else f"{lat:.5f}, {lon:.5f}",
        "lat": lat,
        "lon": lon,
        "precision": precision,
        "state": region[3:] if region[3:] in regions() and region.startswith("US-") else None,
    }


def resolve(
    text: str, *, online: bool, url: str | None = None, notify: Callable[[str], None]
) -> Place:
    """Where the user is: offline by default; online on request, falling back to the
    offline gazetteer (with a warning) when the server fails or finds nothing."""
    from clinicfinder.errors import ClinicFinderError
    from clinicfinder.places.geocode import checked_query, is_coordinates, locate

    if not online or is_coordinates(text):  # exact already: no reason to send it anywhere
        return locate(text)
    query = checked_query(text)  # empty or too long: refused here as offline, never sent
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
