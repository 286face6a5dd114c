"""Evidence-graded `about` pages, for conditions (data/conditions/) and treatment
routes (data/routes/), and resolving the names people type to their slugs.

Each file is Markdown with a TOML front-matter block between ``+++`` lines and
a fixed set of ``##`` sections for its kind.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from clinicfinder.bundled import data_path
from clinicfinder.errors import DataError, UnknownTopic, UsageProblem, brief
from clinicfinder.places.names import place_key
from clinicfinder.records.vocab import CONDITIONS, EVIDENCE, EVIDENCE_LABELS, ROUTES

# Section headings in the files → field names, in the order pages show them.
SECTIONS: dict[str, dict[str, str]] = {
    "condition": {
        "Summary": "summary",
        "How it is used": "how_used",
        "Risks": "risks",
        "Careful with": "careful_with",
    },
    "route": {
        "Summary": "summary",
        "Setting": "setting",
        "Typical schedule": "schedule",
        "Cost": "cost",
        "Insurance": "insurance",
        "Regulation": "regulation",
        "Risks": "risks",
    },
    "overview": {
        "Summary": "summary",
        "Forms and settings": "forms",
        "What is FDA-approved": "approved",
        "Evidence by condition": "evidence_by_condition",
        "Cost and insurance": "cost",
        "Choosing a clinic": "choosing",
        "Red flags": "red_flags",
    },
    "safety": {
        "Summary": "summary",
        "Who should not take it": "not_for",
        "Common side effects": "side_effects",
        "Tell your prescriber": "tell_prescriber",
        "What monitoring to expect": "monitoring",
        "Bladder and urinary symptoms": "bladder",
        "Misuse and dependence": "misuse",
        "Interactions": "interactions",
        "Pregnancy and breastfeeding": "pregnancy",
        "Driving": "driving",
    },
    "cost": {
        "Summary": "summary",
        "Cost by route": "cost",
        "What insurance and Medicare cover": "insurance",
        "How to ask your insurer": "ask_insurer",
        "Savings programs": "savings",
        "Red flags in pricing": "price_flags",
    },
}
# Where each kind of page lives; the overview comes first in every listing, then the
# single-file pages people ask for first (safety, cost), then conditions and routes.
FOLDERS = {"overview": "overview", "condition": "conditions", "route": "routes"}
SAFETY_FILE = "safety.md"
SINGLE_PAGES = {"safety": SAFETY_FILE, "cost": "cost.md"}  # slug (= kind) → file


class Grade(NamedTuple):
    """One evidence level and the part of the page it grades ("Spravato", "IV ketamine")."""

    level: str
    scope: str  # "" for a page with one grade


class Source(NamedTuple):
    cite: str
    title: str
    ref: str  # "PMID n", "DOI …" or "URL"
    url: str


class Cost(NamedTuple):
    """A price range as one source gave it, and when."""

    range: str
    source: str
    year: str
    year_basis: str  # published | updated | seen
    url: str


class Topic(NamedTuple):
    """One `about` page: what the evidence says, in plain words, with its sources."""

    slug: str
    kind: str  # condition | route
    name: str
    aliases: tuple[str, ...]
    evidence: str  # the headline level; `grades` has every level with its scope
    tagline: str
    regulatory: str
    crisis: bool
    reviewed: str
    review_by: str  # after this date the page says it is due for re-checking
    sources: tuple[Source, ...]
    costs: tuple[Cost, ...]
    sections: tuple[tuple[str, str], ...]  # (field, text) in page order; "summary" first
    grades: tuple[Grade, ...] = ()  # one per sub-claim graded apart; () if ungraded
    keywords: tuple[str, ...] = ()  # question words that find this page ("side effects")

    @property
    def summary(self) -> str:
        return self.sections[0][1]

    @property
    def graded(self) -> str:
        """Every grade in words, as the results panel and the list show it:
        "established for Spravato; moderate for IV ketamine" (or just "moderate")."""
        return "; ".join(f"{g.level} for {g.scope}" if g.scope else g.level for g in self.grades)


def _record(cls: type, entries: Any, name: str, what: str) -> tuple[Any, ...]:
    try:
        return tuple(cls(**{k: str(v) for k, v in e.items()}) for e in entries)
    except (TypeError, AttributeError) as exc:
        raise DataError(name, None, f"malformed {what} entry ({exc})") from None


def parse_topic(path: Path, kind: str = "condition") -> Topic:
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
    if meta.get("kind", "condition") != kind:
        raise DataError(name, None, f"expected kind {kind!r}, found {meta.get('kind')!r}")
    body_start = parts[1].count("\n") + 3
    try:
        topic = Topic(
            slug=meta["slug"],
            kind=kind,
            name=meta["name"],
            aliases=tuple(meta.get("aliases", ())),
            evidence=meta.get("evidence", ""),
            tagline=meta.get("tagline", ""),
            regulatory=meta.get("regulatory", ""),
            crisis=bool(meta.get("crisis", False)),
            reviewed=str(meta["reviewed"]),
            review_by=str(meta["review_by"]),
            sources=_record(Source, meta["sources"], name, "source"),
            costs=_record(Cost, meta.get("costs", ()), name, "cost"),
            sections=_sections(parts[2], SECTIONS[kind], name, body_start),
            grades=_grades(meta, name),
            keywords=tuple(meta.get("keywords", ())),
        )
    except KeyError as exc:
        raise DataError(name, 1, f"missing field {exc.args[0]!r}") from None
    if topic.slug != path.stem:
        raise DataError(name, 2, f"slug {topic.slug!r} does not match the file name")
    if topic.evidence not in {**EVIDENCE, **EVIDENCE_LABELS}:
        raise DataError(name, None, f"unknown evidence level {topic.evidence!r}")
    if topic.grades and topic.evidence not in {g.level for g in topic.grades}:
        raise DataError(name, None, f"evidence {topic.evidence!r} is none of the page's grades")
    if not topic.crisis:  # review 2: the crisis panel belongs on every page
        raise DataError(name, None, "crisis = false: every page shows the crisis panel")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", topic.review_by):
        raise DataError(name, None, "review_by must be a date, YYYY-MM-DD")
    if len(topic.sources) < 2:
        raise DataError(name, None, "every topic needs at least two sources")
    return topic


def _grades(meta: dict[str, Any], name: str) -> tuple[Grade, ...]:
    """[[grades]] when the page grades sub-claims apart; else its one `evidence` level."""
    grades = _record(Grade, meta.get("grades", ()), name, "grade")
    for g in grades:
        if g.level not in EVIDENCE or not g.scope:
            raise DataError(name, None, f"a grade needs a level of the scale and a scope ({g})")
    if len(grades) == 1:
        raise DataError(name, None, "one grade needs no [[grades]]: use `evidence` alone")
    level = meta.get("evidence", "")
    return grades or ((Grade(level, ""),) if level in EVIDENCE else ())


def _sections(
    body: str, headings: dict[str, str], name: str, first_line: int
) -> tuple[tuple[str, str], ...]:
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for offset, line in enumerate(body.splitlines()):
        if line.startswith("## "):
            heading = line[3:].strip()
            if heading not in headings:
                raise DataError(name, first_line + offset, f"unknown section {heading!r}")
            current = found.setdefault(headings[heading], [])
        elif current is not None:
            current.append(line)
    missing = [h for h, key in headings.items() if key not in found]
    if missing:
        raise DataError(name, None, "missing section(s): " + ", ".join(missing))
    return tuple((key, "\n".join(found[key]).strip()) for key in headings.values())


@cache
def safety() -> Topic:
    """The one safety section every condition and route page shows."""
    return parse_topic(data_path(SAFETY_FILE), "safety")


def topic_slugs() -> list[str]:
    """Every page's slug and alias, for shell completion (no page is parsed for slugs)."""
    slugs = sorted(
        [p.stem for d in FOLDERS.values() for p in data_path(d).glob("*.md")] + [*SINGLE_PAGES]
    )
    return slugs + sorted({a.replace(" ", "-") for t in topics() for a in t.aliases} - set(slugs))


