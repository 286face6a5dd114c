"""Properties of the new parsers and writers, over arbitrary text (Hypothesis)."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import example, given
from hypothesis import strategies as st

from clinicfinder.clinics.files import _unquoted
from clinicfinder.errors import UsageProblem
from clinicfinder.online.http import retry_after_s
from clinicfinder.output.text import spreadsheet_safe
from clinicfinder.records.models import earliest_day
from clinicfinder.search.rank import oldest_allowed


@given(st.text(max_size=40))
def test_max_age_is_an_age_or_a_usage_error(text):
    try:
        oldest = oldest_allowed(text, today=date(2026, 12, 1))
    except UsageProblem:
        return
    assert oldest is not None and oldest <= "2026-12-01" and len(oldest) == 10


@given(st.integers(1, 998), st.sampled_from("ymd"))
def test_a_longer_max_age_reaches_further_back(n, unit):
    today = date(2026, 12, 1)
    assert oldest_allowed(f"{n + 1}{unit}", today) <= oldest_allowed(f"{n}{unit}", today)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets run (OWASP)
formula_like = st.builds(
    lambda pad, start, rest: pad + start + rest,
    st.text(" ", max_size=3),
    st.sampled_from(FORMULA_START),
    st.text(max_size=40),
)


@example('=HYPERLINK("https://example.org","x")')
@example("  @SUM(A1)")
@example("+1 316 555 0100")
@example("-97.33")
@given(st.one_of(st.text(max_size=60), formula_like))
def test_spreadsheet_safe_cells_never_start_a_formula_and_read_back_as_written(cell):
    """Defused: no cell starts a formula (after the spaces spreadsheets skip), except a
    plain number, left as it is; exact: a clinic file reads each cell back as it was."""
    safe = spreadsheet_safe(cell)
    if re.fullmatch(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?", cell):
        assert safe == cell
    else:
        assert safe.lstrip(" ")[:1] not in FORMULA_START, safe
    if not (cell[:1] == "'" and cell[1:2] in (*FORMULA_START, " ")):  # already quoted: as is
        assert _unquoted(safe) == cell


@given(st.text(max_size=500))
def test_retry_after_never_raises_and_is_bounded(value):
    seconds = retry_after_s(value)
    assert seconds is None or 0 <= seconds <= 24 * 3600


@given(st.from_regex(r"\A(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|1[0-9]|2[0-8]))?)?\Z"))
def test_a_partial_date_means_its_earliest_day(text):
    day = earliest_day(text)
    assert len(day) == 10 and day.startswith(text) and date.fromisoformat(day)
