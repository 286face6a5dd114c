"""A loopback stand-in for FindTreatment.gov's locator export, built from its recorded format.

Where each fact of the format comes from (see the issue 16 note for more):
- Parameters `sAddr` (lat,lon — latitude first), `limitType` (0 state, 2 distance),
  `limitValue` (metres for distance; SAMHSA's own state id for state), `sCodes`
  (comma-separated, all must match), `pageSize` (default 30, at most 2000), `page`
  (1-based): SAMHSA, "FindTreatment.gov API Documentation" v1.9 (15 Jan 2025), Tables
  1-3, as stored in hackingco/soberlivings-finder docs/FindTreatment-Developer-Guide.pdf
  @ 85bc6512; lat-first confirmed by SAMHSA's own front-end (CBHSQ/findtreatment
  src/utils/api.test.js) and a live probe (Smagy82/wellcott scripts/probe/samhsa-api-notes.md).
- Response `{page, totalPages, recordCount, rows[]}`; row fields `name1`, `name2`,
  `street1`, `street2` (often null), `city`, `state`, `zip` (string), `phone` (may be the
  placeholder "(999) 999-9999"), `website` (may lack a scheme), `latitude`/`longitude`
  (strings; seen swapped in a live answer), `miles` (number), `services` (list of
  {f1, f2, f3} or null), `type_facility` or `typeFacility`: the same documentation's
  Appendix C sample, and the live answer saved in Smagy82/wellcott scripts/probe/samhsa-raw.json.
- Age groups, language services and other languages as categories `AGE` ("Age Groups
  Accepted": "Adults; Seniors (65 or older); Young adults"), `SL` ("Language Services":
  "Services for the deaf and hard of hearing") and `OL` ("Other Languages": "Spanish"):
  the sample answer in SAMHSA's own front-end, CBHSQ/findtreatment src/utils/_DATA.js.
- KIT = "Ketamine Infusion Therapy" under category TAP "Treatment Approaches": the
  "Service Code Reference" sheet of SAMHSA's 2022 National Directory of Mental Health
  Treatment Facilities; how it appears in an API answer is inferred (f2 "TAP", the name
  in f3), as no stored answer shows it.

The facilities below are stand-ins for tests (555 numbers, "Stand-in" names), not clinics.
"""

from __future__ import annotations

import json
import math
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.loopback import Loopback, send

KIT = {
    "f1": "Treatment Approaches",
    "f2": "TAP",
    "f3": "Cognitive behavioral therapy; Ketamine Infusion Therapy",
}
PAY = {
    "f1": "Payment/Insurance/Funding Accepted",
    "f2": "PAY",
    "f3": "Cash or self-payment; Medicaid; Private health insurance",
}

AGE = {
    "f1": "Age Groups Accepted",
    "f2": "AGE",
    "f3": "Adults; Seniors (65 or older); Young adults",
}
SL = {"f1": "Language Services", "f2": "SL", "f3": "Services for the deaf and hard of hearing"}
OL = {"f1": "Other Languages", "f2": "OL", "f3": "Spanish"}


def _row(name1, street1, city, state, zip_, phone, lat, lon, services, website=None, name2=""):
    return {
        "_irow": 0, "name1": name1, "name2": name2, "street1": street1, "street2": None,
        "city": city, "state": state, "zip": zip_, "phone": phone, "intake1": None,
        "hotline1": None, "website": website, "latitude": str(lat), "longitude": str(lon),
        "miles": 0, "services": services, "type_facility": "MH",
    }  # fmt: skip


