"""`about` output: the list of topics and one topic's page, for people and for JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clinicfinder.output.styled import Text, console, link
from clinicfinder.output.text import CRISIS_LINES, EVIDENCE_STYLE, NOT_ADVICE, plain
from clinicfinder.records.vocab import EVIDENCE, EVIDENCE_LABELS

if TYPE_CHECKING:
    from clinicfinder.output.styled import Console
    from clinicfinder.topics.pages import Cost, Topic


LINE_988 = "In crisis or thinking about suicide? Call or text 988 (US, 24/7)."


def evidence_meaning(level: str) -> str:
    return EVIDENCE.get(level) or EVIDENCE_LABELS[level]


def grade_records(topic: Topic) -> list[dict[str, str]]:
    """Each evidence level of a page with what it grades (scope "" = the whole page)."""
    return [
        {"level": g.level, "scope": g.scope, "meaning": evidence_meaning(g.level)}
        for g in topic.grades
    ]


def route_costs() -> list[dict[str, Any]]:
    """Every route page's dated prices, each with its route: the cost page's table."""
    from clinicfinder.topics.pages import topics

    return [
        {"route": t.slug, "route_name": t.name, **c._asdict()}
        for t in topics()
        if t.kind == "route"
        for c in t.costs
    ]


def overdue(topic: Topic, today: str | None = None) -> bool:
    """Past its review_by date: the page says so at the top."""
    from clinicfinder.records.clock import today_iso

    return (today or today_iso()) > topic.review_by


def topic_record(topic: Topic) -> dict[str, Any]:
    """Every field of a page; its sections appear as top-level keys (summary, risks…).

    Condition and route pages carry the shared safety section under `safety`."""
    from clinicfinder.topics.pages import safety

    record: dict[str, Any] = {
        "slug": topic.slug,
        "kind": topic.kind,
        "name": topic.name,
        "aliases": list(topic.aliases),
        "evidence": topic.evidence or None,
        "evidence_meaning": evidence_meaning(topic.evidence),
        "grades": grade_records(topic),
        "evidence_graded": topic.graded or None,
        "tagline": topic.tagline,
        "regulatory": topic.regulatory,
        **dict(topic.sections),
        "sources": [s._asdict() for s in topic.sources],
        "crisis": topic.crisis,
        "crisis_lines": CRISIS_LINES if topic.crisis else None,
        "crisis_line": LINE_988,
        "reviewed": topic.reviewed,
        "review_by": topic.review_by,
        "overdue": overdue(topic),
    }
    if topic.kind in ("route", "overview", "cost"):
        record["costs"] = [c._asdict() for c in topic.costs]
    if topic.kind == "cost":
        record["route_costs"] = route_costs()
    if topic.kind in ("condition", "route", "overview"):
        shared = safety()
        record["safety"] = {
            **dict(shared.sections),
            "sources": [s._asdict() for s in shared.sources],
        }
    return record


TOPIC_SUMMARY_FIELDS = ["slug", "kind", "name", "evidence", "evidence_graded", "tagline"]


def topic_summary_record(topic: Topic) -> dict[str, Any]:
    """One row of the `about` list."""
    return {
        "slug": topic.slug,
        "kind": topic.kind,
        "name": topic.name,
        "evidence": topic.evidence or None,
        "evidence_graded": topic.graded or None,
        "grades": grade_records(topic),
        "tagline": topic.tagline,
    }


PAGE_HEADINGS = {
    "summary": "In short",
    "how_used": "How it is used in studies",
    "setting": "Setting",
    "schedule": "Typical schedule",
    "cost": "Cost",
    "insurance": "Insurance",
    "regulation": "Regulation",
    "risks": "Risks",
    "careful_with": "Claims to be careful with",
    "forms": "Forms and settings",
    "approved": "What is FDA-approved",
    "evidence_by_condition": "Evidence by condition",
    "choosing": "Choosing a clinic: questions to ask",
    "red_flags": "Red flags",
    "not_for": "Who should not take it",
    "tell_prescriber": "Tell your prescriber",
    "monitoring": "What monitoring to expect",
    "bladder": "Bladder and urinary symptoms",
    "misuse": "Misuse and dependence",
    "interactions": "Interactions",
    "driving": "Driving",
    "side_effects": "Common side effects",
    "pregnancy": "Pregnancy and breastfeeding",
    "ask_insurer": "How to ask your insurer",
    "savings": "Savings programs",
    "price_flags": "Red flags in pricing",
}
# The cost page's sections read as its own file names them, not as a route page's do.
COST_HEADINGS = {"cost": "Cost by route", "insurance": "What insurance and Medicare cover"}
# The `about` list's groups, each with the kinds of page it holds.
KIND_TITLES = {
    "Start here": ("overview", "safety", "cost"),
    "Conditions": ("condition",),
    "Treatment routes": ("route",),
}


def print_topics(topics: tuple[Topic, ...]) -> None:
    from clinicfinder.output.layout import Column, table, wrap

    out = console()
    columns = (Column("Topic", wraps=False), Column("Evidence"), Column("In short"))
    for title, kinds in KIND_TITLES.items():
        chosen = [t for t in topics if t.kind in kinds]
        rows = [
            [Text(t.slug), graded_text(t, "\n", " ({})"), Text(plain(t.tagline))] for t in chosen
        ]
        lines = table(columns, rows, out.width)
        if lines is None:  # too narrow for columns: the topic, then its line below
            lines = []
            for slug, badge, tagline in rows:
                lines += [Text().append(slug).append("  ").append(badge)]
                lines += wrap(Text("  ").append(tagline), out.width)
        out.print(Text(title, "bold"))
        out.print(lines)
        out.print()
    out.print(
        Text(
            "Start with `clinicfinder about ketamine`. "
            "clinicfinder about TOPIC for the evidence, risks and sources; names like PTSD, "
            "TRD or spravato work too. Evidence levels: "
            + "; ".join(f"{k} = {v}" for k, v in EVIDENCE.items())
            + ".",
            style="dim",
        )
    )
    out.print(Text(NOT_ADVICE + " " + LINE_988, style="dim"))


def graded_text(topic: Topic, between: str = "; ", scoped: str = " for {}") -> Text:
    """Every grade of a page, each level in its colour: "established for Spravato; moderate
    for IV ketamine" in prose; the `about` list puts one per line ("\n", " ({})")."""
    if not any(g.scope for g in topic.grades):
        return _badge(topic.evidence)
    text = Text()
    for i, g in enumerate(topic.grades):
        text.append(between if i else "")
        text.append(_badge(g.level))
        text.append(scoped.format(g.scope))
    return text


