"""Evidence-graded topic pages (data/conditions/*.md) and condition-name resolution.

Each file is Markdown with a TOML front-matter block between ``+++`` lines and
four sections: Summary, How it is used, Risks, Careful with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from clinicfinder.bundled import data_path
from clinicfinder.errors import DataError, UnknownTopic, UsageProblem
from clinicfinder.gazetteer import place_key
from clinicfinder.vocab import CONDITIONS, EVIDENCE

SECTIONS = {
    "Summary": "summary",
    "How it is used": "how_used",
    "Risks": "risks",
    "Careful with": "careful_with",
}
CRISIS_LINES = (
    "If you are thinking about suicide or are in crisis: call or text 988 "
    "(988 Suicide & Crisis Lifeline, US, 24/7), text HOME to 741741 (Crisis Text Line), "
    "or call 911 if you are in immediate danger."
)


@dataclass(frozen=True, slots=True)
class Source:
    cite: str
    title: str
    ref: str
    url: str


@dataclass(frozen=True, slots=True)
class Topic:
    """One `about` page: what the evidence says, in plain words, with its sources."""

    slug: str
    name: str
    aliases: tuple[str, ...]
    evidence: str
    tagline: str
    regulatory: str
    crisis: bool
    reviewed: str
    summary: str
    how_used: str
    risks: str
    careful_with: str
    sources: tuple[Source, ...]


def parse_topic(path: Path) -> Topic:
    """Read one topic file; any problem is a DataError naming the file (and line)."""
    import tomllib  # only `about` and `--condition` pay for it

    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(name, None, f"cannot read ({exc})") from None
    parts = text.split("+++\n", 2)
    if len(parts) != 3 or parts[0].strip():
        raise DataError(name, 1, "expected a front-matter block between '+++' lines")
    try:
        meta = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise DataError(name, int(line[1]) + 1 if line else None, str(exc)) from None
    body_start = parts[1].count("\n") + 2
    sections = _sections(parts[2], name, body_start)
    try:
        topic = Topic(
            slug=meta["slug"],
            name=meta["name"],
            aliases=tuple(meta.get("aliases", ())),
            evidence=meta["evidence"],
            tagline=meta["tagline"],
            regulatory=meta["regulatory"],
            crisis=bool(meta["crisis"]),
            reviewed=str(meta["reviewed"]),
            sources=tuple(Source(**s) for s in meta["sources"]),
            **sections,
        )
    except KeyError as exc:
        raise DataError(name, 1, f"missing field {exc.args[0]!r}") from None
    except TypeError as exc:
        raise DataError(name, 1, f"malformed source entry ({exc})") from None
    if topic.slug != path.stem:
        raise DataError(name, 2, f"slug {topic.slug!r} does not match the file name")
    if topic.evidence not in EVIDENCE:
        raise DataError(name, None, f"unknown evidence level {topic.evidence!r}")
    if len(topic.sources) < 2:
        raise DataError(name, None, "every topic needs at least two sources")
    return topic


def _sections(body: str, name: str, first_line: int) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for offset, line in enumerate(body.splitlines()):
        if line.startswith("## "):
            heading = line[3:].strip()
            if heading not in SECTIONS:
                raise DataError(name, first_line + offset, f"unknown section {heading!r}")
            current = found.setdefault(SECTIONS[heading], [])
        elif current is not None:
            current.append(line)
    missing = [h for h, key in SECTIONS.items() if key not in found]
    if missing:
        raise DataError(name, None, "missing section(s): " + ", ".join(missing))
    return {key: "\n".join(lines).strip() for key, lines in found.items()}


@cache
def topics() -> tuple[Topic, ...]:
    """Every bundled topic, in file-name order."""
    folder = data_path("conditions")
    return tuple(parse_topic(p) for p in sorted(folder.glob("*.md")))


def topic_for(slug: str) -> Topic | None:
    """The topic page for a condition slug, if one has been written."""
    return next((t for t in topics() if t.slug == slug), None)


def _index() -> dict[str, Topic]:
    index: dict[str, Topic] = {}
    for t in topics():
        for key in (t.slug, t.name, *t.aliases):
            index.setdefault(place_key(key), t)
    return index


def _suggest(text: str, choices: list[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(place_key(text), choices, n=1, cutoff=0.7)
    return close[0] if close else None


def find_topic(text: str) -> Topic:
    """A topic by slug, name or alias ('PTSD', 'k-hole'…), or UnknownTopic with a hint."""
    index = _index()
    topic = index.get(place_key(text))
    if topic:
        return topic
    slugs = [t.slug for t in topics()]
    guess = _suggest(text, list(index))
    hint = f"did you mean {index[guess].slug!r}?" if guess else "topics: " + ", ".join(slugs)
    raise UnknownTopic(f"no topic called {text!r}", hint=hint)


def resolve_condition(text: str) -> str:
    """A --condition value → the clinic data's condition slug; aliases accepted."""
    key = place_key(text)
    by_key = {place_key(s): s for s in CONDITIONS} | {
        place_key(n): s for s, n in CONDITIONS.items()
    }
    if key in by_key:
        return by_key[key]
    topic = _index().get(key)
    if topic and topic.slug in CONDITIONS:
        return topic.slug
    guess = _suggest(text, list(by_key))
    hint = f"did you mean {by_key[guess]!r}?" if guess else "choose from: " + ", ".join(CONDITIONS)
    raise UsageProblem(f"unknown condition {text!r}", hint=hint)
