"""`about` output: the list of topics and one topic's page, for people and for JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from clinicfinder.output.render import (
    CRISIS_LINES,
    EVIDENCE_STYLE,
    NOT_ADVICE,
    console,
    plain,
)
from clinicfinder.records.vocab import EVIDENCE

if TYPE_CHECKING:
    from clinicfinder.topics.pages import Topic


def topic_record(topic: Topic) -> dict[str, Any]:
    """Every field of a page; its sections appear as top-level keys (summary, risks…)."""
    record: dict[str, Any] = {
        "slug": topic.slug,
        "kind": topic.kind,
        "name": topic.name,
        "aliases": list(topic.aliases),
        "evidence": topic.evidence,
        "evidence_meaning": EVIDENCE[topic.evidence],
        "tagline": topic.tagline,
        "regulatory": topic.regulatory,
        **dict(topic.sections),
        "sources": [asdict(s) for s in topic.sources],
        "crisis": topic.crisis,
        "crisis_lines": CRISIS_LINES if topic.crisis else None,
        "reviewed": topic.reviewed,
    }
    if topic.kind == "route":
        record["costs"] = [asdict(c) for c in topic.costs]
    return record


TOPIC_SUMMARY_FIELDS = ["slug", "kind", "name", "evidence", "tagline"]


def topic_summary_record(topic: Topic) -> dict[str, Any]:
    """One row of the `about` list."""
    return {
        "slug": topic.slug,
        "kind": topic.kind,
        "name": topic.name,
        "evidence": topic.evidence,
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
}
KIND_TITLES = {"condition": "Conditions", "route": "Treatment routes"}


def print_topics(topics: tuple[Topic, ...]) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    for kind, title in KIND_TITLES.items():
        table = Table(
            title=title, title_justify="left", title_style="bold", show_edge=False,
            pad_edge=False, header_style="bold",
        )  # fmt: skip
        table.add_column("Topic", no_wrap=True)
        table.add_column("Evidence", no_wrap=True)
        table.add_column("In short", overflow="fold")
        for t in topics:
            if t.kind == kind:
                table.add_row(
                    t.slug,
                    Text(t.evidence, style=EVIDENCE_STYLE[t.evidence]),
                    Text(plain(t.tagline)),
                )
        out.print(table)
        out.print()
    out.print(
        Text(
            "clinicfinder about TOPIC for the evidence, risks and sources; names like PTSD, "
            "TRD or spravato work too. Evidence levels: "
            + "; ".join(f"{k} = {v}" for k, v in EVIDENCE.items())
            + ".",
            style="dim",
        )
    )
    out.print(Text(NOT_ADVICE, style="dim"))


def print_topic(topic: Topic) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(
        Text.assemble(
            (plain(topic.name), "bold"),
            "  evidence: ",
            (topic.evidence, EVIDENCE_STYLE[topic.evidence]),
            (f" ({EVIDENCE[topic.evidence]})", "dim"),
        )
    )
    if topic.crisis:
        out.print(Panel(Text(CRISIS_LINES), border_style="red", title="If you are in crisis"))
    sections = dict(topic.sections)
    out.print(Text("\nIn short", style="bold underline"))
    out.print(Text(plain(sections.pop("summary"))))
    out.print(Text("\nRegulatory status (US)", style="bold underline"))
    out.print(Text(plain(topic.regulatory)))
    for field, body in sections.items():
        out.print(Text(f"\n{PAGE_HEADINGS[field]}", style="bold underline"))
        out.print(Text(plain(body)))
        if field == "cost" and topic.costs:
            costs = Table(show_edge=False, pad_edge=False, header_style="bold")
            for column in ("Price", "Source", "Year", "Link"):
                costs.add_column(column, overflow="fold")
            for c in topic.costs:
                costs.add_row(
                    Text(plain(c.range)),
                    Text(plain(c.source)),
                    Text(plain(f"{c.year} ({c.year_basis})")),
                    Text(plain(c.url)),
                )
            out.print(costs)
    out.print(Text("\nSources", style="bold underline"))
    for i, s in enumerate(topic.sources, 1):
        out.print(Text(plain(f"{i}. {s.cite}. {s.title}. {s.ref} — {s.url}")))
    out.print(
        Text(
            f"\nNot medical advice — talk with a clinician about your own situation. "
            f"Page reviewed {topic.reviewed}.",
            style="dim",
        )
    )
