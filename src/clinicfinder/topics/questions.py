"""Questions as people type them ("is ketamine safe?", "how much does spravato cost")
→ the page that answers them.

A word and phrase look-up, not fuzzy matching: a page answers when one of its
question words (`keywords` in its front matter), its name, slug or an alias appears
whole in the question. Question words beat names, so "is spravato safe" is the safety
page, not the Spravato page; among names a condition beats a route or the overview, so
"iv ketamine for depression" is the depression page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol, TypeVar

from clinicfinder.places.names import place_key


class _Page(Protocol):
    """What a question is matched against (pages.Topic has it; no import back to pages)."""

    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def keywords(self) -> tuple[str, ...]: ...


Page = TypeVar("Page", bound=_Page)

# Which page a question's names point to first, when no question word decides it.
KIND_ORDER = {"safety": 0, "cost": 0, "condition": 1, "route": 2, "overview": 3}


def words(text: str) -> tuple[str, ...]:
    """The folded words of a text: case, accents, punctuation and hyphens don't matter."""
    return tuple(re.findall(r"[a-z0-9]+", place_key(text)))


def _within(asked: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(asked[i : i + n] == phrase for i in range(len(asked) - n + 1))


def answer(text: str, pages: Iterable[Page]) -> Page | None:
    """The page a question is about, or None when none of its words names one."""
    asked = words(text)
    best: tuple[tuple[int, int, int], Page] | None = None
    for page in pages:
        named = [(0, k) for k in page.keywords]
        named += [(1, n) for n in (page.slug, page.name, *page.aliases)]
        for is_name, phrase in named:
            folded = words(phrase)
            # A one-word name under 3 letters ("im") is too easily a word of the question
            # ("I'm"): such names answer only when typed alone (pages.find_topic).
            if not folded or (is_name and len(folded) == 1 and len(folded[0]) < 3):
                continue
            if _within(asked, folded):
                rank = (is_name, KIND_ORDER.get(page.kind, 9), -len(folded))
                if best is None or rank < best[0]:
                    best = (rank, page)
    return best[1] if best else None
