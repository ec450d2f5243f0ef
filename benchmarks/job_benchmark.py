"""Time the daily churn status job on a bench: 100,000 customers with 1,200,000 invoices.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/job_benchmark.py --site churn.localhost

It bulk-inserts synthetic customers and submitted Sales Invoices (names starting with CHURN-BENCH-),
runs the job twice (the second run must change nothing), prints the figures, and deletes what it
inserted. About 3 % of customers owe for the last month or two, 2 % stopped paying four or more
months ago and get non-payment churn records.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

PREFIX = "CHURN-BENCH-"


def insert_data(customers: int, invoices_each: int, seed: int = 11) -> None:
	import frappe
	from frappe.utils import add_days, now_datetime, nowdate

	rng = np.random.default_rng(seed)
	now = now_datetime()
	company = frappe.db.get_single_value("Churn Settings", "default_company") or frappe.db.get_value(
		"Company", {}, "name"
	)
	territory = frappe.db.get_value("Territory", {"is_group": 0}, "name")
	names = [f"{PREFIX}{i:07d}" for i in range(customers)]
	frappe.db.bulk_insert(
		"Customer",
		[
			"name",
			"customer_name",
			"customer_type",
			"territory",
			"churn_status",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		[
			(n, n, "Individual", territory, "Active", now, now, "Administrator", "Administrator")
			for n in names
		],
		chunk_size=10_000,
	)
	kind = rng.random(customers)
	unpaid_months = np.where(
		kind < 0.02, rng.integers(4, 8, customers), np.where(kind < 0.05, rng.integers(1, 3, customers), 0)
	)
	today = nowdate()
	rows = []
	for i, name in enumerate(names):
		for month in range(invoices_each):
			due = add_days(today, -30 * (invoices_each - month) + 25)
			unpaid = month >= invoices_each - unpaid_months[i]
			rows.append(
				(
					f"{PREFIX}{i:07d}-{month:02d}",
					name,
					company,
					due,
					due,
					1,
					990.0 if unpaid else 0.0,
					0,
					990.0,
					990.0,
					now,
					now,
				)
			)
		if len(rows) >= 50_000:
			_flush(rows)
	_flush(rows)
	_insert_advances(rng, names, company, now)
	frappe.db.commit()


def _insert_advances(rng, names: list[str], company: str, now) -> None:
	"""One customer in a hundred has an unallocated advance, which the job nets against the debt."""
	import frappe

	chosen = [name for name in names if rng.random() < 0.01]
	frappe.db.bulk_insert(
		"Payment Entry",
		[
			"name",
			"payment_type",
			"party_type",
			"party",
			"company",
			"docstatus",
			"unallocated_amount",
			"creation",
			"modified",
		],
		[(f"{name}-ADV", "Receive", "Customer", name, company, 1, 990.0, now, now) for name in chosen],
		chunk_size=10_000,
	)


def _flush(rows: list) -> None:
	import frappe

	frappe.db.bulk_insert(
		"Sales Invoice",
		[
			"name",
			"customer",
			"company",
			"posting_date",
			"due_date",
			"docstatus",
			"outstanding_amount",
			"is_return",
			"grand_total",
			"base_grand_total",
			"creation",
			"modified",
		],
		rows,
		chunk_size=10_000,
	)
	rows.clear()


def delete_data() -> None:
	import frappe

	for doctype, field in (
		("Churn Record", "customer"),
		("Sales Invoice", "name"),
		("Payment Entry", "name"),
		("Customer", "name"),
	):
		table = frappe.qb.DocType(doctype)
		frappe.qb.from_(table).delete().where(table[field].like(f"{PREFIX}%")).run()
	frappe.db.commit()


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--customers", type=int, default=100_000)
	parser.add_argument("--invoices-each", type=int, default=12)
	args = parser.parse_args()

	import frappe

	frappe.init(site=args.site)
	frappe.connect()
	try:
		delete_data()
		started = time.perf_counter()
		insert_data(args.customers, args.invoices_each)
		print(
			f"inserted {args.customers:,} customers and {args.customers * args.invoices_each:,} invoices in {time.perf_counter() - started:.1f} s"
		)
		from churn_management.churn_management.jobs.churn_status import update_churn_statuses

		for run in (1, 2):
			started = time.perf_counter()
			summary = update_churn_statuses()
			print(f"run {run}: {time.perf_counter() - started:.1f} s, {summary}")
	finally:
		delete_data()
		frappe.destroy()


if __name__ == "__main__":
	main()
