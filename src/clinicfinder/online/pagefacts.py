"""What a clinic's page says, read from its HTML with the standard library's parser: its
visible text, and the contact facts it states (schema.org JSON-LD, `tel:` links, a printed
street and ZIP), each with the words it was read from. Pure functions: no network."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from clinicfinder.records.checks import PageFact
from clinicfinder.records.models import phone_digits

MAX_TEXT = 400_000  # characters of visible text kept from one page
QUOTE_WORDS = 15
# schema.org types a clinic's own page describes itself with.
BUSINESS_TYPES = {
    "medicalclinic", "localbusiness", "medicalbusiness", "medicalorganization", "physician",
    "healthandbeautybusiness", "hospital", "psychiatric", "organization",
}  # fmt: skip
_SKIP = {"script", "style", "noscript", "template", "svg"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "section", "article", "header", "footer", "address", "table", "title", "main", "nav",
    "blockquote", "dd", "dt", "figcaption",
}  # fmt: skip


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.size = 0
        self.skipping: list[str] = []
        self.jsonld: list[str] = []
        self.in_jsonld = False
        self.tels: list[tuple[str, str]] = []  # (href, link text)
        self.in_tel: list[str] | None = None
        self.tel_href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: (v or "") for k, v in attrs}
        if tag == "script" and found.get("type", "").strip().lower() == "application/ld+json":
            self.in_jsonld = True
            self.jsonld.append("")
        if tag in _SKIP:
            self.skipping.append(tag)
        if tag in _BLOCK:
            self._add("\n")
        href = found.get("href", "").strip()
        if tag == "a" and href.lower().startswith("tel:"):
            self.in_tel, self.tel_href = [], href

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_jsonld = False
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        if tag in _BLOCK:
            self._add("\n")
        if tag == "a" and self.in_tel is not None:
            self.tels.append((self.tel_href, " ".join("".join(self.in_tel).split())))
            self.in_tel = None

    def handle_data(self, data: str) -> None:
        if self.in_jsonld:
            self.jsonld[-1] += data
            return
        if self.skipping:
            return
        if self.in_tel is not None:
            self.in_tel.append(data)
        self._add(data)

    def _add(self, text: str) -> None:
        if self.size < MAX_TEXT:
            self.parts.append(text)
            self.size += len(text)


class PageText:
    """A page as read: its visible text, its JSON-LD blocks and its `tel:` links."""

    def __init__(self, text: str, jsonld: list[str], tels: list[tuple[str, str]]) -> None:
        self.text = text
        self.jsonld = jsonld
        self.tels = tels

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "jsonld": self.jsonld, "tels": self.tels}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageText:
        return cls(data["text"], list(data["jsonld"]), [(t[0], t[1]) for t in data["tels"]])


def read_html(body: bytes, charset: str | None = None) -> PageText:
    """The page's text and structured bits; a page that isn't HTML reads as its text."""
    raw = body.decode(charset or "utf-8", errors="replace") if body else ""
    reader = _Reader()
    try:
        reader.feed(raw)
        reader.close()
    except (AssertionError, ValueError):  # html.parser on pathological input
        pass
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", "".join(reader.parts))
    text = re.sub(r"\s*\n\s*", "\n", text).strip()
    return PageText(text[:MAX_TEXT], reader.jsonld[:20], reader.tels[:50])


def charset_of(content_type: str) -> str | None:
    found = re.search(r"charset=([\w.-]+)", content_type or "", re.I)
    if not found:
        return None
    import codecs

    try:
        return codecs.lookup(found[1]).name
    except LookupError:
        return None


def sentences(text: str) -> list[str]:
    """The text cut into sentences (and lines: a heading is a sentence of its own)."""
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if s.strip())
    return out


def quote_of(sentence: str, match: re.Match[str] | None = None, words: int = QUOTE_WORDS) -> str:
    """At most `words` words of a sentence, around the match when there is one."""
    parts = sentence.split()
    if len(parts) <= words:
        return " ".join(parts)
    centre = len(sentence[: match.start()].split()) if match else 0
    start = max(0, min(centre - words // 2, len(parts) - words))
    return " ".join(parts[start : start + words])


def format_phone(digits: str) -> str:
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def _walk(node: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Every JSON-LD object of a business type, however nested (@graph, lists)."""
    if depth > 8:
        return []
    if isinstance(node, list):
        return [o for item in node[:50] for o in _walk(item, depth + 1)]
    if not isinstance(node, dict):
        return []
    kinds = node.get("@type", "")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    found = [node] if any(str(k).lower() in BUSINESS_TYPES for k in kinds) else []
    for key in ("@graph", "mainEntity", "location", "department", "subOrganization"):
        if key in node:
            found += _walk(node[key], depth + 1)
    return found