def _badge(level: str) -> Text:
    if level in EVIDENCE:
        return Text(level, style=EVIDENCE_STYLE[level])
    return Text("harms page" if level == "harms" else "—", style="magenta")


def _prose(out: Console, text: str, hang: int = 0) -> None:
    """Paragraphs, and "- " bullets hanging under their text, wrapped at spaces."""
    from clinicfinder.output.layout import wrap

    lines: list[Text] = []
    for line in plain(text).splitlines():
        lines += wrap(Text(line), out.width, hang=2 if line.startswith("- ") else hang)
    out.print(lines)


def print_topic(topic: Topic) -> None:
    out = console()
    _title(out, topic)
    _sections(out, topic)
    _sources(out, topic)


def _title(out: Console, topic: Topic) -> None:
    from clinicfinder.output.layout import box

    if overdue(topic):
        out.print(
            Text(
                f"This page was due for re-checking on {topic.review_by}: some facts "
                "(rules, prices) may have changed since.",
                style="bold yellow",
            )
        )
    title = Text(plain(topic.name), style="bold")
    if topic.evidence:
        title.append("  evidence: " if topic.evidence in EVIDENCE else "  ")
        title.append(graded_text(topic))
        meanings = dict.fromkeys(g.level for g in topic.grades) or {topic.evidence: None}
        title.append(
            " (" + "; ".join(f"{lvl} = {evidence_meaning(lvl)}" for lvl in meanings) + ")"
            if len(meanings) > 1
            else f" ({evidence_meaning(topic.evidence)})",
            style="dim",
        )
    out.print(title)
    if topic.crisis:
        crisis = box(
            "If you are in crisis", Text(CRISIS_LINES), out.width, ascii=out.ascii, style="red"
        )
        out.print(crisis)


def _sections(out: Console, topic: Topic) -> None:
    sections = dict(topic.sections)
    out.print(Text("\nIn short", style="bold underline"))
    _prose(out, sections.pop("summary"))
    if topic.regulatory:
        out.print(Text("\nRegulatory status (US)", style="bold underline"))
        _prose(out, topic.regulatory)
    for field, body in sections.items():
        heading = (COST_HEADINGS if topic.kind == "cost" else PAGE_HEADINGS).get(field)
        out.print(Text(f"\n{heading or PAGE_HEADINGS[field]}", style="bold underline"))
        _prose(out, body)
        if field == "cost" and topic.costs:
            out.print(_costs(topic.costs, out.width))
        if field == "cost" and topic.kind == "cost":
            from clinicfinder.topics.pages import topics

            for route in (t for t in topics() if t.kind == "route" and t.costs):
                out.print(Text(f"\n{route.name}", style="italic"))
                out.print(_costs(route.costs, out.width))
    if topic.kind in ("condition", "route", "overview"):
        from clinicfinder.topics.pages import safety

        out.print(Text("\nSafety: who should not take ketamine or esketamine", style="bold"))
        out.print(Text("(also on its own: clinicfinder about safety)", style="dim"))
        for field, body in safety().sections[1:]:  # its summary is for the page on its own
            out.print(Text(f"\n{PAGE_HEADINGS[field]}", style="underline"))
            _prose(out, body)


def _costs(entries: tuple[Cost, ...], width: int) -> list[Text]:
    """Each price with its source and year, the link whole on the line below."""
    from clinicfinder.output.layout import wrap

    lines: list[Text] = []
    for c in entries:
        year = f"{c.year} ({c.year_basis})" if c.year else "undated"
        line = Text("- ").append(plain(c.range), "bold").append(f" — {plain(c.source)}, {year}")
        lines += wrap(line, width, hang=2)
        lines += wrap(Text("  ").append(link(c.url)), width)
    return lines


def _sources(out: Console, topic: Topic) -> None:
    from clinicfinder.output.layout import wrap

    sources = list(topic.sources)
    if topic.kind in ("condition", "route", "overview"):
        from clinicfinder.topics.pages import safety

        sources += [s for s in safety().sources if s not in sources]
    out.print(Text("\nSources", style="bold underline"))
    lines: list[Text] = []
    for i, s in enumerate(sources, 1):
        number = f"{i}. "
        line = Text(plain(f"{number}{s.cite}. {s.title}. {s.ref} — ")).append(link(s.url))
        lines += wrap(line, out.width, hang=len(number))
    out.print(lines)
    out.print(Text("\n" + LINE_988, style="bold"))
    out.print(
        Text(
            f"Not medical advice — talk with a clinician about your own situation. "
            f"Page reviewed {topic.reviewed}; due for re-checking by {topic.review_by}.",
            style="dim",
        )
    )
