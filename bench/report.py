"""How a benchmark reports a figure: the measurement, its baseline from the same run, the ratio and
the target. `python -m bench` collects every module's figures (through the file named by
TAKEBACK_BENCH_RESULTS) and prints them together at the end."""

import json
import os
from dataclasses import asdict, dataclass

RESULTS_FILE_VARIABLE = "TAKEBACK_BENCH_RESULTS"


@dataclass(frozen=True)
class Comparison:
    bench: str
    case: str
    unit: str
    measured: float
    baseline_name: str
    baseline: float
    target_ratio: float
    # A further condition of the target (e.g. a latency bound), already judged by the benchmark.
    extra_target: str = ""
    extra_met: bool = True
    detail: str = ""

    @property
    def ratio(self) -> float:
        return self.measured / self.baseline if self.baseline else 0.0

    @property
    def ratio_met(self) -> bool:
        return self.ratio >= self.target_ratio

    @property
    def met(self) -> bool:
        return self.ratio_met and self.extra_met

    def line(self) -> str:
        verdicts = f"ratio >= {self.target_ratio:.2f}: {'met' if self.ratio_met else 'MISSED'}"
        if self.extra_target:
            verdicts += f"; {self.extra_target}: {'met' if self.extra_met else 'MISSED'}"
        return (
            f"{self.bench:<8} {self.case:<12} {self.measured:8.1f} {self.unit:<14} vs {self.baseline_name} "
            f"{self.baseline:8.1f}  ratio {self.ratio:4.2f}  ({verdicts})"
        )


def record(comparison: Comparison) -> None:
    print(comparison.line(), flush=True)
    if comparison.detail:
        print(f"{'':22}{comparison.detail}", flush=True)
    path = os.environ.get(RESULTS_FILE_VARIABLE)
    if path:
        with open(path, "a") as results:
            results.write(json.dumps(asdict(comparison)) + "\n")


def read_results(path: str) -> list[Comparison]:
    with open(path) as results:
        return [Comparison(**json.loads(line)) for line in results if line.strip()]