FACILITIES = [
    _row("Stand-in Ketamine Facility A", "100 Test Street", "Wichita", "KS", "67202",
         "(316) 555-0101", 37.6880, -97.3340, [KIT, PAY, AGE, SL, OL],
         website="www.example.org"),
    # The same clinic as the bundled Advanced Infusion and Wellness Center (by name and city).
    _row("Advanced Infusion and Wellness Center", "200 Test Avenue", "Wichita", "KS", "67206",
         "(316) 555-0102", 37.6950, -97.2300, [KIT]),
    # Latitude and longitude swapped, as seen in a live answer.
    _row("Stand-in Ketamine Facility C", "300 Test Road", "Derby", "KS", "67037",
         "(999) 999-9999", -97.2689, 37.5450, [KIT]),
    # No ketamine among its services: never listed as a ketamine clinic.
    _row("Stand-in Counseling Center", "400 Test Lane", "Wichita", "KS", "67203",
         "(316) 555-0104", 37.7000, -97.3500, [PAY]),
    _row("Stand-in OTP", "500 Test Way", "Wichita", "KS", "67204", "(316) 555-0105",
         37.7100, -97.3600, None),
    _row("Stand-in Far Facility", "600 Test Street", "Topeka", "KS", "66603", "(785) 555-0106",
         39.0480, -95.6780, [KIT]),
]  # fmt: skip


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    dlat, dlon = (lat2 - lat1) * p / 2, (lon2 - lon1) * p / 2
    h = math.sin(dlat) ** 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin(dlon) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


class Registry:
    """`mode`: "ok", "down" (503), "limited" (429), "garbage" (not JSON), "wrong" (JSON of
    another shape), "huge" (an answer over the size cap), "known" (only facilities that are
    bundled clinics already: the registry adds nothing new). `down_states`: SAMHSA state ids
    whose state-wide query fails (503), to interrupt a many-state fetch part-way."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.mode = "ok"
        self.down_states: set[str] = set()
        stub = self

        def record(handler: BaseHTTPRequestHandler) -> None:
            parts = urlsplit(handler.path)
            params = {k: v[0] for k, v in parse_qs(parts.query).items()}
            ua = handler.headers.get("User-Agent", "")
            stub.requests.append({"path": parts.path, "ua": ua, **params})
            stub.answer(handler, params)

        self.loopback = Loopback(record)
        self.url = f"http://127.0.0.1:{self.loopback.port}/locator/exportsAsJson/v2"

    def answer(self, handler: BaseHTTPRequestHandler, params: dict[str, str]) -> None:
        if self.mode == "down" or (
            params.get("limitType") == "0" and params.get("limitValue") in self.down_states
        ):
            return self._send(handler, 503, b"Service Unavailable")
        if self.mode == "limited":
            return self._send(handler, 429, b"slow down", {"Retry-After": "3600"})
        if self.mode == "garbage":
            return self._send(handler, 200, b"<html>maintenance")
        if self.mode == "wrong":
            return self._send(handler, 200, b'{"rows": "none", "totalPages": "many"}')
        if self.mode == "huge":
            return self._send(handler, 200, b'{"rows": [' + b" " * (17 << 20) + b"]}")
        rows = [r for r in FACILITIES if self._selected(r, params)]
        if self.mode == "known":
            rows = [r for r in rows if r["name1"] == "Advanced Infusion and Wellness Center"]
        size = min(int(params.get("pageSize", "30")), 2000)
        page = int(params.get("page", "1"))
        pages = max(1, math.ceil(len(rows) / size))
        chosen = rows[(page - 1) * size : page * size]
        body = {
            "page": page, "totalPages": pages, "recordCount": len(rows),
            "rows": [{**r, "_irow": (page - 1) * size + i} for i, r in enumerate(chosen, 1)],
        }  # fmt: skip
        return self._send(handler, 200, json.dumps(body).encode())

    @staticmethod
    def _selected(row: dict, params: dict[str, str]) -> bool:
        if params.get("limitType") == "0":
            return params.get("limitValue") == "35" and row["state"] == "KS"  # SAMHSA's id for KS
        lat, lon = (float(v) for v in params["sAddr"].split(","))
        try:
            rlat, rlon = float(row["latitude"]), float(row["longitude"])
        except ValueError:
            return True  # unusable coordinates: listed anyway, for the client to judge
        if abs(rlat) > 90 or rlat < 0:
            rlat, rlon = rlon, rlat
        return _distance_m(lat, lon, rlat, rlon) <= float(params["limitValue"])

    _send = staticmethod(send)

    def start(self) -> Registry:
        self.loopback.start()
        return self

    def stop(self) -> None:
        self.loopback.stop()
