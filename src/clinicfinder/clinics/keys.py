"""Join keys: what makes two records candidates for being the same clinic — the same
phone, the same website host, or the same folded name in the same city and state.

The index stores every clinic's keys (clinics/index.py), so a record's candidates in a
file of any size are found by key, not by scanning; overlay.py decides among them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from clinicfinder.places.names import place_key
from clinicfinder.records.models import Clinic, phone_digits

_NOT_DIGIT = re.compile(r"\D")


def join_keys(c: Clinic) -> set[str]:
    keys = set()
    digits = phone_digits(c.phone)
    if digits:
        keys.add("phone:" + digits)
    try:
        host = (urlsplit(c.website).hostname or "").removeprefix("www.")
    except ValueError:  # a malformed URL in a user's file: no key from it
        host = ""
    if host:
        keys.add("web:" + host)
    if c.city:
        keys.add(f"name:{place_key(c.name)}|{place_key(c.city)}|{c.state}")
    return keys
