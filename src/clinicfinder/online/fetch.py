"""`data fetch findtreatment` and `data update`: a state's (or every state's) ketamine
facilities from the registry, as clinic records: written as a clinic file, or kept as the
registry layer that offline searches use (clinics/layer.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from clinicfinder.errors import ClinicFinderError
from clinicfinder.online.findtreatment import Registry, distinct, left_out_text
from clinicfinder.places.regions import regions
from clinicfinder.records.models import Clinic, Layer
from clinicfinder.records.vocab import counted

RESUME = "run the same command again to resume: fetched pages are cached for a day"


def _each_state(registry: Registry, codes: Sequence[str]) -> Iterator[tuple[str, list[Clinic]]]:
    """(state, its facilities by city and name, each once with its own id), state by state."""
    for code in codes:
        region = regions()[code]
        found: list[Clinic] = []
        for _page, _pages, clinics in registry.state(code, (region.lat, region.lon)):
            found.extend(clinics)
        yield code, sorted(distinct(found), key=lambda c: (c.city, c.name, c.id))


def _summary(registry: Registry, facilities: int, states: int) -> str:
    summary = (
        f"{counted(facilities, 'ketamine facility', 'ketamine facilities')} in "
        f"{counted(states, 'state')} from FindTreatment.gov; "
        f"{counted(registry.requests, 'request')} sent, the rest from the cache"
    )
    if registry.left_out:
        summary += f"; {left_out_text(registry.left_out)}"
    return summary


def fetch_states(
    codes: list[str],
    url: str,
    refresh: bool,
    progress: Callable[[int, int], None],
    notify: Callable[[str], None],
) -> tuple[list[Clinic], str]:
    """(the facilities, by state and city; a one-line summary). An interrupted run is
    resumed by running it again: the pages already fetched are cached for a day. `url`:
    the registry's endpoint, as Settings resolved it."""
    registry = Registry(url, refresh=refresh)
    found: list[Clinic] = []
    done = 0
    try:
        for _code, clinics in _each_state(registry, codes):
            found += clinics
            done += 1
            progress(done, len(codes))
    except (KeyboardInterrupt, ClinicFinderError):
        notify(
            f"stopped after {done} of {counted(len(codes), 'state')} "
            f"({len(found)} facilities so far); " + RESUME
        )
        raise
    finally:
        if registry.cache.warning:
            notify(registry.cache.warning)
    kept = distinct(found)
    return sorted(kept, key=lambda c: (c.state, c.city, c.name, c.id)), _summary(
        registry, len(kept), len(codes)
    )


def update_layer(
    codes: list[str],
    url: str,
    refresh: bool,
    progress: Callable[[int, int], None],
    notify: Callable[[str], None],
    today: str | None = None,
) -> tuple[Layer, str]:
    """Fetch these states and keep them in the registry layer (the layer, a summary).

    Each finished state is kept even when a later one fails or the user interrupts; the
    run can then be repeated to finish, and the pages already fetched come from the cache.
    `url`: the registry's endpoint, as Settings resolved it.
    """
    from clinicfinder.clinics import layer

    registry = Registry(url, refresh=refresh, today=today)
    fetched: dict[str, list[Clinic]] = {}
    try:
        for code, clinics in _each_state(registry, codes):
            fetched[code] = clinics
            progress(len(fetched), len(codes))
    except (KeyboardInterrupt, ClinicFinderError):
        kept = ""
        if fetched:
            layer.save(fetched, registry.today)
            kept = f"; the {len(fetched)} finished are kept in {layer.layer_path()}"
        notify(f"stopped after {len(fetched)} of {counted(len(codes), 'state')}{kept}; " + RESUME)
        raise
    finally:
        if registry.cache.warning:
            notify(registry.cache.warning)
    saved, replaced = layer.save(fetched, registry.today)
    if replaced:
        notify(f"warning: the old registry layer could not be read; replaced it: {saved.path}")
    found = sum(len(c) for c in fetched.values())
    return saved, _summary(registry, found, len(codes))
