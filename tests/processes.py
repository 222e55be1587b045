"""Real processes for the fault tests: a private Redis, a Redis that never answers, a gunicorn web
server, and an HTTP client that fills the form the way a browser does."""

import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import requests

from tests.conftest import ROOT, free_port


class PrivateRedis:
    """A redis-server of the test's own on its own port, so outages never touch the shared one."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class SilentServer:
    """Accepts TCP connections and never says a word: a hung Redis."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.connections:
            connection.close()


class WebServer:
    """gunicorn serving the site from the test database, configured by environment like production."""

    def __init__(self, environment: dict):
        self.port = free_port()
        # Its errors are kept in a file: a failing test can print them.
        self.log = tempfile.NamedTemporaryFile(prefix="takeback-web-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "8",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return Path(self.log.name).read_text()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"Nothing listens on port {port} after {timeout} s")


class OpenPage:
    """A page opened as a browser would: its cookies and CSRF token if it has one (the campaign page
    has none: the browser's Origin header protects it), ready for a POST."""

    def __init__(self, url: str, *, timeout: float = 30):
        self.url = url
        self.timeout = timeout
        self.session = requests.Session()
        page = self.session.get(url, timeout=timeout)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.token_field = {"csrfmiddlewaretoken": token.group(1)} if token else {}

    def post(self, fields: dict) -> requests.Response:
        origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(self.url))
        return self.session.post(
            self.url,
            data={**fields, **self.token_field},
            headers={"Referer": self.url, "Origin": origin},
            allow_redirects=False,
            timeout=self.timeout,
        )


def post_like_a_browser(url: str, fields: dict, *, timeout: float = 30) -> requests.Response:
    """GET the page (for its CSRF token, if it has one), then POST the fields to it."""
    return OpenPage(url, timeout=timeout).post(fields)


def submit_form(base_url: str, form: dict, *, timeout: float = 30) -> requests.Response:
    return post_like_a_browser(f"{base_url}/en/c/clearview/", form, timeout=timeout)
