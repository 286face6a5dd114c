"""The command line's root: the app, its commands gathered from the modules beside this one,
and the entry points. Each command module parses and renders; the core does the rest."""

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from clinicfinder import __version__
from clinicfinder.cli.boundary import Group, RunState, prepare_streams, report
from clinicfinder.errors import ExitCode

HELP = (
    "Find ketamine and esketamine (Spravato) clinics near a place — offline and private: "
    "your search never leaves this machine.\n\n"
    "Not medical advice. In a crisis, call or text 988 (US)."
)
EPILOG = (
    "Examples:\n\n\b\n"
    "  clinicfinder near Wichita, KS\n"
    "  clinicfinder near 67202 --json | jq '.results[].name'\n"
    "  clinicfinder about ketamine\n"
    "  clinicfinder config set location 'Wichita, KS'"
)
# Each command, and the module that defines it: a run builds only the command it was
# asked for (Typer turns every registered command into a click command on each run).
COMMANDS = {
    "near": ("search", "near"),
    "show": ("search", "show"),
    "about": ("topics", "about"),
    "regions": ("regions", "regions"),
    "export": ("export", "export"),
    "geocode": ("search", "geocode"),
    "schema": ("data", "schema"),
}
GROUPS = {
    "data": ("data", "data_app"),
    "config": ("settings", "config_app"),
    "cache": ("settings", "cache_app"),
}


def _member(module: str, name: str) -> Any:
    return getattr(importlib.import_module(f"clinicfinder.cli.{module}"), name)


def build_app(only: str | None = None) -> typer.Typer:
    """The command line: every command, or only `only` (what a normal run needs)."""
    root = typer.Typer(
        cls=Group,
        name="clinicfinder",
        help=HELP,
        epilog=EPILOG,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    root.callback()(_root)
    for name, (module, attr) in COMMANDS.items():
        if only in (None, name):
            root.command(name)(_member(module, attr))
    for name, (module, attr) in GROUPS.items():
        if only in (None, name):
            root.add_typer(_member(module, attr), name=name)
    return root


def _wanted(args: Sequence[str]) -> str | None:
    """The command a run asks for, when a partial app can serve it; None builds them all
    (root help, completion, an unknown or misspelt command)."""
    if os.environ.get("_CLINICFINDER_COMPLETE"):
        return None
    first = next((a for a in args if not a.startswith("-")), None)
    if first in COMMANDS or first in GROUPS:
        return first
    return None


def __getattr__(name: str) -> typer.Typer:
    """`app`: the whole command line, built on first use (tests, completion, docs)."""
    if name == "app":
        return build_app()
    raise AttributeError(name)


def _version(value: bool) -> None:
    if value:
        from clinicfinder.cli.boundary import echo

        echo(f"clinicfinder {__version__}")
        raise typer.Exit()


def _debug(ctx: typer.Context, value: bool) -> None:
    if value and isinstance(ctx.obj, RunState):
        ctx.obj.debug = True  # this run only: read by the error boundary and main()


def _no_pager(ctx: typer.Context, value: bool) -> None:
    if value and isinstance(ctx.obj, RunState):
        ctx.obj.no_pager = True  # read when the run's output is shown (_page)


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            callback=_debug,
            is_eager=True,
            help="Show the full traceback if something unexpected goes wrong. "
            "Also CLINICFINDER_DEBUG=1.",
        ),
    ] = False,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            callback=_no_pager,
            help="Print everything at once, never through the pager (also anywhere after "
            "the command, or `config set pager cat`).",
        ),
    ] = False,
) -> None:
    """Find ketamine and esketamine (Spravato) clinics near a place."""


def _run(args: Sequence[str] | None) -> tuple[int, RunState]:
    state = RunState(debug=bool(os.environ.get("CLINICFINDER_DEBUG")))
    if not prepare_streams():
        report("standard output is closed; nothing can be shown")
        return ExitCode.ERROR, state
    given = _no_pager_first(list(sys.argv[1:] if args is None else args))
    command_line = build_app(_wanted(given))
    try:
        code = command_line(given, prog_name="clinicfinder", standalone_mode=False, obj=state)
    finally:
        _page(not state.no_pager)
    return int(code), state


def _no_pager_first(args: list[str]) -> list[str]:
    """`--no-pager` is the root's option, but people type it after the command too."""
    end = args.index("--") if "--" in args else len(args)
    if "--no-pager" not in args[:end]:
        return args
    return ["--no-pager", *(a for a in args[:end] if a != "--no-pager"), *args[end:]]


def _page(enabled: bool) -> None:
    """The run's terminal output, now whole: on the screen, or through the pager."""
    styled = sys.modules.get("clinicfinder.output.styled")
    text = styled.finished() if styled is not None else None
    if not text:
        return
    from clinicfinder.config import Settings, load
    from clinicfinder.errors import ClinicFinderError
    from clinicfinder.output import pager

    try:
        saved = load()
    except ClinicFinderError:
        saved = {}  # a broken config was reported when the command read it, not again here
    pager.show(text, Settings(saved).pager(None if enabled else False))


def run(args: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (for embedding and tests)."""
    return _run(args)[0]


def main() -> None:
    """Console-script entry point: run, flush, and leave without interpreter teardown.

    Tearing down the interpreter (clearing every module, a final garbage
    collection) takes 10-17 ms here, longer than most searches. Nothing of ours
    needs it: files are written before we return and every SQLite connection is
    closed or read-only. So once stdout and stderr are flushed we end the process
    directly. --debug, CLINICFINDER_DEBUG=1 or `python -X dev` keep the normal exit.
    """
    code, state = _run(None)
    if state.debug or sys.flags.dev_mode:
        sys.exit(code)
    code = _flush(code)
    os._exit(code)


def _flush(code: int) -> int:
    """Flush what is buffered; a full disk or closed stream is said in one line."""
    from clinicfinder.cli.boundary import os_error_line, report

    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # the reader left (`| head -1`): nothing more to say
            pass
        except (OSError, ValueError) as exc:
            if isinstance(exc, OSError) and stream is sys.stdout:
                report(os_error_line(exc))
            code = code or ExitCode.ERROR
    return code
