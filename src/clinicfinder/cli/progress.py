"""Progress on long work, drawn by the command line and handed down as a callback.

The core reports "one more done" through the callback and never draws; here a
Rich bar goes to stderr at a terminal, and nothing is drawn in a pipe or a log.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Advance = Callable[[int, int], None]  # (done, total)


@contextmanager
def progress_bar(label: str, *, lines: bool = False) -> Iterator[Advance]:
    """A bar at a terminal; in a pipe or a log, nothing, or with `lines` one line a step
    (for long jobs that run unattended, such as `data update` from cron)."""
    import sys

    if not sys.stderr.isatty():
        from clinicfinder.cli.boundary import say

        def line(done: int, total: int) -> None:
            say(f"{label}: {done} of {total}")

        yield line if lines else (lambda done, total: None)
        return
    from rich.progress import Progress

    from clinicfinder.output.styled import console

    with Progress(console=console(stderr=True).as_rich(), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
