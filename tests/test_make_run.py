"""`make run` as a developer runs it, in a terminal: 300 supporters submit and confirm at once,
every letter goes out exactly once, no process dies, no signed link reaches its log, and Ctrl-C
stops everything with exit code 0 and no error from make."""

import email
import fcntl
import os
import re
import sqlite3
import subprocess
import sys
import termios
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, free_port, wait_until
from tests.processes import OpenPage

SUPPORTERS = 300


class MakeRun:
    """`make run` on a terminal of its own (a pty), its output collected."""

    def __init__(self, var_dir: Path, port: int):
        self.port = port
        self.var_dir = var_dir
        master, slave = os.openpty()
        self.master = master
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "CELERY_TASK_DEFAULT_QUEUE", "MAKEFLAGS"}
        }
        environment.update(
            TAKEBACK_VAR_DIR=str(var_dir),
            TAKEBACK_PORT=str(port),
            SITE_URL=f"http://127.0.0.1:{port}",
            # Hundreds of supporters from one address, as behind a load balancer.
            TAKEBACK_RATELIMIT_PER_CLIENT="100000/m",
            TAKEBACK_RATELIMIT_PER_EMAIL="100000/m",
        )
        self.process = subprocess.Popen(
            # The venv running the suite, so make installs nothing.
            ["make", "run", f"VENV={sys.prefix}"],
            cwd=ROOT,
            env=environment,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),  # noqa: PLW1509  (the pty becomes its terminal)
        )
        os.close(slave)
        self.chunks: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.chunks.append(chunk)

    @property
    def output(self) -> str:
        return b"".join(self.chunks).decode("utf-8", "replace")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ctrl_c(self) -> int:
        os.write(self.master, b"\x03")
        return self.process.wait(timeout=60)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 9)


def mail(var_dir: Path) -> list[email.message.Message]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted((var_dir / "mail").glob("*.eml"))
    ]


def supporter(number: int) -> dict:
    return {
        "first_name": "Supporter",
        "last_name": f"Number{'abcdefghij'[number % 10]}",
        "email": f"supporter{number}@example.org",
        "jurisdiction": "CA-ON",
        "kind": "access_and_deletion",
        "consent": "on",
    }


@pytest.mark.processes
def test_make_run_takes_300_supporters_at_once_and_stops_cleanly_on_ctrl_c(tmp_path):
    run = MakeRun(tmp_path / "var", free_port())
    try:
        wait_until(
            lambda: (
                b'"broker": "ok"' in requests.get(run.url + "/healthz", timeout=5).content
                if "ready." in run.output
                else False
            ),
            timeout=180,
            interval=1,
            what=f"make run to serve the site:\n{run.output[-3000:]}",
        )
        # The drip would space 300 letters over ten minutes; this test is about the burst.
        with sqlite3.connect(tmp_path / "var" / "takeback.sqlite3", timeout=20) as database:
            database.execute("UPDATE campaign_target SET letters_per_minute = 1000000")

        def submit(number: int) -> int:
            return OpenPage(run.url + "/en/c/clearview/", timeout=120).post(supporter(number)).status_code

        with ThreadPoolExecutor(max_workers=32) as pool:
            answers = Counter(pool.map(submit, range(SUPPORTERS)))
        assert answers == {302: SUPPORTERS}, run.output[-6000:]

        def confirmation_links() -> list[str]:
            links = [
                re.search(r"http://127\.0\.0\.1:\d+(/en/r/confirm/\S+/)", message.get_content()).group(1)
                for message in mail(run.var_dir)
                if "Cc" not in message
            ]
            return links if len(links) >= SUPPORTERS else []

        links = wait_until(confirmation_links, timeout=300, interval=1, what="300 confirmation emails")
        assert len(links) == SUPPORTERS

        def confirm(link: str) -> str:
            response = OpenPage(run.url + link, timeout=120).post({})
            assert response.status_code == 302, response.status_code
            return response.headers["Location"]

        with ThreadPoolExecutor(max_workers=32) as pool:
            thanks = list(pool.map(confirm, links))

        def letters() -> list:
            found = [message for message in mail(run.var_dir) if "Cc" in message]
            return found if len(found) >= SUPPORTERS else []

        sent = wait_until(letters, timeout=300, interval=1, what="300 letters")
        time.sleep(3)  # anything sent twice would show now
        sent = letters()
        assert len(sent) == SUPPORTERS
        assert sorted(message["Cc"] for message in sent) == sorted(
            f"supporter{n}@example.org" for n in range(SUPPORTERS)
        )
        assert set(Counter(message["Message-ID"] for message in sent).values()) == {1}
        with sqlite3.connect(tmp_path / "var" / "takeback.sqlite3", timeout=20) as database:
            statuses = dict(database.execute("SELECT status, count(*) FROM requests_app_datarequest GROUP BY status"))
        assert statuses == {"sent": SUPPORTERS}

        before_stop = run.output
        for died in ("Unrecoverable error", "keep_running:", "Traceback", "stopped (rc="):
            assert died not in before_stop, f"{died}:\n{before_stop[-4000:]}"
        # No signed link in runserver's, the worker's or beat's output.
        signatures = [link.strip("/").rpartition("/")[2].rpartition(":")[2] for link in links + thanks]
        assert not [signature for signature in signatures if signature in before_stop]
        assert "/en/r/confirm/<token>/" in before_stop

        assert run.ctrl_c() == 0, run.output[-3000:]
        stopped = run.output[len(before_stop) :]
        assert "Error" not in stopped and "Interrupt" not in stopped, stopped
    finally:
        run.kill()
