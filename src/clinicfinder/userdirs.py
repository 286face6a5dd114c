"""Where clinicfinder keeps the user's settings and its caches (XDG conventions)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from clinicfinder.errors import Terminated


def home() -> Path | None:
    """The user's home folder; None where there is none (no $HOME and no passwd entry)."""
    try:
        return Path.home()
    except (RuntimeError, KeyError, OSError):
        return None


def _base(override: str, xdg: str, fallback: str) -> Path:
    if os.environ.get(override):
        return Path(os.environ[override])
    if os.environ.get(xdg):
        return Path(os.environ[xdg]) / "clinicfinder"
    found = home()
    if found is None:  # a service account or container without a home: a private temp folder
        import tempfile

        uid = os.getuid() if hasattr(os, "getuid") else 0
        return Path(tempfile.gettempdir()) / f"clinicfinder-{uid}" / fallback.strip(".")
    return found / fallback / "clinicfinder"


def config_dir() -> Path:
    """$CLINICFINDER_CONFIG_DIR, else $XDG_CONFIG_HOME/clinicfinder, else ~/.config/clinicfinder."""
    return _base("CLINICFINDER_CONFIG_DIR", "XDG_CONFIG_HOME", ".config")


def cache_dir() -> Path:
    """$CLINICFINDER_CACHE_DIR, else $XDG_CACHE_HOME/clinicfinder, else ~/.cache/clinicfinder."""
    return _base("CLINICFINDER_CACHE_DIR", "XDG_CACHE_HOME", ".cache")


def data_dir() -> Path:
    """$CLINICFINDER_DATA_DIR, else $XDG_DATA_HOME/clinicfinder, else
    ~/.local/share/clinicfinder: data the user fetched (`data update`), which a cache
    clear must not lose."""
    return _base("CLINICFINDER_DATA_DIR", "XDG_DATA_HOME", ".local/share")


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write a file so readers see the old or the new content, never half of either.

    A symlink is written through to its target (the link stays a link); an
    existing file keeps its mode, a new one gets 0666 less the umask (mkstemp
    alone gives 0600). A SIGTERM during the write leaves no temporary file.
    """
    import tempfile  # ~1.5 ms; only writers pay for it

    target = Path(os.path.realpath(path))
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    target.parent.mkdir(parents=True, exist_ok=True)
    with _terminate_as_exception():
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-")
        try:
            os.fchmod(fd, mode)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


@contextmanager
def _terminate_as_exception() -> Iterator[None]:
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def write_output(path: Path, data: bytes, inputs: Sequence[Path] = ()) -> None:
    """Write a file the user asked for, never replacing or clobbering what they had.

    A symlink is followed to its target; a device or FIFO (/dev/null, a named
    pipe) is written in place, never turned into a regular file; any other
    non-regular path, or one that is also an input of the command, is refused.
    """
    from clinicfinder.errors import ClinicFinderError

    try:
        _write_output(path, data, inputs)
    except OSError as exc:
        raise ClinicFinderError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _write_output(path: Path, data: bytes, inputs: Sequence[Path]) -> None:
    from clinicfinder.errors import UsageProblem

    target = Path(os.path.realpath(path))
    if is_input(target, inputs):
        raise UsageProblem(f"{path} is also an input of this command; write the output elsewhere")
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
            with open(target, "wb") as f:
                f.write(data)
            return
        raise UsageProblem(f"{path} is not a regular file; give a file name to write to")
    atomic_write(target, data)


def is_input(path: Path, inputs: Sequence[Path]) -> bool:
    """Whether `path` is the same file as one of a command's inputs (the one check:
    links, relative names and hard links all count as the same file)."""
    for source in inputs:
        try:
            if os.path.samefile(source, path):
                return True
        except OSError:
            continue  # an input that isn't there, or an output not written yet
    return False


def unique_files(paths: Sequence[Path]) -> list[Path]:
    """`paths` with each file once, in order: the same file named twice (by
    $CLINICFINDER_DATA and --data, or by a link) is one input, not a clash with itself."""
    seen: set[object] = set()
    out = []
    for path in paths:
        try:
            st = os.stat(path)
            key: object = (st.st_dev, st.st_ino)
        except OSError:
            key = os.path.realpath(path)  # missing: reported when it is read
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def replace_folder(out: Path, files: dict[str, bytes]) -> None:
    """Put a folder holding exactly `files` at `out`, whole or not at all.

    The files are written into a new folder beside `out`, which takes `out`'s place by
    rename only once complete. Files of other names already in `out` are moved across
    untouched. On any failure (full disk, SIGTERM) the new folder is removed and `out`
    is as it was.
    """
    import shutil
    import tempfile

    target = Path(os.path.realpath(out))
    target.parent.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    with _terminate_as_exception():
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode) if target.is_dir() else 0o777 & ~umask
            os.chmod(staging, mode)
            for name, data in files.items():
                with open(staging / name, "xb") as f:
                    f.write(data)
            if not target.exists():
                os.rename(staging, target)
                return
            aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
            os.rmdir(aside)  # only its unique name is wanted
            os.rename(target, aside)
            try:
                os.rename(staging, target)
            except BaseException:
                os.rename(aside, target)
                raise
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        for entry in aside.iterdir():  # the user's own files: carried over, never lost
            if entry.name not in files:
                os.rename(entry, target / entry.name)
        shutil.rmtree(aside, ignore_errors=True)


# Exactly the files clinicfinder makes in its cache folder, and nothing else:
# `cache clear` must never touch a file that only looks like one of ours.
# That includes a cache moved aside as corrupt (it still holds searched addresses), an
# index of any version, and the temporary file of an index being built.
INDEX_NAME = r"clinics-[0-9a-f]{16}-[0-9a-f]+-v\d+(-[0-9a-f]{8})?\.sqlite"
_CACHE_FILES = re.compile(
    r"((geocode|hashes|findtreatment|recheck)\.sqlite(\.corrupt-\d+)?"
    rf"|{INDEX_NAME}|\.{INDEX_NAME}\.\d+\.tmp)"
    r"(-journal|-wal|-shm)?"
)


def clear_cache() -> list[Path]:
    """Remove what clinicfinder keeps in its cache folder (only that); returns what went."""
    folder = cache_dir()
    if not folder.is_dir():
        return []
    removed = []
    for path in sorted(folder.iterdir()):
        if _CACHE_FILES.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
