"""Time the daily churn status job on a bench: 100,000 customers with 1,200,000 invoices.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/job_benchmark.py --site churn.localhost

It bulk-inserts synthetic customers and submitted Sales Invoices (names starting with CHURN-BENCH-),
runs the job twice (the second run must change nothing), prints the figures, and deletes what it
inserted. About 3 % of customers owe for the last month or two, 2 % stopped paying four or more
months ago and get non-payment churn records.
"""

from __future__ import annotations

import numpy as np
from _common import (
	default_company,
	delete_with_prefix,
	insert_customers,
	invoice_row,
	on_site,
	owing_months,
	site_arguments,
	timed,
)

PREFIX = "CHURN-BENCH-"


def insert_data(customers: int, invoices_each: int, seed: int = 11) -> None:
	import frappe
	from frappe.utils import add_days, now_datetime, nowdate

	rng = np.random.default_rng(seed)
	now = now_datetime()
	company = default_company()
	territory = frappe.db.get_value("Territory", {"is_group": 0}, "name")
	names = insert_customers(PREFIX, customers, territory=territory, churn_status="Active")
	unpaid_months = owing_months(rng, customers)
	today = nowdate()
	rows = []
	for i, name in enumerate(names):
		for month in range(invoices_each):
			due = add_days(today, -30 * (invoices_each - month) + 25)
			unpaid = month >= invoices_each - unpaid_months[i]
			rows.append(invoice_row(f"{PREFIX}{i:07d}-{month:02d}", name, company, due, unpaid, now))
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
	delete_with_prefix(
		PREFIX,
		(
			("Churn Record", "customer"),
			("Sales Invoice", "name"),
			("Payment Entry", "name"),
			("Customer", "name"),
		),
	)


def main() -> None:
	args = site_arguments(__doc__).parse_args()
	with on_site(args.site, delete_data):
		seconds, _ = timed(insert_data, args.customers, args.invoices_each)
		print(
			f"inserted {args.customers:,} customers and {args.customers * args.invoices_each:,} invoices in {seconds:.1f} s"
		)
		from churn_management.churn_management.jobs.churn_status import update_churn_statuses

		for run in (1, 2):
			seconds, summary = timed(update_churn_statuses)
			print(f"run {run}: {seconds:.1f} s, {summary}")


if __name__ == "__main__":
	main()
