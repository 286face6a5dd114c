"""`data recheck`: fetch every page of every listing, politely, and say what each shows.

Polite by design: robots.txt is read before any page of its site and honoured; one
request per site at a time, with a pause between them (2 s by default, and longer when a
site answers 429 with Retry-After); conditional requests against what the last run saw;
a User-Agent naming clinicfinder and its version. Sites are visited side by side (a few
at a time), each by one worker, so a run over hundreds of sites takes minutes, not hours.

A page with no usable answer is tried once more after every site has had its turn; a run
stopped by Ctrl-C keeps what it had, and running it again resumes. Nothing here writes
any clinic data: the verdicts are the report, and only a maintainer turns them into edits.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any, NamedTuple

from clinicfinder import __version__
from clinicfinder.online.checkstore import CheckStore
from clinicfinder.online.http import ServerProblem, get_page, retry_after_s, site_of
from clinicfinder.online.pagefacts import PageText, charset_of, contact_facts, read_html
from clinicfinder.online.robots import Robots, from_answer, robots_url
from clinicfinder.online.verdict import (
    RETRY,
    Snapshot,
    compare_facts,
    listing_verdict,
    page_verdict,
)
from clinicfinder.records.checks import DEFINITE, FactNote, ListingCheck, PageCheck
from clinicfinder.records.models import Clinic, ClinicSource

OWN_KINDS = ("clinic-site", "hospital")
LISTS = ("directory", "registry")  # pages that list many clinics: only their answer is judged
ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
WORKERS = 6  # sites visited side by side; each site still sees one request at a time


def user_agent() -> str:
    """Names clinicfinder, its version and what it is doing; a contact if the user gave one."""
    contact = os.environ.get("CLINICFINDER_CONTACT", "").strip()
    return f"clinicfinder/{__version__} (data recheck" + (f"; {contact})" if contact else ")")


class Target(NamedTuple):
    """One page of one listing, and the listing's facts to set the page against."""

    listing: str
    name: str
    url: str
    role: str  # website | source
    own: bool  # the clinic's own page: its phone and address count
    phone: str = ""
    street: str = ""
    postal_code: str = ""
    kind: str = ""  # the source's evidence kind (records.vocab.EVIDENCE_KINDS), when known


def targets_for(clinic: Clinic, sources: Sequence[ClinicSource]) -> list[Target]:
    """The listing's website, then each source page, each once (http(s) only)."""
    facts = (clinic.phone, clinic.street, clinic.postal_code)
    out: list[Target] = []
    pages = [(clinic.website, "website", True, "clinic-site")]
    pages += [(s.url, "source", s.evidence in OWN_KINDS, s.evidence) for s in sources]
    for url, role, own, kind in pages:
        url = url.strip()
        if url.lower().startswith(("http://", "https://")) and url not in {t.url for t in out}:
            out.append(Target(clinic.id, clinic.name, url, role, own, *facts, kind=kind))
    return out


def deciding_order(target: Target) -> int:
    """Which page decides a listing: its website, else its own page (clinic site,
    hospital), else a page about it (news, press release), else a directory or registry."""
    if target.role == "website":
        return 0
    return 1 if target.own else 3 if target.kind in LISTS else 2


class Politeness(NamedTuple):
    delay_s: float = 2.0  # between two requests to one site
    deadline_s: float = 20.0  # for one whole exchange
    max_bytes: int = 3 * 1024 * 1024  # of one page (longer pages are read up to here)
    max_wait_s: float = 600.0  # the longest Retry-After waited for within a run


def _to_json(snap: Snapshot) -> dict[str, Any]:
    data = snap._asdict()
    data["page"] = snap.page.to_json() if snap.page else None
    return data


def _from_json(data: dict[str, Any]) -> Snapshot:
    page = PageText.from_json(data["page"]) if data.get("page") else None
    return Snapshot(**{**data, "page": page})