@cache
def topics() -> tuple[Topic, ...]:
    """Every bundled page: the overview, safety and cost, then conditions, then treatment
    routes, by slug."""
    folders = [(kind, sorted(data_path(folder).glob("*.md"))) for kind, folder in FOLDERS.items()]
    singles = [(kind, [data_path(file)]) for kind, file in SINGLE_PAGES.items()]
    return tuple(
        parse_topic(p, kind) for kind, paths in folders[:1] + singles + folders[1:] for p in paths
    )


@cache
def topic_for(slug: str) -> Topic | None:
    """The page for a condition or route slug, if one has been written.

    Reads just that one file: the common case (`about depression`) needn't parse
    every page to build the alias index.
    """
    if not re.fullmatch(r"[a-z0-9-]{1,60}", slug):  # slugs only: no paths, no 10 kB names
        return None
    if slug in SINGLE_PAGES:
        return safety() if slug == "safety" else parse_topic(data_path(SINGLE_PAGES[slug]), slug)
    for kind, folder in FOLDERS.items():
        path = data_path(folder) / f"{slug}.md"
        if path.is_file():
            return parse_topic(path, kind)
    return None


@cache
def _index() -> dict[str, Topic]:
    index: dict[str, Topic] = {}
    for t in topics():
        for key in (t.slug, t.name, *t.aliases):
            index.setdefault(place_key(key), t)
    return index


