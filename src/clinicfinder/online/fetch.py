"""`data fetch findtreatment`: a state's (or every state's) ketamine facilities from the
registry, as clinic records (the command line writes them as a clinic file)."""

from __future__ import annotations

from collections.abc import Callable

from clinicfinder.errors import ClinicFinderError
from clinicfinder.online.findtreatment import Registry, distinct, left_out_text, registry_url
from clinicfinder.places.regions import regions
from clinicfinder.records.models import Clinic


def fetch_states(
    codes: list[str],
    configured_url: str | None,
    refresh: bool,
    progress: Callable[[int, int], None],
    notify: Callable[[str], None],
) -> tuple[list[Clinic], str]:
    """(the facilities, by state and city; a one-line summary). An interrupted run is
    resumed by running it again: the pages already fetched are cached for a day."""
    registry = Registry(registry_url(configured_url), refresh=refresh, notify=notify)
    found: list[Clinic] = []
    done = 0
    try:
        for code in codes:
            region = regions()[code]
            for _page, _pages, clinics in registry.state(code, (region.lat, region.lon)):
                found.extend(clinics)
            done += 1
            progress(done, len(codes))
    except (KeyboardInterrupt, ClinicFinderError):
        notify(
            f"stopped after {done} of {len(codes)} state(s) ({len(found)} facilities so far); "
            "run the same command again to resume: fetched pages are cached for a day"
        )
        raise
    finally:
        if registry.cache.warning:
            notify(registry.cache.warning)
    kept = distinct(found)
    summary = (
        f"{len(kept)} ketamine facilities in {len(codes)} state(s) from FindTreatment.gov; "
        f"{registry.requests} request(s) sent, the rest from the cache"
    )
    if registry.left_out:
        summary += f"; {left_out_text(registry.left_out)}"
    return sorted(kept, key=lambda c: (c.state, c.city, c.name, c.id)), summary
