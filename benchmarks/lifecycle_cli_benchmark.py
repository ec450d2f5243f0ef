"""Time `churn-analytics lifecycle` on a synthetic fitness club, from exports, without a site.

Writes the fitness sample (``churn-analytics sample --vertical fitness``) for the given number of
customers (or reuses it with --keep), then runs the lifecycle segmentation on it in fresh processes
and prints, per run, the wall time, the CPU time and the peak memory.

    python benchmarks/lifecycle_cli_benchmark.py [--customers 100000] [--runs 3] [--keep DIR]

Target on a 2-core machine, even a busy one: 100,000 customers (about 2.8 million visits) in under 10 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = "2026-06-30"


def cli(*args: str) -> list[str]:
	return [
		sys.executable,
		"-c",
		"import sys; from churn_management.cli import main; sys.exit(main())",
		*args,
	]


def children_cpu() -> float:
	usage = resource.getrusage(resource.RUSAGE_CHILDREN)
	return usage.ru_utime + usage.ru_stime


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--customers", type=int, default=100_000)
	parser.add_argument("--runs", type=int, default=3)
	parser.add_argument("--keep", type=Path, help="keep the sample in this folder (and reuse it)")
	args = parser.parse_args()
	with tempfile.TemporaryDirectory() as tmp:
		folder = (args.keep or Path(tmp)) / f"fitness-{args.customers}"
		if not (folder / "visits.csv").is_file():
			subprocess.run(
				cli(
					"sample",
					"--vertical",
					"fitness",
					"--customers",
					str(args.customers),
					"--out",
					str(folder),
				),
				check=True,
				capture_output=True,
			)
		visits = sum(1 for _line in (folder / "visits.csv").open("rb")) - 1
		print(f"{args.customers:,} customers, {visits:,} visits")
		print(f"{'run':>4} {'wall s':>7} {'CPU s':>6} {'peak GB':>8}  load")
		for run in range(1, args.runs + 1):
			out = Path(tmp) / f"lifecycle-{run}.xlsx"
			started, cpu = time.perf_counter(), children_cpu()
			subprocess.run(
				cli("lifecycle", str(folder), "--as-of", AS_OF, "--out", str(out), "--quiet"),
				check=True,
				capture_output=True,
			)
			wall, cpu = time.perf_counter() - started, children_cpu() - cpu
			peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
			print(f"{run:>4} {wall:>7.1f} {cpu:>6.1f} {peak:>8.2f}  {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
	main()