class Rechecker:
    """One run over a list of pages; `sleep` and `clock` are injected so tests never wait."""

    def __init__(
        self,
        store: CheckStore,
        politeness: Politeness,
        today: str,
        *,
        progress: Callable[[int, int], None] = lambda done, total: None,
        sleep: Callable[[float], Any] | None = None,
        clock: Callable[[], float] = time.monotonic,
        workers: int = WORKERS,
    ) -> None:
        self.store, self.polite, self.today = store, politeness, today
        self.progress, self.clock, self.workers = progress, clock, workers
        self.stop = threading.Event()
        self.sleep = sleep or self.stop.wait  # Ctrl-C ends a pause at once
        self.lock = threading.Lock()
        self.next_ok: dict[str, float] = {}
        self.robots: dict[str, Robots] = {}
        self.results: dict[str, Snapshot] = {}
        self.requests = self.not_modified = self.resumed = 0
        self.done = self.total = 0
        self.run_key = ""
        self.retried: set[str] = set()

    def run(self, targets: Sequence[Target]) -> list[ListingCheck]:
        urls = list(dict.fromkeys(t.url for t in targets))
        self.run_key = hashlib.sha256("\n".join(sorted(urls)).encode()).hexdigest()[:24]
        for url, data in self.store.progress(self.run_key).items():
            snap = _from_json(data)
            if url in urls and not snap.failure:
                self.results[url] = snap
        self.resumed = len(self.results)
        self.done, self.total = self.resumed, len(urls)
        self.progress(self.done, self.total)
        self._pass([u for u in urls if u not in self.results])
        again = [u for u in urls if self.results[u].failure in RETRY]
        if again:  # once more, later in the run: a site that was down may be back
            self.total += len(again)
            self.retried = set(again)
            self._pass(again)
        checks = self._judge(targets)
        self.store.finish(
            self.run_key,
            {c.listing: (c.checked, c.verdict) for c in checks if c.verdict in DEFINITE},
        )
        return checks

    def _pass(self, urls: list[str]) -> None:
        by_site: dict[str, list[str]] = {}
        for url in urls:
            by_site.setdefault(site_of(url), []).append(url)
        if not by_site:
            return
        pool = ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(by_site))))
        try:
            futures = [pool.submit(self._visit, site, pages) for site, pages in by_site.items()]
            pending = set(futures)
            while pending:  # a short wait in a loop, so Ctrl-C is heard at once
                _done, pending = wait(pending, timeout=0.2)
            for future in futures:
                future.result()
        except BaseException:
            self.stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)

    def _visit(self, site: str, urls: list[str]) -> None:
        """One site: its robots.txt first, then its pages, one at a time."""
        import requests

        with requests.Session() as session:
            session.trust_env = False  # no netrc credentials, no proxy the user didn't ask for
            robots = self.robots.get(site)
            failed = Snapshot(urls[0])
            if robots is None:
                robots, failed = self._read_robots(session, site, urls[0])
            for url in urls:
                if self.stop.is_set():
                    return
                if robots is None:
                    snap = failed._replace(url=url)
                elif not robots.allows(url):
                    snap = Snapshot(url, blocked=robots.url)
                else:
                    snap = self._fetch(session, site, url)
                self._record(url, snap)

    def _read_robots(self, session: Any, site: str, url: str) -> tuple[Robots | None, Snapshot]:
        where = robots_url(url)
        try:
            page = self._get(session, site, where, what="robots.txt")
        except ServerProblem as exc:
            return None, Snapshot(url, failure=exc.cause or "failed", message=exc.message)
        robots = from_answer(where, page.status, page.body, bool(page.moved_to))
        if robots is None:
            self._rate_limited(site, page.headers, page.status)
            failure = "rate-limited" if page.status == 429 else "robots"
            message = f"robots.txt answered HTTP {page.status}; its rules are unknown"
            return None, Snapshot(url, status=None, failure=failure, message=message)
        with self.lock:
            self.robots[site] = robots
        return robots, Snapshot(url)

    def _get(
        self,
        session: Any,
        site: str,
        url: str,
        headers: dict[str, str] | None = None,
        what: str = "the page",
    ) -> Any:
        self._wait_turn(site)
        try:
            with self.lock:
                self.requests += 1
            return get_page(
                session,
                url,
                headers={
                    "User-Agent": user_agent(),
                    "Accept": ACCEPT,
                    **(headers or {}),
                },
                deadline_s=self.polite.deadline_s,
                max_bytes=self.polite.max_bytes,
                what=what,
            )
        finally:
            with self.lock:
                self.next_ok[site] = max(
                    self.next_ok.get(site, 0.0), self.clock() + self.polite.delay_s
                )

    def _wait_turn(self, site: str) -> None:
        with self.lock:
            wait_s = self.next_ok.get(site, 0.0) - self.clock()
        if wait_s > 0:
            self.sleep(wait_s)

    def _rate_limited(self, site: str, headers: dict[str, str], status: int) -> float | None:
        if status != 429:
            return None
        wait_s = retry_after_s(headers.get("retry-after"))
        wait_s = self.polite.delay_s if wait_s is None else wait_s
        with self.lock:
            self.next_ok[site] = self.clock() + min(max(wait_s, self.polite.delay_s),
                                                    self.polite.max_wait_s)  # fmt: skip
        return wait_s

    def _fetch(self, session: Any, site: str, url: str) -> Snapshot:
        seen = self.store.seen(url)
        headers = {}
        if seen and seen[0]:
            headers["If-None-Match"] = seen[0]
        if seen and seen[1]:
            headers["If-Modified-Since"] = seen[1]
        try:
            page = self._get(session, site, url, headers)
        except ServerProblem as exc:
            return Snapshot(url, failure=exc.cause or "failed", message=exc.message)
        status = page.status
        if status == 304 and seen:
            with self.lock:
                self.not_modified += 1
            return _from_json(seen[2])._replace(status=304, not_modified=True)
        if status == 429:
            wait_s = self._rate_limited(site, page.headers, status) or 0.0
            later = wait_s > self.polite.max_wait_s
            message = f"HTTP 429: rate-limited for {wait_s:g} s" + ("; run again later" * later)
            return Snapshot(url, failure="later" if later else "rate-limited", message=message,
                            retry_after=wait_s)  # fmt: skip
        if status >= 500 or status in (304, 401, 403, 408):
            return Snapshot(url, status=status, failure="status", message=f"HTTP {status}")
        if page.moved_to:
            return Snapshot(url, status, page.final_url, page.moved_to)
        text = read_html(page.body, charset_of(page.headers.get("content-type", "")))
        snap = Snapshot(url, status, page.final_url, page=text if status < 300 else None,
                        content_type=page.headers.get("content-type", ""))  # fmt: skip
        etag, modified = page.headers.get("etag", ""), page.headers.get("last-modified", "")
        if status == 200 and (etag or modified):
            self.store.remember(url, etag, modified, _to_json(snap))
        return snap

    def _record(self, url: str, snap: Snapshot) -> None:
        with self.lock:
            self.results[url] = snap
            self.done += 1
            done, total = self.done, self.total
        if not snap.failure:
            self.store.save_progress(self.run_key, url, _to_json(snap))
        self.progress(done, total)

    def _judge(self, targets: Sequence[Target]) -> list[ListingCheck]:
        resolved = any(s.status is not None for s in self.results.values()) or bool(self.robots)
        by_listing: dict[str, list[PageCheck]] = {}
        names: dict[str, str] = {}
        deciding: dict[str, tuple[int, int, str]] = {}  # listing → (order, position, url)
        for i, t in enumerate(targets):
            snap = self.results[t.url]
            verdict, evidence = page_verdict(snap, t.name, resolved, words=t.kind not in LISTS)
            if verdict == "unreachable" and t.url in self.retried:
                evidence += " (tried twice)"
            notes: tuple[FactNote, ...] = ()
            if t.own and verdict == "ok" and snap.page is not None:
                notes = compare_facts(contact_facts(snap.page), t.phone, t.street, t.postal_code)
            by_listing.setdefault(t.listing, []).append(
                PageCheck(
                    t.listing,
                    t.name,
                    t.url,
                    t.role,
                    verdict,
                    snap.status,
                    snap.moved_to or snap.final_url,
                    evidence,
                    self.today,
                    notes,
                    snap.not_modified,
                )
            )
            names[t.listing] = t.name
            here = (deciding_order(t), i, t.url)
            deciding[t.listing] = min(deciding.get(t.listing, here), here)
        return [
            listing_verdict(
                listing, names[listing], tuple(pages), self.today, deciding=deciding[listing][2]
            )
            for listing, pages in by_listing.items()
        ]
