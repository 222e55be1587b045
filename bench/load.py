"""Load on loopback with wrk (Debian's `wrk`), driven by bench/load.lua."""

import json
import shutil
import statistics
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "load.lua"
# Two load threads on a two-core machine; more would only take CPU from the server.
WRK_THREADS = 2


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    # Answers by kind, counted in "mix" mode only: page views (200), accepted submissions (302).
    pages: int = 0
    submissions: int = 0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @classmethod
    def combine(cls, slices: list["LoadResult"]) -> "LoadResult":
        """One measurement from several slices of it: throughput over all of them, and the median
        slice's latency percentiles (wrk reports percentiles per run, not its samples)."""
        return cls(
            requests=sum(part.requests for part in slices),
            seconds=sum(part.seconds for part in slices),
            p50_ms=statistics.median(part.p50_ms for part in slices),
            p99_ms=statistics.median(part.p99_ms for part in slices),
            errors=sum(part.errors for part in slices),
            pages=sum(part.pages for part in slices),
            submissions=sum(part.submissions for part in slices),
        )


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk not found: install it (apt-get install wrk).")
    return path


def run_wrk(url: str, *, connections: int, seconds: int, arguments: list[str]) -> LoadResult:
    completed = subprocess.run(
        [
            require_wrk(),
            f"--threads={min(WRK_THREADS, connections)}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={SCRIPT}",
            url,
            "--",
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = json.loads(completed.stdout.strip().splitlines()[-1])
    errors = sum(summary[key] for key in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    # In mix mode, an answer that is neither a page (200) nor an accepted submission (302) is an
    # error even below 400 (wrk itself counts only 400 and above).
    errors += max(0, summary["other_answers"] - summary["status_errors"])
    return LoadResult(
        requests=summary["requests"],
        seconds=summary["duration_us"] / 1e6,
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        errors=errors,
        pages=summary["pages"],
        submissions=summary["submissions"],
    )


def get_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
