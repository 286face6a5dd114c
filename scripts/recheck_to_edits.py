"""Turn a `clinicfinder data recheck --bundled` report into rows of data/sources/edits.csv.

    python scripts/recheck_to_edits.py recheck.csv            # print the rows to review
    python scripts/recheck_to_edits.py recheck.csv --append   # add them to edits.csv

For each listing (the report's `scope=listing` rows):

- a definite verdict (ok, gone, moved, changed) becomes a `checked` row: the day, and
  the verdict with its page and evidence as the reason, so `show` can say when the
  listing was last confirmed and how;
- `gone`, or `changed` because the page no longer mentions ketamine, also becomes a
  demotion, `set_status unverified`; `changed` because the page announces closing becomes
  `set_status closed` (quote in the reason) — each dated;
- a page with almost no text (drawn by JavaScript?) is listed for a person to open;
- `moved` is not a demotion by itself (a chain's new site is not a closure): it is
  listed on stderr for a person to follow;
- `unreachable` and `blocked` change nothing: a site that didn't answer is not evidence.

Nothing is written unless --append is given, and rows already in edits.csv are not
added twice. Run `python scripts/build_clinics.py` afterwards; commit both.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from clinicfinder.records.vocab import counted  # noqa: E402

EDITS = REPO / "data" / "sources" / "edits.csv"
CLINICS = REPO / "data" / "clinics.csv"
EDIT_COLUMNS = ("record", "action", "value", "reason")
MAX_REASON = 300


def _cell(value: str) -> str:
    """A report cell as written, without the quote that keeps spreadsheets from running it."""
    return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@") else value


def edits_for(
    report: list[dict[str, str]], known: set[str]
) -> tuple[list[dict[str, str]], list[str]]:
    """(the edit rows, what a person should look at by hand)."""
    rows: list[dict[str, str]] = []
    review: list[str] = []
    for r in (r for r in report if r.get("scope") == "listing"):
        listing, verdict = r["listing"], r["verdict"]
        day, page, evidence = r["checked"], _cell(r["page"]), _cell(r["evidence"])
        if verdict not in ("ok", "gone", "moved", "changed"):
            continue
        if listing not in known:
            review.append(f"{listing}: not a bundled listing; skipped")
            continue
        if "drawn by JavaScript?" in evidence:
            review.append(f"{listing}: {page} has almost no text; open it in a browser")
            continue
        how = f"{verdict}: {page} {evidence}"[:MAX_REASON]
        if verdict == "gone":
            why = f"recheck {day}: {page} is gone ({evidence})"
            rows.append(_edit(listing, "set_status", "unverified", why))
        elif verdict == "changed":
            closing = "announces closing" in evidence
            why = f"recheck {day}: {page} " + (
                evidence if closing else "no longer mentions ketamine"
            )
            rows.append(_edit(listing, "set_status", "closed" if closing else "unverified", why))
        elif verdict == "moved":
            review.append(f"{listing}: {page} {evidence}; follow it by hand")
        rows.append(_edit(listing, "checked", day, how))
    return rows, review


def _edit(record: str, action: str, value: str, reason: str) -> dict[str, str]:
    return {"record": record, "action": action, "value": value, "reason": reason[:MAX_REASON]}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", type=Path, help="a CSV report of data recheck --bundled")
    parser.add_argument("--append", action="store_true", help="add the rows to edits.csv")
    parser.add_argument("--edits", type=Path, default=EDITS, help=argparse.SUPPRESS)
    parser.add_argument("--clinics", type=Path, default=CLINICS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    report = _read(args.report)
    if report and "scope" not in report[0]:
        print(f"{args.report}: not a data recheck CSV report", file=sys.stderr)
        return 2
    known = {r["id"] for r in _read(args.clinics)}
    rows, review = edits_for(report, known)
    have = {tuple(r[c] for c in EDIT_COLUMNS) for r in _read(args.edits)}
    new = [r for r in rows if tuple(r[c] for c in EDIT_COLUMNS) not in have]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EDIT_COLUMNS, lineterminator="\n")
    writer.writerows(new)
    if args.append:
        text = args.edits.read_text(encoding="utf-8")
        args.edits.write_text(text + ("" if text.endswith("\n") else "\n") + buffer.getvalue(),
                              encoding="utf-8")  # fmt: skip
    else:
        sys.stdout.write(buffer.getvalue())
    for line in review:
        print("review:", line, file=sys.stderr)
    demoted = sum(r["action"] == "set_status" for r in new)
    done = "added to " + str(args.edits) if args.append else "printed"
    print(f"{counted(len(new), 'row')} {done}: {counted(demoted, 'demotion')}, "
          f"{counted(len(new) - demoted, 'check')}", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
