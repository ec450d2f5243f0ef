"""Time `churn-analytics diagnose` on large synthetic exports, against a plain pyarrow read.

For each size (default 100,000 and 1,000,000 customers, 12 invoices each) this script writes the
exports as CSV files (or reuses them with --keep), then, each in a fresh process and on the same
files: reads them with plain pyarrow (``pyarrow.csv.read_csv``, nothing else), and runs the whole
diagnosis (read, check, analyse, write the workbook and the JSON). It prints both times, their
ratio, the diagnosis' CPU time (user + system; steadier than wall time on a shared machine), its
peak memory, rows per second, and the machine's load average (other work slows both runs).

    python benchmarks/diagnose_benchmark.py [--sizes 100000 1000000] [--keep DIR] [--runs N]
    python benchmarks/diagnose_benchmark.py --exports DIR [--runs N]   # e.g. `churn-analytics sample` output

With --runs N each measurement is repeated N times and the median printed with its range.

Target on a 2-core machine: the 1,000,000-customer ISP sample (`churn-analytics sample --vertical isp
--customers 1000000`, 16.4 million rows) in at most 3 times the plain read and 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

AS_OF = "2026-06-30"


def make_exports(n: int, folder: Path, seed: int = 7) -> int:
	"""Customers with 12 monthly invoices each; about 3 % churned voluntarily, 2 % by non-payment."""
	rng = np.random.default_rng(seed)
	as_of = np.datetime64(AS_OF)
	start = as_of - rng.integers(400, 2000, n).astype("timedelta64[D]")
	leaves = rng.random(n) < 0.3
	end = np.where(leaves, start + rng.integers(30, 1500, n).astype("timedelta64[D]"), np.datetime64("NaT"))
	end = np.where(end > as_of, np.datetime64("NaT"), end)
	ids = np.char.add("C", np.arange(n).astype(str))
	tariffs = np.array(["Basic", "Standard", "Premium", "Business"])
	customers = pd.DataFrame(
		{
			"customer_id": ids,
			"start_date": start,
			"end_date": end,
			"customer_type": np.where(rng.random(n) < 0.2, "B2B", "B2C"),
			"territory": rng.choice(["North", "South", "East", "West", "Center"], n),
			"tariff": rng.choice(tariffs, n),
			"monthly_fee": rng.choice([590.0, 990.0, 1490.0, 3500.0], n),
		}
	)
	months = np.arange(12)
	owner = np.repeat(np.arange(n), 12)
	due = (np.datetime64("2025-07-10") + (months * 30).astype("timedelta64[D]"))[np.tile(months, n) % 12]
	late = rng.random(n * 12) < 0.03
	paid = due + np.where(late, rng.integers(20, 200, n * 12), rng.integers(-5, 5, n * 12)).astype(
		"timedelta64[D]"
	)
	paid = np.where(paid > as_of, np.datetime64("NaT"), paid)
	invoices = pd.DataFrame(
		{
			"customer_id": ids[owner],
			"due_date": due,
			"amount": customers["monthly_fee"].to_numpy()[owner],
			"paid_date": paid,
		}
	)
	reasons = np.array(["Price", "Service quality", "Competitor", "Moved away", "No longer needed"])
	left = np.flatnonzero(leaves & ~np.isnat(end))
	terminations = pd.DataFrame(
		{
			"customer_id": ids[left],
			"date": end[left] - np.timedelta64(7, "D"),
			"reason": rng.choice(reasons, len(left)),
		}
	)
	folder.mkdir(parents=True, exist_ok=True)
	customers.to_csv(folder / "customers.csv", index=False, date_format="%Y-%m-%d")
	invoices.to_csv(folder / "invoices.csv", index=False, date_format="%Y-%m-%d")
	terminations.to_csv(folder / "terminations.csv", index=False, date_format="%Y-%m-%d")
	return len(customers) + len(invoices) + len(terminations)


def plain_read(folder: Path) -> float:
	"""Seconds a fresh process needs to read the same CSV files with pyarrow alone."""
	code = (
		"import time, glob, json, pyarrow.csv as c;"
		f"files = sorted(glob.glob({str(folder / '*.csv')!r}));"
		"t = time.perf_counter();"
		"[c.read_csv(f) for f in files];"
		"print(json.dumps({'seconds': time.perf_counter() - t}))"
	)
	done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
	return json.loads(done.stdout.strip().splitlines()[-1])["seconds"]


def _children_cpu() -> float:
	usage = resource.getrusage(resource.RUSAGE_CHILDREN)
	return usage.ru_utime + usage.ru_stime


def run_once(folder: Path, out: Path) -> dict:
	"""Run the diagnosis in a fresh process and measure it from outside."""
	code = (
		"import sys, resource, json;"
		"from churn_management.cli import main;"
		f"rc = main(['diagnose', {str(folder)!r}, '--as-of', {AS_OF!r}, '--out', {str(out / 'd.xlsx')!r},"
		f" '--json', {str(out / 'd.json')!r}, '--quiet', '--force', '--lang', 'en']);"
		"print(json.dumps({'rc': rc, 'peak_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))"
	)
	started, cpu = time.perf_counter(), _children_cpu()
	done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
	wall = time.perf_counter() - started
	cpu = _children_cpu() - cpu
	if done.returncode:
		raise SystemExit(done.stderr)
	result = json.loads(done.stdout.strip().splitlines()[-1])
	return {"wall": wall, "cpu": cpu, "peak_gb": result["peak_kb"] / 1024 / 1024}


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
	parser.add_argument("--keep", type=Path, help="keep the exports in this folder (and reuse them)")
	parser.add_argument("--exports", type=Path, help="time on the CSV exports in this folder instead")
	parser.add_argument("--runs", type=int, default=1, help="runs per size; the median is printed")
	args = parser.parse_args()
	print(
		f"{'customers':>10} {'rows':>11} {'pyarrow s':>10} {'diagnose s':>11} {'ratio':>6} "
		f"{'CPU s':>6} {'peak GB':>8} {'rows/s':>10}  load"
	)
	for n in [None] if args.exports else args.sizes:
		with tempfile.TemporaryDirectory() as tmp:
			folder = args.exports or (args.keep or Path(tmp)) / f"exports-{n}"
			if args.exports or (args.keep and (folder / "invoices.csv").is_file()):
				rows = sum(max(0, _lines(f) - 1) for f in folder.glob("*.csv"))
				n = max(0, _lines(folder / "customers.csv") - 1)
			else:
				rows = make_exports(n, folder)
			runs = [_measure(folder, Path(tmp)) for _ in range(args.runs)]
			read, wall, cpu, peak = (
				statistics.median(r[k] for r in runs) for k in ("read", "wall", "cpu", "peak_gb")
			)
			ratio = statistics.median(r["wall"] / r["read"] for r in runs)
			spread = (
				f" ({min(r['wall'] for r in runs):.1f}-{max(r['wall'] for r in runs):.1f})"
				if len(runs) > 1
				else ""
			)
			print(
				f"{n:>10,} {rows:>11,} {read:>10.1f} {wall:>11.1f} {ratio:>6.1f} "
				f"{cpu:>6.1f} {peak:>8.2f} {rows / wall:>10,.0f}  {os.getloadavg()[0]:.1f}{spread}",
				flush=True,
			)


def _measure(folder: Path, out: Path) -> dict:
	"""One plain read and one diagnosis, one after the other (a load change hits both alike)."""
	read = plain_read(folder)
	return {"read": read, **run_once(folder, out)}


def _lines(path: Path) -> int:
	with path.open("rb") as handle:
		return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 24), b""))


if __name__ == "__main__":
	main()
