#!/usr/bin/env python3
"""Keep one command running: start it again whenever it exits by itself.

    python scripts/keep_running.py celery -A campaign worker ...

For `make run` under honcho, which stops every process as soon as one of them exits: a worker that
dies (a broker outage, an unrecoverable error) is restarted here instead, after a pause that starts at
1 s and doubles up to 30 s while it keeps dying within a minute of starting.  SIGTERM, SIGINT and SIGHUP
are passed on to the command as SIGTERM (Celery's warm shutdown); once one has been received the command is not restarted, and this script
exits with the command's exit code, so Ctrl-C in honcho still stops everything.
Standard library only.
"""

import signal
import subprocess
import sys
import time

FIRST_PAUSE, MAX_PAUSE, HEALTHY_AFTER = 1.0, 30.0, 60.0


def main(command: list[str]) -> int:
    if not command:
        print("usage: keep_running.py COMMAND [ARG...]", file=sys.stderr)
        return 2
    stopping = False
    child: subprocess.Popen | None = None

    def forward(signum, _frame):
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            # SIGTERM whatever came in: a second SIGINT would make Celery shut down cold.
            child.send_signal(signal.SIGTERM)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)

    pause = FIRST_PAUSE
    while True:
        started = time.monotonic()
        child = subprocess.Popen(command)  # noqa: S603
        code = child.wait()
        if stopping:
            return _exit_status(code)
        if time.monotonic() - started >= HEALTHY_AFTER:
            pause = FIRST_PAUSE
        print(
            f"keep_running: {command[0]} exited with code {code}; starting it again in {pause:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        deadline = time.monotonic() + pause
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.1)
        if stopping:
            return _exit_status(code)
        pause = min(pause * 2, MAX_PAUSE)


def _exit_status(code: int) -> int:
    # A command killed by a signal: the shell's 128 + signal number (a negative exit would wrap).
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
