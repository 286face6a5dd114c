"""The user's settings: one `Settings` resolves each key as flag > environment > config
file > default, and owns each key's validation (`check`, used by `config set` too).

The file: $CLINICFINDER_CONFIG_DIR, else $XDG_CONFIG_HOME/clinicfinder, else
~/.config/clinicfinder, as a small JSON object. Writes are atomic, and a file we can't
parse is never overwritten: the user's settings are theirs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from clinicfinder.errors import ConfigError, UsageProblem, brief
from clinicfinder.safetext import clean
from clinicfinder.userdirs import atomic_write, config_dir

UNITS = ("mi", "km")
PUBLIC_NOMINATIM = "https://nominatim.openstreetmap.org"
PUBLIC_FINDTREATMENT = "https://findtreatment.gov/locator/exportsAsJson/v2"
_ON, _OFF = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class Key(NamedTuple):
    """One setting: its environment variable, its default and what it means."""

    env: str
    default: str | None
    help: str


KEYS: dict[str, Key] = {
    "location": Key(
        "CLINICFINDER_LOCATION", None, "where `near` searches from when no LOCATION is given"
    ),
    "units": Key("CLINICFINDER_UNITS", "mi", "mi or km: for --radius and the distances shown"),
    "radius": Key(
        "CLINICFINDER_RADIUS",
        None,
        "near's radius when --radius isn't given: a number, optionally with mi or km "
        "(50 mi / 80 km if unset)",
    ),
    "online": Key(
        "CLINICFINDER_ONLINE",
        "false",
        "true or false: --online by default (the geocoder, and FindTreatment.gov for near)",
    ),
    "pager": Key(
        "CLINICFINDER_PAGER",
        "on",
        "on, off (or cat), or a command: how output longer than the screen is paged at a "
        "terminal (on: $PAGER, else less -FRX)",
    ),
    "nominatim_url": Key(
        "CLINICFINDER_NOMINATIM_URL",
        PUBLIC_NOMINATIM,
        "a self-hosted Nominatim server, scheme://host[:port]",
    ),
    "findtreatment_url": Key(
        "CLINICFINDER_FINDTREATMENT_URL",
        PUBLIC_FINDTREATMENT,
        "another FindTreatment.gov locator endpoint (a mirror, or a test server)",
    ),
}


def check_server_url(url: str) -> None:
    """Only plain http(s) URLs: scheme://host[:port][/path]; never one with credentials
    (and the refusal never repeats them)."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        parts = None
    if parts is not None and (parts.username or parts.password or "@" in parts.netloc):
        raise UsageProblem(
            "the server URL carries a user name or password; clinicfinder never sends "
            "credentials (it was not saved or used)",
            hint="give scheme://host[:port] only",
        )
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
    ):
        raise UsageProblem(
            f"the server URL {brief(url)} is not scheme://host[:port]",
            hint="e.g. http://localhost:8080 or https://nominatim.example.org",
        )


def config_path() -> Path:
    return config_dir() / "config.json"


def load() -> dict[str, str]:
    """The saved settings; a missing file is an empty config, a broken one an error."""
    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{path}:{exc.lineno}: the config file is not valid JSON ({exc.msg})",
            hint="fix it by hand, or delete it to start over",
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config file should hold a JSON object")
    return {k: clean(str(v)) for k, v in data.items() if k in KEYS}


def check_key(key: str) -> None:
    if key not in KEYS:
        raise UsageProblem(f"unknown setting {brief(key)}", hint="settings: " + ", ".join(KEYS))


def _save(settings: dict[str, str]) -> Path:
    path = config_path()
    text = json.dumps(settings, indent=2, sort_keys=True) + "\n"
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the config file ({exc.strerror or exc})") from None
    return path


