"""make run's helpers: the broker starts and stops cleanly, and a worker that dies is started again."""

import signal
import subprocess
import sys
import time

import redis

from tests.conftest import ROOT, wait_until

# Exits at once the first time it runs, then stays up: a worker that died once.
DIES_ONCE = """
import pathlib, sys, time
runs = pathlib.Path(sys.argv[1])
count = int(runs.read_text()) if runs.exists() else 0
runs.write_text(str(count + 1))
sys.exit(1) if count == 0 else time.sleep(60)
"""


def test_keep_running_starts_a_dead_command_again_and_stops_with_it(tmp_path):
    runs = tmp_path / "runs"
    keeper = subprocess.Popen(
        [sys.executable, "scripts/keep_running.py", sys.executable, "-c", DIES_ONCE, str(runs)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(lambda: runs.exists() and runs.read_text() == "2", timeout=20, what="the second start")
        keeper.send_signal(signal.SIGTERM)
        code = keeper.wait(timeout=20)
    finally:
        keeper.kill()
    # Stopped by a signal: its command stopped with it (SIGTERM), and was not started a third time.
    assert code == 128 + signal.SIGTERM
    time.sleep(1.5)
    assert runs.read_text() == "2"
    assert "exited with code 1; starting it again in 1 s" in keeper.stderr.read()


def test_the_broker_answers_on_its_socket_and_stops_cleanly(tmp_path):
    broker = subprocess.Popen(
        [sys.executable, "scripts/run_broker.py"],
        cwd=ROOT,
        env={"TAKEBACK_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = tmp_path / "redis" / "broker.sock"
    try:
        wait_until(socket.exists, timeout=20, what="the broker's socket")
        client = redis.Redis(unix_socket_path=str(socket), socket_timeout=2)
        assert client.ping()
        assert client.config_get("port") == {"port": "0"}  # no TCP listener
        client.close()
        broker.send_signal(signal.SIGTERM)
        assert broker.wait(timeout=20) == 0
    finally:
        broker.kill()