def _suggest(text: str, choices: list[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(place_key(text), choices, n=1, cutoff=0.75)
    return close[0] if close else None


def find_topic(text: str) -> Topic:
    """A page by slug, name or alias ('PTSD', 'k-hole', 'spravato'…), or by the words of
    a question ('is ketamine safe', 'how much does spravato cost'); else UnknownTopic."""
    direct = topic_for(place_key(text).replace(" ", "-"))
    if direct:
        return direct
    index = _index()
    topic = index.get(place_key(text))
    if topic:
        return topic
    from clinicfinder.topics.questions import answer

    topic = answer(text, topics())
    if topic:
        return topic
    guess = _suggest(text, list(index))
    hint = (
        f"did you mean {index[guess].slug!r}?"
        if guess
        else "start with 'about ketamine', 'about safety' or 'about cost'; topics: "
        + ", ".join(t.slug for t in topics())
    )
    raise UnknownTopic(f"no topic called {brief(text)}", hint=hint)


def _resolve(text: str, vocabulary: dict[str, str], what: str) -> str:
    key = place_key(text)
    by_key = {place_key(s): s for s in vocabulary} | {
        place_key(n): s for s, n in vocabulary.items()
    }
    if key in by_key:
        return by_key[key]
    topic = _index().get(key)
    if topic and topic.slug in vocabulary:
        return topic.slug
    choices = list(by_key) + [k for k, t in _index().items() if t.slug in vocabulary]
    guess = _suggest(text, choices)
    if guess:
        slug = by_key.get(guess) or _index()[guess].slug
        hint = f"did you mean {slug!r}?"
    else:
        hint = "choose from: " + ", ".join(vocabulary)
    raise UsageProblem(f"unknown {what} {brief(text)}", hint=hint)


def resolve_condition(text: str) -> str:
    """A --condition value → the clinic data's condition slug; aliases accepted."""
    return _resolve(text, CONDITIONS, "condition")


def resolve_route(text: str) -> str:
    """A --route value → the clinic data's route slug ('spravato' → 'esketamine')."""
    return _resolve(text, ROUTES, "route")