def jsonld_facts(blocks: list[str]) -> list[PageFact]:
    """Phone, street and ZIP of the businesses a page's JSON-LD describes."""
    facts: list[PageFact] = []
    for block in blocks:
        try:
            data = json.loads(block)
        except (ValueError, RecursionError):
            continue
        for thing in _walk(data):
            phone = thing.get("telephone")
            if isinstance(phone, str) and phone_digits(phone):
                quote = f'"telephone": "{phone.strip()}"'
                facts.append(PageFact("phone", phone_digits(phone), "json-ld", quote))
            address = thing.get("address")
            address = address[0] if isinstance(address, list) and address else address
            if not isinstance(address, dict):
                continue
            street = address.get("streetAddress")
            if isinstance(street, str) and street.strip():
                quote = quote_of(f'"streetAddress": "{" ".join(street.split())}"')
                facts.append(PageFact("street", " ".join(street.split()), "json-ld", quote))
            zip_code = str(address.get("postalCode") or "").strip()
            if re.fullmatch(r"\d{5}(-\d{4})?", zip_code):
                quote = f'"postalCode": "{zip_code}"'
                facts.append(PageFact("postal_code", zip_code[:5], "json-ld", quote))
    return facts


def tel_facts(tels: list[tuple[str, str]]) -> list[PageFact]:
    facts = []
    for href, text in tels:
        digits = phone_digits(href[4:])
        if digits:
            quote = quote_of(f'<a href="{href}">{text}</a>' if text else href)
            facts.append(PageFact("phone", digits, "tel-link", quote))
    return facts


_STREET_WORDS = (
    r"St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pkwy|Parkway"
    r"|Pl|Place|Hwy|Highway|Cir|Circle|Ter|Terrace|Trl|Trail|Sq|Square|Pike|Plaza|Loop|Row"
)
_PRINTED = re.compile(
    rf"\b(?P<street>\d{{1,6}}(?:\s+[A-Z0-9][\w.'-]*){{1,5}}?\s+(?:{_STREET_WORDS})\.?"
    r"(?:,?\s+(?:Suite|Ste\.?|Unit|#)\s*[\w-]+)?)"
    r",?\s+(?P<city>[A-Z][A-Za-z.' -]{1,30}?),?\s+(?P<state>[A-Z]{2})\.?\s+"
    r"(?P<zip>\d{5})(?:-\d{4})?\b"
)


def printed_facts(text: str) -> list[PageFact]:
    """A street and ZIP printed on the page (123 Main St, Wichita, KS 67202)."""
    facts = []
    for line in text.split("\n"):
        for found in _PRINTED.finditer(line[:2000]):
            quote = quote_of(" ".join(found[0].split()))
            street = " ".join(found["street"].split())
            facts.append(PageFact("street", street, "printed", quote))
            facts.append(PageFact("postal_code", found["zip"], "printed", quote))
            if len(facts) >= 20:
                return facts
    return facts


def contact_facts(page: PageText) -> list[PageFact]:
    """Every contact fact the page states, the structured ones first, each once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for fact in (*jsonld_facts(page.jsonld), *tel_facts(page.tels), *printed_facts(page.text)):
        if (fact.field, fact.value) not in seen:
            seen.add((fact.field, fact.value))
            out.append(fact)
    return out
