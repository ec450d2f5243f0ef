"""Time the whole daily set of jobs on a bench: 100,000 customers with 1,200,000 invoices.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/daily_benchmark.py --site churn.localhost

It inserts the debt benchmark's synthetic customers, submitted Sales Invoices and Payment Ledger rows
(names starting with DEBT-BENCH-), runs the scheduler's daily jobs of this app in the scheduler's
order (churn status, debt, club lifecycle, retention tasks, save judgement) twice, prints each job's
time per run (the second run has nothing new to do), and deletes what it inserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from debt_benchmark import delete_data, insert_data


def daily_jobs() -> list[str]:
	"""The app's daily scheduler entries, as hooks.py lists them."""
	from churn_management import hooks

	return hooks.scheduler_events["daily_long"]


def run_jobs(label: str) -> float:
	import frappe

	total = 0.0
	for path in daily_jobs():
		started = time.perf_counter()
		frappe.get_attr(path)()
		frappe.db.commit()
		seconds = time.perf_counter() - started
		total += seconds
		print(f"  {label}: {path.rsplit('.', 2)[-2]:<22} {seconds:6.1f} s", flush=True)
	print(f"{label}: the whole daily set took {total:.1f} s", flush=True)
	return total


def delete_job_output() -> None:
	"""What the jobs made for the benchmark's customers (churn records, tasks) besides debt cases."""
	import frappe

	for doctype, field in (("Retention Task", "customer"), ("Churn Record", "customer")):
		table = frappe.qb.DocType(doctype)
		frappe.qb.from_(table).delete().where(table[field].like("DEBT-BENCH-%")).run()
	frappe.db.commit()


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--customers", type=int, default=100_000)
	parser.add_argument("--invoices-each", type=int, default=12)
	parser.add_argument("--keep", action="store_true", help="leave the data in place")
	args = parser.parse_args()

	import frappe

	frappe.init(site=args.site)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		delete_job_output()
		delete_data()
		started = time.perf_counter()
		insert_data(args.customers, args.invoices_each)
		invoices = args.customers * args.invoices_each
		print(
			f"inserted {args.customers:,} customers, {invoices:,} invoices in "
			f"{time.perf_counter() - started:.1f} s",
			flush=True,
		)
		run_jobs("first run")
		run_jobs("second run")
	finally:
		if not args.keep:
			delete_job_output()
			delete_data()
		frappe.destroy()


if __name__ == "__main__":
	main()
