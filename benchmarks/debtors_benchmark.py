"""Time the Debtors report as the desk opens it, for the finance view and for one Debt Collector.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/debtors_benchmark.py --site churn.localhost --customers 100000

It builds the data of debt_benchmark.py (synthetic customers with monthly submitted Sales Invoices and
the Payment Ledger rows ERPNext keeps for them and their payments), gives every debtor an open Debt
Case shared out among a few Debt Collectors, then opens the Debtors report through the desk's own
endpoint (frappe.desk.query_report.run) as the Administrator and as one collector, and ERPNext's
Accounts Receivable on the same data, checks that the totals per customer agree, prints the times,
and deletes what it made (--keep leaves it; --reuse starts from what a --keep run left).
"""

from __future__ import annotations

import time

from _common import on_site, site_arguments
from debt_benchmark import PREFIX, delete_data, insert_data

COLLECTOR = "debt-bench-collector-{}@example.com"


def make_collectors(count: int) -> list[str]:
	import frappe

	users = []
	for i in range(count):
		email = COLLECTOR.format(i)
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{"doctype": "User", "email": email, "first_name": f"Collector {i}", "send_welcome_email": 0}
			)
			user.append("roles", {"role": "Debt Collector"})
			user.insert(ignore_permissions=True)
		users.append(email)
	frappe.db.commit()
	return users


def delete_collectors(count: int) -> None:
	import frappe

	for i in range(count):
		if frappe.db.exists("User", COLLECTOR.format(i)):
			frappe.delete_doc("User", COLLECTOR.format(i), ignore_permissions=True, force=True)
	frappe.db.commit()


def open_cases(company: str, collectors: list[str]) -> int:
	"""An open Debt Case for every customer who owes, shared out round robin (no stage work)."""
	import frappe
	from frappe.query_builder.functions import Sum
	from frappe.utils import now_datetime, nowdate

	from churn_management.utils.bulk import insert_rows

	case = frappe.qb.DocType("Debt Case")
	frappe.qb.from_(case).delete().where(case.customer.like(f"{PREFIX}%")).run()
	ledger = frappe.qb.DocType("Payment Ledger Entry")
	debtors = [
		row[0]
		for row in frappe.qb.from_(ledger)
		.select(ledger.party)
		.where((ledger.party.like(f"{PREFIX}%")) & (ledger.delinked == 0))
		.groupby(ledger.party)
		.having(Sum(ledger.amount) > 0.005)
		.run()
	]
	now, today = now_datetime(), nowdate()
	rows = []
	for i, customer in enumerate(debtors):
		user = collectors[i % len(collectors)]
		rows.append(
			(
				f"{PREFIX}CASE-{i:07d}",
				customer,
				company,
				"Open",
				user,
				frappe.as_json([user]),
				today,
				now,
				now,
			)
		)
	insert_rows(
		"Debt Case",
		[
			"name",
			"customer",
			"company",
			"status",
			"collector",
			"_assign",
			"opened_on",
			"creation",
			"modified",
		],
		rows,
		chunk_size=5_000,
	)
	frappe.db.commit()
	return len(rows)


def open_report(user: str, filters: dict) -> tuple[float, list[dict]]:
	"""The report as the desk opens it for the user: the endpoint, its permission filter and total row."""
	import frappe
	from frappe.desk.query_report import run

	frappe.set_user(user)
	frappe.clear_cache(user=user)
	started = time.perf_counter()
	result = run("Debtors", filters=filters)["result"]
	seconds = time.perf_counter() - started
	frappe.set_user("Administrator")
	return seconds, [row for row in result if isinstance(row, dict) and row.get("customer")]


def receivable_totals(filters: dict) -> tuple[float, dict[str, float]]:
	from erpnext.accounts.report.accounts_receivable.accounts_receivable import execute as receivable

	started = time.perf_counter()
	_columns, rows = receivable(
		{**filters, "party_type": "Customer", "ageing_based_on": "Due Date", "range": "30, 60, 90, 120"}
	)[:2]
	seconds = time.perf_counter() - started
	totals: dict[str, float] = {}
	for row in rows:
		if (row.get("party") or "").startswith(PREFIX):
			totals[row["party"]] = totals.get(row["party"], 0) + row["outstanding"]
	return seconds, {party: total for party, total in totals.items() if abs(total) > 0.005}


def main() -> None:
	parser = site_arguments(__doc__)
	parser.add_argument("--collectors", type=int, default=5, help="debt collectors sharing the cases")
	parser.add_argument("--keep", action="store_true", help="leave the data in place")
	parser.add_argument("--reuse", action="store_true", help="use the data a --keep run left")
	parser.add_argument("--no-receivable", action="store_true", help="skip Accounts Receivable")
	args = parser.parse_args()

	import frappe
	from frappe.utils import nowdate

	def delete_all() -> None:
		delete_data()
		delete_collectors(args.collectors)

	with on_site(args.site, delete_all, keep=args.keep, clean_first=False):
		company = frappe.db.get_single_value("Churn Settings", "default_company")
		filters = {"company": company, "report_date": nowdate(), "exclude_disputed": 0}
		if not (args.reuse and frappe.db.exists("Customer", f"{PREFIX}0000000")):
			delete_data()
			started = time.perf_counter()
			insert_data(args.customers, args.invoices_each)
			print(f"inserted {args.customers:,} customers in {time.perf_counter() - started:.1f} s")
		collectors = make_collectors(args.collectors)
		print(f"{open_cases(company, collectors):,} open cases over {len(collectors)} collectors")

		for label, user in (("the finance view", "Administrator"), ("one collector", collectors[0])):
			seconds, rows = open_report(user, filters)
			print(f"Debtors, {label}: {seconds:.1f} s, {len(rows):,} debtors")
			if user == "Administrator":
				ours = {
					row["customer"]: row["outstanding"] for row in rows if row["customer"].startswith(PREFIX)
				}
		if not args.no_receivable:
			seconds, theirs = receivable_totals(filters)
			agree = set(ours) == set(theirs) and all(abs(ours[k] - theirs[k]) < 0.01 for k in theirs)
			print(f"Accounts Receivable: {seconds:.1f} s; totals per customer agree: {agree}")


if __name__ == "__main__":
	main()
