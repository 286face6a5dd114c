"""Records laid over a catalogue: the registry layer (`data update`), the user's --data files,
and `near --online`'s live registry answers.

A laid record that is the same clinic as one already listed — the same id, the same
phone, the same website host, or the same folded name in the same city — joins it:
the listed clinic keeps its id and its facts, takes the ones it lacked (a phone, a
street, street-level coordinates), and lists both sources, the newer one first. The
others are added. Each clinic appears once, under one id.

The join walks the smaller side and asks the bigger one's index around each record,
so a 100k-row file costs about what the bundled data does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from clinicfinder.clinics.catalog import Catalog, MemoryCatalog, newest
from clinicfinder.clinics.keys import join_keys
from clinicfinder.places.distance import distance_km
from clinicfinder.places.names import place_key
from clinicfinder.records.models import Clinic, Layer

SAME_PLACE_KM = 40.0  # a clinic placed at its city's centre can be this far from its door
_FINER = {"street": 0, "zip": 1, "city": 2, "none": 3}


def _apart(a: Clinic, b: Clinic) -> float:
    """How far apart two records are; 0 when either has no place."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return 0.0
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _same(record: Clinic, listed: Clinic) -> bool:
    """Whether `record` is `listed`: a shared key (phone, website, name and city), in the same
    city (so a chain's branch never joins another branch) and within SAME_PLACE_KM."""
    return (
        bool(join_keys(record) & join_keys(listed))
        and (not listed.city or place_key(listed.city) == place_key(record.city))
        and _apart(record, listed) <= SAME_PLACE_KM
    )


def _both(first: Iterable[str], second: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))


def join(listed: Clinic, laid: Clinic) -> Clinic:
    """The listed clinic with what the laid record adds, and both sources, the newer first
    (an undated source is never newer than a dated one)."""
    finer = _FINER.get(laid.precision, 3) < _FINER.get(listed.precision, 3)
    newer, older = (laid, listed) if laid.source_date >= listed.source_date else (listed, laid)
    status, until = listed.status, listed.verified_until
    if newer is laid and laid.status == "active" and listed.status in ("active", "unverified"):
        # A newer source that supports the service (today's registry listing) verifies it
        # again, for as long as that source does; a listing its own page keeps never lapses.
        kept = listed.status == "active" and not listed.verified_until
        status, until = "active", "" if kept else max(listed.verified_until, laid.verified_until)
    return listed._replace(
        status=status,
        verified_until=until,
        phone=listed.phone or laid.phone,
        street=listed.street or laid.street,
        postal_code=listed.postal_code or laid.postal_code,
        website=listed.website or laid.website,
        lat=laid.lat if finer else listed.lat,
        lon=laid.lon if finer else listed.lon,
        precision=laid.precision if finer else listed.precision,
        payment=_both(listed.payment, laid.payment),
        ages=_both(listed.ages, laid.ages),
        languages=_both(listed.languages, laid.languages),
        eligibility=listed.eligibility or laid.eligibility,
        phone_scope=listed.phone_scope if listed.phone else laid.phone_scope,
        source_url=newer.source_url,
        source_date=newer.source_date,
        source_date_basis=newer.source_date_basis,
        evidence=newer.evidence,
        location_evidence=newer.location_evidence or listed.location_evidence,
        collected=max(listed.collected, laid.collected),
        more_sources=tuple(
            u
            for u in _both((*newer.more_sources, older.source_url), older.more_sources)
            if u and u != newer.source_url
        ),
    )


def _pairs(base: Catalog, laid: Catalog) -> Iterator[tuple[Clinic, Clinic]]:
    """(listed, laid record) for every laid record that is a listed clinic: a record with a
    listed id is that clinic; otherwise the best twin among the clinics sharing a key with
    it (the same name first, then the nearest). Walks the smaller side and asks the other
    by key, so the cost follows the smaller side."""
    taken: set[str] = set()  # listed ids already joined
    used: set[str] = set()  # laid ids already joined
    laid_small = laid.size() <= base.size()
    small, big = (laid, base) if laid_small else (base, laid)
    smalls = small.all()
    # One look-up for every key of the smaller side; then each record's candidates in memory.
    candidates = MemoryCatalog(big.sharing({k for c in smalls for k in join_keys(c)}))
    for same_id in sorted(big.ids_among(c.id for c in smalls)):
        listed, record = base.get(same_id), laid.get(same_id)
        if listed is not None and record is not None:
            taken.add(listed.id)
            used.add(record.id)
            yield listed, record
    for one in smalls:
        if one.id in (used if laid_small else taken):
            continue
        free = [c for c in candidates.sharing(join_keys(one))
                if c.id not in (taken if laid_small else used)]  # fmt: skip
        twins = [(one, c) if laid_small else (c, one) for c in free]  # (laid, listed)
        twins = [(r, c) for r, c in twins if _same(r, c)]
        if twins:
            record, listed = min(twins, key=lambda rc: (
                place_key(rc[0].name) != place_key(rc[1].name), _apart(*rc), rc[1].id
            ))  # fmt: skip
            taken.add(listed.id)
            used.add(record.id)
            yield listed, record


