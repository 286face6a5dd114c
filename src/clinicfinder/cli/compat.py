"""Every private piece of typer (and the click it vendors) that clinicfinder touches, in one place.

typer 0.28 vendors click as ``typer._click``; its exception classes are how the
error boundary tells a usage error from a bare ``clinicfinder``. A test checks
that each name below exists in the pinned typer, so an upgrade that moves one
fails there, not in a user's terminal.
"""

from collections.abc import Sequence
from typing import Any

from typer.core import TyperGroup

# (module, attribute) pairs this module relies on; tests/test_architecture.py checks them.
USED = (
    ("typer._click.exceptions", "ClickException"),
    ("typer._click.exceptions", "UsageError"),
    ("typer._click.exceptions", "NoSuchOption"),
    ("typer._click.exceptions", "NoArgsIsHelpError"),
    ("typer.core", "TyperGroup"),
)


def click_errors() -> Any:
    """The vendored click's exceptions module (imported only on the error path)."""
    from typer._click import exceptions

    return exceptions


def group_main(group: TyperGroup, args: Sequence[str] | None, prog_name: str, **extra: Any) -> Any:
    """Run the group without click's own exit handling: errors come back to us as exceptions."""
    return TyperGroup.main(group, args=args, prog_name=prog_name, standalone_mode=False, **extra)