@contextmanager
def _locked() -> Iterator[None]:
    """Read-modify-write under an exclusive lock, so parallel writers lose nothing."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, as before
        yield
        return
    path = config_dir() / ".config.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+b")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot lock the config file ({exc.strerror or exc})") from None
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield


def set_value(key: str, value: str) -> Path:
    check_key(key)
    if clean(value) != value:
        raise UsageProblem(
            f"the value for {key} has a control character or line break: {brief(value)}",
            hint="give it as one line of plain text",
        )
    with _locked():
        settings = load()
        settings[key] = value
        return _save(settings)


def unset_value(key: str) -> Path:
    check_key(key)
    with _locked():
        settings = load()
        settings.pop(key, None)
        return _save(settings)


# ---- each key's check: the value as saved, or UsageProblem


def check_units(value: str) -> str:
    units = value.strip().lower()
    if units not in UNITS:
        raise UsageProblem(f"unknown units {brief(value)}", hint="use mi or km")
    return units


def check_online(value: str) -> str:
    """true or false (also 1/0, yes/no, on/off, as an environment variable is often set)."""
    word = value.strip().lower()
    if word not in (*_ON, *_OFF):
        raise UsageProblem(f"online must be true or false, not {brief(value)}")
    return "true" if word in _ON else "false"


def check_pager(value: str) -> str:
    """on, off, or the command to page with (as $PAGER would be given), on one line. As
    with git, an empty pager or `cat` means none."""
    word = " ".join(value.split())
    if word.lower() in _ON:
        return "on"
    if word.lower() in (*_OFF, "", "cat", "none"):
        return "off"
    return word


def check_url(value: str) -> str:
    check_server_url(value)
    return value.strip()


def check_text(key: str, value: str, hint: str | None = None) -> str:
    """Text on one line (what it means is checked where it is used: a place, a distance)."""
    text = " ".join(value.split())
    if not text:
        raise UsageProblem(f"the {key} is empty", hint=hint)
    return text


CHECKS: dict[str, Callable[[str], str]] = {
    "location": lambda value: check_text("location", value, hint="e.g. 'Wichita, KS'"),
    "units": check_units,
    "radius": lambda value: check_text("radius", value),
    "online": check_online,
    "pager": check_pager,
    "nominatim_url": check_url,
    "findtreatment_url": check_url,
}


def check(key: str, value: str) -> str:
    """The value as it will be saved (normalised), or UsageProblem: `config set` uses it."""
    check_key(key)
    return CHECKS[key](value)


class Settings:
    """Every setting for one run, resolved as flag > environment > config file > default.

    Built once per command (`Settings.load`); a broken config file is reported through
    `notify` and ignored, never fatal. A bad value is a usage error naming where it came
    from, so the user knows what to fix.
    """

    def __init__(self, saved: Mapping[str, str], environ: Mapping[str, str] | None = None):
        self.saved = dict(saved)
        self.environ = os.environ if environ is None else environ

    @classmethod
    def load(cls, notify: Callable[[str], None] | None = None) -> Settings:
        try:
            saved = load()
        except ConfigError as exc:
            if notify is not None:
                notify(f"warning: {exc.message}; ignoring it")
            saved = {}
        return cls(saved)

    def source(self, key: str, flag: str | None = None) -> tuple[str | None, str]:
        """(the value, where it came from): the flag, $ENV, the config file, the default."""
        check_key(key)
        env = KEYS[key].env
        from_env = self.environ.get(env)
        if from_env == "" and key != "pager":  # empty is unset (as git, an empty pager is none)
            from_env = None
        for value, where in (
            (flag, "the command line"),
            (from_env, f"${env}"),
            (self.saved.get(key), f"the config file's {key}"),
        ):
            if value is not None:
                return value, where
        return KEYS[key].default, "the default"

    def get(self, key: str, flag: str | None = None) -> str | None:
        """The value, checked (and normalised) as `config set` would."""
        value, where = self.source(key, flag)
        if value is None or where == "the default":
            return value
        try:
            return CHECKS[key](value)
        except UsageProblem as exc:
            hint = exc.hint or ""
            if where != "the command line":
                hint = f"from {where}" + (f"; {hint}" if hint else "")
            raise UsageProblem(exc.message, hint=hint or None) from None

    def location(self, given: str | None = None) -> str | None:
        return self.get("location", given)

    def units(self, given: str | None = None) -> str:
        return self.get("units", given) or "mi"

    def radius(self, given: str | None = None) -> tuple[str, str] | None:
        """near's radius as given ("100", "100 mi", "160 km") and where it came from, for
        the distance parser (places/distance.py) to read and name; None: the default."""
        value = self.get("radius", given)
        return None if value is None else (value, self.source("radius", given)[1])

    def online(self, given: bool | None = None) -> bool:
        return given if given is not None else self.get("online") == "true"

    def pager(self, given: bool | None = None) -> str | None:
        """None: don't page (--no-pager, off); "on": $PAGER, else the default pager; else
        the command to page with."""
        if given is False:
            return None
        value = self.get("pager") or "on"
        return None if value == "off" else value

    def nominatim_url(self) -> str:
        return (self.get("nominatim_url") or PUBLIC_NOMINATIM).rstrip("/")

    def findtreatment_url(self) -> str:
        return self.get("findtreatment_url") or PUBLIC_FINDTREATMENT
