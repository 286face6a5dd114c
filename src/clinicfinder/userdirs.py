"""Where clinicfinder keeps the user's settings and its caches (XDG conventions)."""

from __future__ import annotations

import os
from pathlib import Path


def _base(override: str, xdg: str, fallback: str) -> Path:
    if os.environ.get(override):
        return Path(os.environ[override])
    return Path(os.environ.get(xdg) or Path.home() / fallback) / "clinicfinder"


def config_dir() -> Path:
    """$CLINICFINDER_CONFIG_DIR, else $XDG_CONFIG_HOME/clinicfinder, else ~/.config/clinicfinder."""
    return _base("CLINICFINDER_CONFIG_DIR", "XDG_CONFIG_HOME", ".config")


def cache_dir() -> Path:
    """$CLINICFINDER_CACHE_DIR, else $XDG_CACHE_HOME/clinicfinder, else ~/.cache/clinicfinder."""
    return _base("CLINICFINDER_CACHE_DIR", "XDG_CACHE_HOME", ".cache")


def atomic_write(path: Path, data: bytes, mode: int = 0o666) -> None:
    """Write a file so readers see the old or the new content, never half of either.

    `mode` is filtered by the umask, as for any new file (mkstemp alone gives 0600).
    """
    import tempfile  # ~1.5 ms; only writers pay for it

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, mode & ~umask)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