class JoinedCatalog(Catalog):
    """A catalogue with another laid over it: its records that are listed clinics join
    them (one clinic, one id, both sources); the rest are added."""

    def __init__(self, base: Catalog, laid: Catalog, layer: Layer | None = None) -> None:
        self._base, self._laid = base, laid
        self._joined: dict[str, Clinic] = {}  # listed id → the joined clinic
        self._origins: dict[str, Clinic] = {}  # listed id → the laid record it joined
        self._hidden: dict[str, str] = {}  # laid id → the listed id it joined
        self._hidden_in: Counter[str] = Counter()  # joined laid records by state
        self._hidden_placed = 0
        for listed, record in _pairs(base, laid):
            self._joined[listed.id] = join(listed, record)
            self._origins[listed.id] = record
            self._hidden[record.id] = listed.id
            self._hidden_in[record.state] += 1
            self._hidden_placed += record.lat is not None
        self._layer = layer._replace(joined=self.joined) if layer else None

    @property
    def joined(self) -> int:
        """How many laid records were clinics already listed."""
        return len(self._hidden)

    @property
    def added(self) -> int:
        return self._laid.size() - self.joined

    def _swap(self, clinics: Iterable[Clinic]) -> list[Clinic]:
        return [self._joined.get(c.id, c) for c in clinics]

    def _new(self, clinics: Iterable[Clinic]) -> list[Clinic]:
        return [c for c in clinics if c.id not in self._hidden]

    def size(self) -> int:
        return self._base.size() + self.added

    def placed_count(self) -> int:
        return self._base.placed_count() + self._laid.placed_count() - self._hidden_placed

    def newest_collected(self) -> str | None:
        return newest((self._base.newest_collected(), self._laid.newest_collected()))

    def near(self, lat: float, lon: float, km: float) -> list[Clinic]:
        return self._swap(self._base.near(lat, lon, km)) + self._new(self._laid.near(lat, lon, km))

    def unranked_in(self, code: str) -> list[Clinic]:
        return self._swap(self._base.unranked_in(code)) + self._new(self._laid.unranked_in(code))

    def in_state(self, code: str) -> int:
        return self._base.in_state(code) + self._laid.in_state(code) - self._hidden_in[code]

    def get(self, clinic_id: str) -> Clinic | None:
        found = self._base.get(self._hidden.get(clinic_id, clinic_id))
        if found is not None:
            return self._joined.get(found.id, found)
        return self._laid.get(clinic_id)

    def ids_among(self, ids: Iterable[str]) -> set[str]:
        wanted = set(ids)
        laid = {i for i in self._laid.ids_among(wanted) if i not in self._hidden}
        return self._base.ids_among(wanted) | laid

    def all(self) -> list[Clinic]:
        return self._swap(self._base.all()) + self._new(self._laid.all())

    def sharing(self, keys: Iterable[str]) -> list[Clinic]:
        wanted = set(keys)
        found = {c.id: c for c in self._swap(self._base.sharing(wanted))}
        for c in self._laid.sharing(wanted):  # a joined clinic is also found by its laid keys
            listed = self._hidden.get(c.id)
            one = self._joined[listed] if listed else c
            found.setdefault(one.id, one)
        return list(found.values())

    def layers(self) -> tuple[Layer, ...]:
        return self._base.layers() + ((self._layer,) if self._layer else ())

    def origins(self, clinic_id: str) -> tuple[Clinic, ...]:
        laid = self._origins.get(clinic_id)
        return self._base.origins(clinic_id) + ((laid,) if laid else ())


class OverlayCatalog(JoinedCatalog):
    """`near --online`: the registry's live answer laid over the catalogue."""

    def __init__(self, base: Catalog, live: Sequence[Clinic]) -> None:
        super().__init__(base, MemoryCatalog(c for c in live if c.lat is not None))
