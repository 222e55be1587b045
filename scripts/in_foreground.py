#!/usr/bin/env python3
"""Run a command as the terminal's foreground process group, so Ctrl-C reaches it and not `make`.

    python scripts/in_foreground.py honcho start --procfile Procfile

Without this, Ctrl-C in `make run` interrupts make itself as well as honcho: honcho stops web,
worker, beat and the broker cleanly, but make then reports "Interrupt" or "Error 130". Here the
command gets a process group of its own and the terminal's keyboard signals; when it stops after
Ctrl-C (honcho exits 130), this script gives the terminal back and exits 0, so a clean stop is
quiet. Any other exit code is passed on, so a process that died still shows as an error. Without a
terminal (CI, a pipe) the command simply runs. Standard library only.
"""

import contextlib
import os
import signal
import subprocess
import sys

STOPPED_BY_CTRL_C = (130, -signal.SIGINT)


def main(command: list[str]) -> int:
    if not command:
        print("usage: in_foreground.py COMMAND [ARG...]", file=sys.stderr)
        return 2
    terminal = _terminal()
    child = subprocess.Popen(command, process_group=0)
    if terminal is not None:
        # Taking the terminal for another group from the background would stop this process.
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        with contextlib.suppress(OSError):
            os.tcsetpgrp(terminal, child.pid)
    # Signals sent to this process (a kill, a hang-up) are passed on to the command.
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, lambda signum, _frame: child.send_signal(signum))
    code = child.wait()
    if terminal is not None:
        with contextlib.suppress(OSError):
            os.tcsetpgrp(terminal, os.getpgrp())
    return 0 if code in STOPPED_BY_CTRL_C else code


def _terminal() -> int | None:
    try:
        terminal = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return None
    try:
        if os.tcgetpgrp(terminal) != os.getpgrp():
            return None  # started in the background: leave the terminal alone
    except OSError:
        return None
    return terminal


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
