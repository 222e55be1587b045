"""`python -m bench` (what `make bench` runs): every benchmark, each in a process of its own, then all
their figures together with the machine they came from.

Each benchmark is also a command of its own: `.venv/bin/python -m bench.page`, `bench.form`,
`bench.stats`, `bench.spike`, `bench.sending`, `bench.at_scale`.
"""

import importlib.util
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import RESULTS_FILE_VARIABLE, read_results

# In this order. bench.at_scale (the dashboard and the counter at one million requests) comes with
# the organisers' dashboard; until it is there, its line says so and the others run.
BENCHMARKS = ["page", "form", "stats", "spike", "sending", "at_scale"]


def main() -> int:
    started = time.monotonic()
    print(machine(), flush=True)
    failed = []
    with tempfile.TemporaryDirectory(prefix="takeback-bench-results-") as folder:
        results = str(Path(folder) / "results.jsonl")
        for name in BENCHMARKS:
            print(flush=True)
            if importlib.util.find_spec(f"bench.{name}") is None:
                print(f"bench.{name} not present: skipped", flush=True)
                continue
            completed = subprocess.run(
                [sys.executable, "-m", f"bench.{name}"], env={**os.environ, RESULTS_FILE_VARIABLE: results}
            )
            if completed.returncode != 0:
                failed.append(name)
        comparisons = read_results(results) if Path(results).exists() else []
    print(f"\nAll figures ({time.monotonic() - started:.0f} s; load average now {load_average()}):")
    for comparison in comparisons:
        print(comparison.line())
    if failed:
        print(f"FAILED: {', '.join(f'bench.{name}' for name in failed)}")
    return 1 if failed else 0


def machine() -> str:
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
    )
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.machine(),
    )
    return (
        f"Machine: {os.cpu_count()} cores ({model}), {memory_kib / 2**20:.0f} GiB, Python {platform.python_version()}; "
        f"load average {load_average()}"
    )


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
