"""The pager: output longer than the screen is shown a page at a time, as git and gh do.

Only at a terminal (never in a pipe). The command is the `pager` setting as
config.Settings resolves it ($CLINICFINDER_PAGER, else `config set pager`), else
$PAGER, else `less -FRX` (quit if it fits, keep colours, leave the text on the
screen afterwards); `--no-pager`, or a pager of "", `cat` or `off`, turns it off.
Output that fits the screen is written straight away, so short answers start no
process.
"""

from __future__ import annotations

import os
import sys

DEFAULT = "less -FRX"
OFF = ("", "cat", "false", "off", "no", "0", "none")


def command(setting: str | None) -> str | None:
    """The pager to run, or None for none. `setting`: Settings' answer (None: off; "on":
    $PAGER, else the default; else the command itself)."""
    if setting is None:
        return None
    if setting != "on":
        return setting
    chosen = os.environ.get("PAGER")
    if chosen is None:
        return DEFAULT
    return None if chosen.strip().lower() in OFF else chosen.strip()


def show(text: str, setting: str | None) -> None:
    """Write a run's terminal output: through the pager when it is longer than the screen."""
    import shutil

    from clinicfinder.output.styled import write_laid_out

    rows = shutil.get_terminal_size().lines
    pager = command(setting)
    if pager is None or text.count("\n") < rows or not _through(pager, text):
        write_laid_out(text)


def _through(pager: str, text: str) -> bool:
    """Run the pager on the text; False if it could not start (then it is printed)."""
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git: `PAGER=less` behaves like the default
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    try:  # a plain command runs directly (no shell to start); pipes, quotes etc. need one
        if set(pager) & set("|&;<>()$`\\\"'*?[#~=%"):
            proc = subprocess.Popen(pager, shell=True, stdin=subprocess.PIPE, env=env)
        else:
            proc = subprocess.Popen(pager.split(), stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert proc.stdin is not None
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        proc.stdin.write(text.encode(encoding, "backslashreplace"))
        proc.stdin.close()
    except BrokenPipeError:  # the reader quit before the end: that's fine
        pass
    while True:
        try:
            code = proc.wait()
            break
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager while it runs
            continue
    return code != 127  # the shell found no such command: print instead
