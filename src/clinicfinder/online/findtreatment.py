"""Live listings on request (--online): SAMHSA's FindTreatment.gov locator, for facilities
offering ketamine infusion therapy (service code KIT).

The request and response format is pinned from public clients and SAMHSA's own
API documentation (tests/findtreatment_stub.py says where each fact came from):
`GET …/locator/exportsAsJson/v2` with `sAddr=lat,lon` (latitude first: the
documentation's parameter table says lon,lat but its own examples, SAMHSA's
front-end and a live probe all send lat,lon), `limitType=2` with `limitValue` in
metres (or `limitType=0` with SAMHSA's own state id), `sCodes=KIT`, `pageSize`,
`page`; the answer is `{page, totalPages, recordCount, rows[]}`. A row is kept
only when its services name ketamine: no stored answer shows how KIT appears,
and whether the endpoint honours `sCodes=KIT` is unverified, so we check.

Only the search's ZIP or city centre is ever sent, never a street-level point.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

from clinicfinder import __version__
from clinicfinder.config import PUBLIC_FINDTREATMENT
from clinicfinder.errors import UsageProblem, brief
from clinicfinder.online.cache import AnswerCache
from clinicfinder.online.http import ServerProblem, get_json
from clinicfinder.records.clock import fresh_until, today_iso
from clinicfinder.records.models import Clinic, phone_digits
from clinicfinder.safetext import clean

DEFAULT_URL = PUBLIC_FINDTREATMENT  # also each row's source (Settings resolves the endpoint)
SERVICE_CODE = "KIT"  # Ketamine Infusion Therapy, in SAMHSA's "Treatment Approaches"
NEAR_PAGE_SIZE, NEAR_MAX_PAGES = 100, 5  # a search asks for at most 500 facilities
STATE_PAGE_SIZE, STATE_MAX_PAGES = 2000, 50  # the documented maximum page size
MIN_DELAY_S = 1.0  # at most one request a second
DEADLINE_S = 20.0
MAX_ANSWER_BYTES = 16 << 20
DAY_S = 24 * 3600.0
PLACEHOLDER_PHONES = {"(999) 999-9999", "999-999-9999"}
# SAMHSA's own state ids (not FIPS), from its API documentation, Table 3.
STATE_IDS = {
    "AL": 19, "AK": 20, "AZ": 21, "AR": 22, "CA": 23, "CO": 24, "CT": 25, "DE": 26, "DC": 27,
    "FL": 28, "GA": 29, "HI": 30, "ID": 31, "IL": 32, "IN": 33, "IA": 34, "KS": 35, "KY": 36,
    "LA": 37, "ME": 1, "MD": 18, "MA": 3, "MI": 2, "MN": 38, "MS": 39, "MO": 40, "MT": 4,
    "NE": 41, "NV": 12, "NH": 42, "NJ": 13, "NM": 43, "NY": 5, "NC": 6, "ND": 44, "OH": 7,
    "OK": 45, "OR": 46, "PA": 8, "RI": 9, "SC": 47, "SD": 48, "TN": 10, "TX": 11, "UT": 14,
    "VT": 49, "VA": 50, "WA": 15, "WV": 51, "WI": 16, "WY": 52,
}  # fmt: skip
PAYMENT = {
    "cash or self-payment": "cash", "medicaid": "medicaid", "medicare": "medicare",
    "private health insurance": "private-insurance", "sliding fee scale": "sliding-fee",
    "payment assistance": "payment-assistance", "federal military insurance": "tricare",
    "military insurance": "tricare", "u.s. department of va funds": "va",
}  # fmt: skip
# Age groups and languages as the locator names them (f2 AGE "Age Groups Accepted": "Adults;
# Seniors (65 or older); Young adults"; SL "Language Services": "Services for the deaf and
# hard of hearing", the directory's AH; OL "Other Languages": "Spanish"), as in SAMHSA's own
# front-end's sample answer (CBHSQ/findtreatment src/utils/_DATA.js). Matched by prefix.
AGE_NAMES = {"children": "child", "young adults": "young-adult", "adults": "adult",
             "seniors": "senior"}  # fmt: skip
DEAF_SERVICES = "services for the deaf and hard of hearing"


def states_wanted(given: list[str] | None, every: bool) -> list[str]:
    """--state ST (repeatable) or --all-states, as state codes the registry knows."""
    if every == bool(given):
        raise UsageProblem("give --state ST (one or more) or --all-states")
    codes = sorted(STATE_IDS) if every else [g.strip().upper() for g in given or []]
    unknown = [c for c in codes if c not in STATE_IDS]
    if unknown:
        raise UsageProblem(
            f"FindTreatment.gov has no state {brief(unknown[0])}",
            hint="a two-letter code: KS, NY, DC…",
        )
    return codes


class Registry:
    """FindTreatment.gov behind a cache (a day by default) and a one-request-a-second pace."""

    def __init__(
        self,
        url: str,
        *,
        refresh: bool = False,
        max_age_s: float = DAY_S,
        today: str | None = None,
    ) -> None:
        self.url = url
        self.refresh = refresh
        self.max_age_s = max_age_s
        self.today = today or today_iso()
        self.cache = AnswerCache("findtreatment.sqlite", what="FindTreatment.gov cache")
        self.requests = 0
        self.left_out: Counter[str] = Counter()  # rows not kept, by why
        self._last = 0.0

    def near(self, lat: float, lon: float, radius_km: float) -> list[Clinic]:
        """Ketamine facilities within the radius of a ZIP or city centre."""
        params = {
            "sAddr": f"{lat:.4f},{lon:.4f}",
            "limitType": "2",
            "limitValue": f"{min(radius_km, 1000.0) * 1000:.0f}",
            "sCodes": SERVICE_CODE,
            "pageSize": str(NEAR_PAGE_SIZE),
        }
        return distinct([c for page in self._pages(params, NEAR_MAX_PAGES) for c in page])

    def state(
        self, code: str, centre: tuple[float, float]
    ) -> Iterator[tuple[int, int, list[Clinic]]]:
        """Every ketamine facility in a state, page by page: (page, pages, clinics)."""
        params = {
            "sAddr": f"{centre[0]:.4f},{centre[1]:.4f}",
            "limitType": "0",
            "limitValue": str(STATE_IDS[code]),
            "sCodes": SERVICE_CODE,
            "pageSize": str(STATE_PAGE_SIZE),
        }
        yield from self._numbered_pages(params, STATE_MAX_PAGES)

    def _pages(self, params: dict[str, str], max_pages: int) -> Iterator[list[Clinic]]:
        for _page, _pages, clinics in self._numbered_pages(params, max_pages):
            yield clinics

    def _numbered_pages(
        self, params: dict[str, str], max_pages: int
    ) -> Iterator[tuple[int, int, list[Clinic]]]:
        page, pages = 1, 1
        while page <= min(pages, max_pages):
            answer = self._page({**params, "page": str(page)})
            pages = answer["totalPages"]
            yield page, min(pages, max_pages), self._clinics(answer["rows"])
            page += 1

    def _page(self, params: dict[str, str]) -> dict[str, Any]:
        key = self.url + "?" + urlencode(sorted(params.items()))
        if not self.refresh:
            cached = self.cache.get(key, max_age_s=self.max_age_s)
            if cached is not None and _page_ok(cached):
                return dict(cached)
        wait = self._last + MIN_DELAY_S - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.requests += 1
        try:
            answer = get_json(
                self.url,
                params,
                headers={"User-Agent": f"clinicfinder/{__version__}", "Accept": "application/json"},
                deadline_s=DEADLINE_S,
                max_bytes=MAX_ANSWER_BYTES,
                what=f"FindTreatment.gov ({self.url})",
            )
        finally:
            self._last = time.monotonic()
        if not _page_ok(answer):
            raise ServerProblem(f"FindTreatment.gov ({self.url}) answered in an unknown format")
        self.cache.put(key, answer)
        return dict(answer)

    def _clinics(self, rows: list[Any]) -> list[Clinic]:
        """The usable rows as clinics; each row left out is counted with its reason. A
        kept row passes the same checks as a clinic file, so a fetched file always loads."""
        from clinicfinder.clinics.validate import check_clinic
        from clinicfinder.places.gazetteer import default_gazetteer

        out = []
        for row in rows:
            judged = judge(row, self.today)
            if isinstance(judged, str):
                self.left_out[judged] += 1
                continue
            errors = check_clinic(judged, default_gazetteer())
            if errors:
                self.left_out[_reason(errors[0])] += 1
            else:
                out.append(judged)
        return out


def _reason(error: str) -> str:
    """A check's message as a reason to count by: the row's own values taken out."""
    return "with " + re.sub(r"'[^']*'|-?\d[\d.]*,-?\d[\d.]*|(?<=ZIP )\d+", "…", error)


def left_out_text(left_out: Counter[str]) -> str:
    """`3 without ketamine, 1 without usable coordinates left out` (each reason its own)."""
    said = ", ".join(f"{n} {why}" for why, n in sorted(left_out.items(), key=lambda i: -i[1]))
    return f"{said} left out" if said else ""


def distinct(clinics: list[Clinic]) -> list[Clinic]:
    """Each facility once, each with its own id. The same facility listed twice (on two
    pages, or near two states) is kept once; facilities that only share a name and city
    (a different street or phone) stay apart, their ids told apart by the street."""
    from clinicfinder.clinics.ids import slug

    unique: dict[tuple[str, ...], Clinic] = {}
    for c in clinics:
        digits = phone_digits(c.phone)
        unique.setdefault((c.name.lower(), c.street.lower(), c.city.lower(), c.state, digits), c)
    by_id: dict[str, list[Clinic]] = {}
    for c in unique.values():
        by_id.setdefault(c.id, []).append(c)
    taken = {i for i, group in by_id.items() if len(group) == 1}
    out = []
    for clinic_id, group in by_id.items():
        if len(group) == 1:
            out.append(group[0])
            continue
        for c in sorted(group, key=lambda c: (c.street, c.postal_code, c.phone)):
            tail = slug(" ".join(c.street.split()[:3])) or c.postal_code or "site"
            candidate = f"{clinic_id}-{tail}"
            new, n = candidate, 2
            while new in taken:
                new, n = f"{candidate}-{n}", n + 1
            taken.add(new)
            out.append(c._replace(id=new))
    return out


def _page_ok(answer: Any) -> bool:
    return (
        isinstance(answer, dict)
        and isinstance(answer.get("rows"), list)
        and isinstance(answer.get("totalPages"), int)
        and not isinstance(answer.get("totalPages"), bool)
    )


def _text(row: dict[str, Any], key: str, limit: int = 200) -> str:
    value = row.get(key)
    return clean(" ".join(value.split()))[:limit] if isinstance(value, str) else ""


def _services(row: dict[str, Any]) -> dict[str, list[str]]:
    """Category code (f2) → the service names (f3, "; "-joined) the registry lists."""
    out: dict[str, list[str]] = {}
    for item in row.get("services") or []:
        if isinstance(item, dict) and isinstance(item.get("f2"), str):
            f3 = item.get("f3")
            names = f3 if isinstance(f3, str) else ""
            out.setdefault(item["f2"], []).extend(n.strip() for n in names.split(";") if n.strip())
    return out


def _point(row: dict[str, Any]) -> tuple[float, float] | None:
    """(lat, lon), swapped back when the registry swapped them; None when unusable."""
    try:
        lat, lon = float(row["latitude"]), float(row["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if abs(lat) > 90 or (lat < 0 < lon):  # seen in a live answer: longitude in latitude
        lat, lon = lon, lat
    if abs(lat) > 90 or abs(lon) > 180:
        return None
    return round(lat, 6), round(lon, 6)


def to_clinic(row: Any, today: str) -> Clinic | None:
    """One registry row as a clinic record; None unless it is a usable ketamine facility."""
    judged = judge(row, today)
    return None if isinstance(judged, str) else judged


def judge(row: Any, today: str) -> Clinic | str:
    """One registry row as a clinic record, or why it can't be one."""
    if not isinstance(row, dict):
        return "that were not records"
    services = _services(row)
    named = [s for names in services.values() for s in names]
    if not any("ketamine" in s.lower() for s in named):
        return "without ketamine"
    name1, city, state = _text(row, "name1"), _text(row, "city", 80), _text(row, "state", 2)
    point = _point(row)
    if not name1:
        return "without a name"
    if point is None:
        return "without usable coordinates"
    if not re.fullmatch(r"[A-Z]{2}", state):
        return "without a US state"
    street = ", ".join(p for p in (_text(row, "street1"), _text(row, "street2")) if p)
    phone = _text(row, "phone", 40)
    website = _text(row, "website", 200)
    if website and not website.startswith(("http://", "https://")):
        website = "https://" + website
    payment = _coded((*services.get("PAY", []), *services.get("PYAS", [])), PAYMENT)
    ages = _coded(services.get("AGE", []), AGE_NAMES)
    lookup = urlencode({"sCodes": SERVICE_CODE, "stateCode": state, "filterFName": name1})
    slug = re.sub(r"[^a-z0-9]+", "-", f"{name1} {city} {state}".lower()).strip("-")
    return Clinic(
        id=f"findtreatment-{slug}"[:120],
        name=name1,
        street=street,
        city=city,
        state=state,
        postal_code=_text(row, "zip", 10)[:5],
        country="US",
        phone="" if phone in PLACEHOLDER_PHONES else phone,
        website=website if re.fullmatch(r"https?://[\w.-]+\.[a-z]{2,}[^\s]*", website) else "",
        routes=("iv",),  # ketamine *infusion* therapy
        conditions=(),
        telehealth_states=(),
        status="active",
        lat=point[0],
        lon=point[1],
        precision="street",
        source_url=f"{DEFAULT_URL}?{lookup}",
        location_evidence=", ".join(p for p in (street, city, state) if p),
        notes="FindTreatment.gov (SAMHSA) lists ketamine infusion therapy (service code KIT)",
        collected=today,
        site=_text(row, "name2"),
        source_date=today,
        evidence="registry",
        source_date_basis="fetched",
        payment=payment,
        ages=ages,
        languages=_languages(services),
        verified_until=fresh_until(today),
    )


def _coded(names: Iterable[str], codes: dict[str, str]) -> tuple[str, ...]:
    """The vocabulary's slugs for the names the registry lists (matched by prefix)."""
    return tuple(
        dict.fromkeys(
            code for name in names for prefix, code in codes.items()
            if name.lower().startswith(prefix)
        )
    )  # fmt: skip


def _languages(services: dict[str, list[str]]) -> tuple[str, ...]:
    """Languages besides English the registry lists: sign language services (SL) and the
    other languages (OL) our vocabulary names."""
    from clinicfinder.records.vocab import LANGUAGES

    by_name = {name.lower(): slug for slug, name in LANGUAGES.items()}
    found = [
        "sign-language"
        for name in services.get("SL", [])
        if DEAF_SERVICES in name.lower() or "sign language" in name.lower()
    ]
    found += [by_name[n.lower()] for n in services.get("OL", []) if n.lower() in by_name]
    return tuple(dict.fromkeys(found))
