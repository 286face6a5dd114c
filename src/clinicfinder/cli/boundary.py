"""The single boundary where every failure becomes one stderr line and an exit code.

Nothing here is process-wide: whether to show tracebacks (``--debug``) lives in
the run's own state, handed to the command context as ``ctx.obj``.
"""

import contextlib
import errno
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.core import TyperGroup

from clinicfinder.cli import compat
from clinicfinder.errors import ClinicFinderError, ExitCode, Terminated

# An OSError here is the user's machine speaking (full disk, no permission), not a bug.
_OS_TROUBLE = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO}


@dataclass
class RunState:
    """What one run of the command line knows about itself."""

    debug: bool = False
    no_pager: bool = False  # --no-pager: print the output whole, never through the pager


def prepare_streams() -> bool:
    """Make output survive odd environments; False when standard output is closed.

    An ASCII-only or otherwise narrow stream escapes what it can't encode (JSON stays
    valid: the escapes are JSON's own); a closed stderr is replaced by /dev/null.
    """
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if stream is not None and encoding not in ("utf8", "utf16", "utf32"):
            with contextlib.suppress(AttributeError, ValueError):
                stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    return sys.stdout is not None


def safe_line(text: str) -> str:
    """Text that can't move the cursor and survives an ASCII-only stream."""
    from clinicfinder.safetext import one_line

    line = one_line(text)
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    return line.encode(encoding, "backslashreplace").decode(encoding, "replace")


def report(message: str, hint: str | None = None) -> None:
    """One line for the person, and a hint when there is something to try."""
    line = f"clinicfinder: error: {message}"
    if hint:
        line += f" ({hint})"
    with contextlib.suppress(OSError, ValueError):  # stderr closed: nowhere left to say it
        sys.stderr.write(safe_line(line) + "\n")


def warn(message: str) -> None:
    """A non-fatal line on stderr (notes, progress summaries)."""
    say(f"clinicfinder: {message}")


def say(line: str) -> None:
    """One line on stderr, as it is (a command's own report: `saved units in …`)."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(safe_line(line) + "\n")


def deliver(
    text: str, out: Path | None, inputs: Sequence[Path] = (), *, as_json: bool = False
) -> None:
    """Where a format's text goes: standard output, or the file the user named (written
    whole, never over an input). The same one rule escapes both (JSON by its own escapes)."""
    from clinicfinder.output.text import write
    from clinicfinder.safetext import json_visible, visible

    if out is None:
        write(text, as_json=as_json)
    else:
        from clinicfinder.userdirs import write_output

        escaped = json_visible(text) if as_json else visible(text)
        write_output(out, escaped.encode("utf-8"), inputs)


def echo(text: str) -> None:
    """Text for standard output that the user asked for (a setting's value, a path)."""
    from clinicfinder.output.text import write

    write(text + "\n")


def os_error_line(exc: OSError) -> str:
    where = exc.filename if exc.filename is not None else "output"
    if where == "output" and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        where = "standard output"
    return f"{where}: {exc.strerror or exc}"


def run_guarded(call: Callable[[], Any], state: RunState | None = None) -> int:
    """Call `call`; every failure becomes one stderr line and an exit code."""
    click_errors = compat.click_errors()
    state = state or RunState()
    try:
        result = call()
        return result if isinstance(result, int) else ExitCode.OK
    except ClinicFinderError as exc:
        report(exc.message, exc.hint)
        return exc.exit_code
    except click_errors.NoArgsIsHelpError as exc:  # a bare `clinicfinder`: show the help
        exc.show()
        return ExitCode.USAGE
    except click_errors.UsageError as exc:
        hint = "see --help"
        if exc.ctx is not None:
            hint = f"see '{exc.ctx.command_path} --help'"
        option = getattr(exc, "option_name", "") or ""
        if isinstance(exc, click_errors.NoSuchOption) and option[1:2].isdigit():
            hint = "coordinates that start with '-' need -- before them: near -- '-33.9,151.2'"
        report(exc.format_message(), hint)
        return ExitCode.USAGE
    except click_errors.ClickException as exc:
        report(exc.format_message())
        return int(exc.exit_code)
    except KeyboardInterrupt:
        report("interrupted")
        return ExitCode.INTERRUPTED
    except Terminated:  # SIGTERM mid-write: the file was left as it was, no temporary behind
        report("terminated while writing a file; it was left as it was")
        return ExitCode.TERMINATED
    except BrokenPipeError:
        # The reader went away (e.g. `| head -1`): nothing left to say to it.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.OK
    except OSError as exc:
        if state.debug:
            raise
        if exc.errno in _OS_TROUBLE or exc.filename is not None:
            report(os_error_line(exc))
            return ExitCode.ERROR
        return _unexpected(exc)
    except Exception as exc:  # the last resort: never a traceback for a person
        if state.debug:
            raise
        return _unexpected(exc)


def _unexpected(exc: BaseException) -> int:
    report(
        f"unexpected {type(exc).__name__}: {exc}",
        "this is a bug: run again with --debug for details, and please report it",
    )
    return ExitCode.ERROR


class Group(TyperGroup):
    """Typer's group, with errors reported in one line instead of a box."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        from clinicfinder.cli.argv import prepare

        state = extra.pop("obj", None) or RunState()
        args = prepare(sys.argv[1:] if args is None else args)  # as people type them
        code = run_guarded(
            lambda: compat.group_main(
                self, args, prog_name or "clinicfinder", complete_var=complete_var, obj=state,
                **extra,
            ),
            state,
        )  # fmt: skip
        if standalone_mode:
            sys.exit(code)
        return code

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Each command's first sentence whole: click cuts it with "..." to fit one line
        ("for a condition or a..."), which says less than a sentence that wraps."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, first_sentence(command.short_help or command.help or "")))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def first_sentence(help_text: str) -> str:
    """The help's first paragraph up to its first full stop, on one line."""
    words = help_text.strip().split("\n\n")[0].split()
    for i, word in enumerate(words):
        if word.endswith("."):
            return " ".join(words[: i + 1])
    return " ".join(words)
