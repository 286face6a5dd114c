"""The user's saved settings (default location, units), kept as a small JSON file.

Location: $CLINICFINDER_CONFIG_DIR, else $XDG_CONFIG_HOME/clinicfinder, else
~/.config/clinicfinder. Writes are atomic, and a file we can't parse is never
overwritten: the user's settings are theirs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from clinicfinder.errors import ConfigError, UsageProblem, brief
from clinicfinder.safetext import clean
from clinicfinder.userdirs import atomic_write, config_dir

KEYS = {
    "location": "where `near` searches from when no LOCATION is given",
    "units": "mi or km: for --radius and the distances shown",
    "online": "true or false: --online by default (the geocoder, and FindTreatment.gov for near)",
    "nominatim_url": "a self-hosted Nominatim server, scheme://host[:port]",
    "pager": "the pager for long output at a terminal ($PAGER, else less -FRX); cat for none",
    "findtreatment_url": "another FindTreatment.gov locator endpoint (a mirror, or a test server)",
}


def truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


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
