"""`data recheck`: re-check every listing's own pages, politely, and report what changed."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clinicfinder.cli.boundary import deliver, say, warn
from clinicfinder.errors import UsageProblem
from clinicfinder.records.vocab import counted

if TYPE_CHECKING:
    from clinicfinder.records.models import Clinic, ClinicSource


def data_recheck(
    files: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[FILE]...", help="Clinic files (CSV or JSON) to re-check."),
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled", help="Re-check the listings clinicfinder ships.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="REPORT.csv", help="Where to write [default: stdout]."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Write the report as JSON rather than CSV.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="AGE", help="Skip listings checked within AGE (30d, 6w, 3m)."
        ),
    ] = None,
    delay: Annotated[
        float,
        typer.Option(
            "--delay", metavar="SECONDS", min=0, help="Pause between two requests to one site."
        ),
    ] = 2.0,
    timeout: Annotated[
        float,
        typer.Option("--timeout", metavar="SECONDS", min=0.1, help="Deadline for one page."),
    ] = 20.0,
) -> None:
    """Re-check each listing's website and source pages, and say which still stand (online).

    Verdicts, per page and per listing: ok, gone (404/410, or the domain no longer
    resolves), moved (redirects to another site), changed (no longer mentions
    ketamine or esketamine, or announces closing), unreachable (no answer, twice),
    blocked (robots.txt disallows it). Also reports the phone, street and ZIP a
    clinic's own page states where they differ from the listing or fill a gap.

    Polite: robots.txt honoured, one request per site at a time with a pause
    between, conditional requests against what the last run saw. Ctrl-C stops;
    the same command again resumes. Changes no data: the report is for a person.

    Examples:

    \b
      clinicfinder data recheck --bundled -o recheck.csv
      clinicfinder data recheck my-clinics.csv --since 30d --json -o recheck.json
    """
    from clinicfinder.cli.progress import progress_bar
    from clinicfinder.online.checkstore import CheckStore
    from clinicfinder.online.recheck import Politeness, Rechecker, Target, targets_for
    from clinicfinder.output import recheck as render

    if not files and not bundled:
        raise UsageProblem("give clinic files to re-check, or --bundled for the shipped data")
    from clinicfinder.records.clock import today as clock_today

    today = clock_today()
    listings = _listings(files or [], bundled)
    store = CheckStore()
    from clinicfinder.search.rank import oldest_allowed

    cutoff = oldest_allowed(since, today, option="--since")
    last = store.last_checked() if cutoff else {}
    if cutoff and bundled:
        last = {**_shipped_checks(), **last}
    skipped = [c.id for c, _ in listings if cutoff and last.get(c.id, "") >= cutoff]
    targets: list[Target] = []
    pageless = 0
    for clinic, sources in listings:
        if clinic.id in skipped:
            continue
        found = targets_for(clinic, sources)
        pageless += not found
        targets += found
    checker = Rechecker(store, Politeness(delay_s=delay, deadline_s=timeout), today.isoformat())
    try:
        with progress_bar("re-checking") as advance:
            checker.progress = advance
            checks = checker.run(targets)
    except KeyboardInterrupt:
        warn(
            f"stopped after {checker.done} of {counted(checker.total, 'page')}; run the same "
            "command again to resume (the pages answered so far are kept)"
        )
        raise
    finally:
        if store.warning:
            warn(store.warning)
    if as_json:
        import json

        text = json.dumps(render.json_document(checks, skipped), ensure_ascii=False) + "\n"
    else:
        text = render.csv_text(checks)
    deliver(text, out, files or [], as_json=as_json)
    summary = render.summary_line(
        checks,
        skipped=len(skipped),
        pageless=pageless,
        requests=checker.requests,
        not_modified=checker.not_modified,
        resumed=checker.resumed,
    )
    say(summary + (f"; written to {out}" if out else ""))


def _listings(files: list[Path], bundled: bool) -> "list[tuple[Clinic, list[ClinicSource]]]":
    """(clinic, its sources) for every listing asked for: a file's rows cite their own
    pages; the bundled listings every page in clinic-sources.csv."""
    from clinicfinder.clinics.load import read_clinics
    from clinicfinder.records.models import ClinicSource

    found: list[tuple[Clinic, list[ClinicSource]]] = []
    for path in files:
        for clinic in read_clinics(path):
            pages = [ClinicSource(clinic.source_url, "", "", clinic.evidence, (), "")]
            pages += [ClinicSource(url, "", "", "", (), "") for url in clinic.more_sources]
            found.append((clinic, pages))
    if bundled:
        from clinicfinder.bundled import data_path
        from clinicfinder.clinics.sources import sources_of

        for clinic in read_clinics(data_path("clinics.csv"), check=False):
            found.append((clinic, sources_of(clinic)))
    return found


def _shipped_checks() -> dict[str, str]:
    """When each bundled listing was last checked, as the shipped data records it."""
    from clinicfinder.clinics.checks import last_checks

    return {cid: check.date for cid, check in last_checks().items()}
