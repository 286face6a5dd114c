"""`about`: what the evidence says, for the overview, a condition or a treatment route."""

from typing import Annotated

import typer

from clinicfinder.cli import options as opt
from clinicfinder.cli import steps


def about(
    topic: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[TOPIC]...",
            help="ketamine (the overview), a condition (depression, PTSD…) or a treatment route "
            "(iv, spravato…), quotes optional; omit to list them all.",
            show_default=False,
            autocompletion=opt.complete_topics,
        ),
    ] = None,
    fmt: opt.FormatOpt = None,
    as_json: opt.JsonOpt = False,
    fields: opt.FieldsOpt = None,
) -> None:
    """What the evidence says about ketamine, for a condition or a treatment route.

    Evidence level, US regulatory status, risks and who should not take it,
    claims to be careful with, costs (for routes) and sources.

    Examples:

    \b
      clinicfinder about
      clinicfinder about ketamine
      clinicfinder about depression
      clinicfinder about PTSD
      clinicfinder about spravato
      clinicfinder about chronic pain --json
    """
    from clinicfinder.output import formats
    from clinicfinder.output import topics as render_topics
    from clinicfinder.output.text import SCHEMA_VERSION
    from clinicfinder.topics import pages

    text = steps.joined(topic)
    if text is None:
        every = pages.topics()
        rows = [render_topics.topic_summary_record(t) for t in every]
        document = {"schema_version": SCHEMA_VERSION, "topics": rows}
        output = formats.Output(
            document,
            rows,
            render_topics.TOPIC_SUMMARY_FIELDS,
            lambda: render_topics.print_topics(every),
            "topics",
            geo=False,
        )
    else:
        found = pages.find_topic(text)
        record = render_topics.topic_record(found)
        document = {"schema_version": SCHEMA_VERSION, "topic": record}
        output = formats.Output(
            document,
            [record],
            list(record),
            lambda: render_topics.print_topic(found),
            "topic",
            geo=False,
        )
    steps.emit(output, fmt, as_json, fields, False)
