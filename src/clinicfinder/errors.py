"""The project's own errors and exit codes.

Core code raises these; the CLI turns each into one line on stderr and an exit
code at a single boundary (``cli/boundary.py``).
"""

from __future__ import annotations

from enum import IntEnum


def brief(text: object, limit: int = 60) -> str:
    """A value quoted for an error message: repr (so control characters show as escapes),
    cut short so a 10,000-character argument can't flood the one line we print."""
    quoted = repr(text)
    return quoted if len(quoted) <= limit else quoted[: limit - 2] + "…" + quoted[-1]


class ExitCode(IntEnum):
    """Every exit status clinicfinder uses, in one place; a test checks that the README
    documents each of them."""

    OK = 0  # success, also when nothing matched
    ERROR = 1  # a failure: unreadable data, unknown clinic, a bug…
    USAGE = 2  # a bad option or value
    GEOCODER_UNAVAILABLE = 3  # --online, and the offline gazetteer couldn't stand in
    LOCATION_NOT_FOUND = 4  # the place couldn't be resolved
    EMPTY = 5  # nothing matched, and --fail-if-empty was given
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM (128 + 15) while a file was being written


class ClinicFinderError(Exception):
    """Root of every error clinicfinder reports to a person."""

    exit_code = ExitCode.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageProblem(ClinicFinderError, ValueError):
    """The command line asked for something impossible (bad radius, unknown route…)."""

    exit_code = ExitCode.USAGE


class LocationNotFound(ClinicFinderError, LookupError):
    """The location text could not be resolved to a place."""

    exit_code = ExitCode.LOCATION_NOT_FOUND


class GeocoderUnavailable(ClinicFinderError, ConnectionError):
    """The online geocoder failed (timeout, refusal, rate limit, server error…)."""

    exit_code = ExitCode.GEOCODER_UNAVAILABLE


class UnknownTopic(ClinicFinderError, LookupError):
    """No condition or treatment topic by that name."""

    exit_code = ExitCode.USAGE


class UnknownClinic(ClinicFinderError, LookupError):
    """No clinic with that id."""


class DataError(ClinicFinderError):
    """A data file is missing or malformed; says where, as ``file:line: reason``."""

    def __init__(self, file: str, line: int | None, reason: str, hint: str | None = None) -> None:
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{where}: {reason}", hint)
        self.file = file
        self.line = line
        self.reason = reason


class ConfigError(ClinicFinderError):
    """The user's config file can't be read or written."""


class Terminated(BaseException):
    """SIGTERM arrived while a file was being written: clean up, then stop (exit 143).
    Here, not in userdirs, so the error boundary needn't import userdirs on every run."""
