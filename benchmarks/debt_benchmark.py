"""Time the daily debt job and the Debtors report against ERPNext's Accounts Receivable, side by side.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/debt_benchmark.py --site churn.localhost --customers 100000

It bulk-inserts synthetic customers, submitted Sales Invoices (12 a customer, monthly) and the
Payment Ledger rows ERPNext would have written for them and their payments (names starting with
DEBT-BENCH-), runs the debt job twice (the second run must change nothing), runs the Debtors report
and ERPNext's Accounts Receivable (Customer, as of today) on the same data, checks that their totals
per customer agree, prints the times and the ratio, and deletes what it inserted. About 3 % of
customers owe for the last month or two, 2 % stopped paying four or more months ago.
"""

from __future__ import annotations

import numpy as np
from _common import (
	customer_defaults,
	delete_with_prefix,
	insert_customers,
	invoice_row,
	on_site,
	owing_months,
	site_arguments,
	timed,
)

PREFIX = "DEBT-BENCH-"


def insert_data(customers: int, invoices_each: int, seed: int = 7) -> None:
	import frappe
	from frappe.utils import add_days, now_datetime, nowdate

	from erpnext.accounts.party import get_party_account

	rng = np.random.default_rng(seed)
	now = now_datetime()
	company, currency, territory, group = customer_defaults()
	names = insert_customers(PREFIX, customers, customer_group=group, territory=territory)
	receivable = get_party_account("Customer", names[0], company)
	unpaid_months = owing_months(rng, customers)
	late_days = rng.geometric(0.5, customers * invoices_each) - 1
	today = nowdate()
	invoices, ledger = [], []
	for i, name in enumerate(names):
		for month in range(invoices_each):
			number = f"{PREFIX}{i:07d}-{month:02d}"
			due = add_days(today, -30 * (invoices_each - month) + 25)
			unpaid = month >= invoices_each - unpaid_months[i]
			invoices.append(invoice_row(number, name, company, due, unpaid, now, currency))
			ledger.append(
				_ple(
					f"{number}-I",
					"Sales Invoice",
					number,
					number,
					name,
					due,
					due,
					990.0,
					company,
					receivable,
					currency,
					now,
				)
			)
			if not unpaid:
				paid_on = add_days(due, int(late_days[i * invoices_each + month]))
				if paid_on <= today:
					ledger.append(
						_ple(
							f"{number}-P",
							"Payment Entry",
							f"{number}-PE",
							number,
							name,
							paid_on,
							None,
							-990.0,
							company,
							receivable,
							currency,
							now,
						)
					)
				else:
					invoices[-1] = (*invoices[-1][:6], 990.0, *invoices[-1][7:])
		if len(invoices) >= 50_000:
			flush_invoices(invoices, ledger)
	flush_invoices(invoices, ledger)
	frappe.db.commit()


def _ple(
	name, voucher_type, voucher_no, against, party, posting, due, amount, company, account, currency, now
):
	return (
		name, posting, "Receivable", account, "Customer", party, voucher_type, voucher_no, "Sales Invoice",
		against, amount, currency, amount, 0, company, due, now, now, 1,
	)  # fmt: skip


def flush_invoices(invoices: list, ledger: list) -> None:
	"""Insert the collected Sales Invoice and Payment Ledger rows, and empty both lists."""
	from churn_management.utils.bulk import insert_rows

	insert_rows(
		"Sales Invoice",
		["name", "customer", "company", "posting_date", "due_date", "docstatus", "outstanding_amount", "is_return",
		 "grand_total", "base_grand_total", "currency", "creation", "modified"],
		invoices,
		chunk_size=5_000,
	)  # fmt: skip
	insert_rows(
		"Payment Ledger Entry",
		["name", "posting_date", "account_type", "account", "party_type", "party", "voucher_type", "voucher_no",
		 "against_voucher_type", "against_voucher_no", "amount", "account_currency", "amount_in_account_currency",
		 "delinked", "company", "due_date", "creation", "modified", "docstatus"],
		ledger,
		chunk_size=5_000,
	)  # fmt: skip
	invoices.clear()
	ledger.clear()


def delete_data() -> None:
	import frappe

	cases = frappe.qb.DocType("Debt Case")
	names = [
		r[0] for r in frappe.qb.from_(cases).select(cases.name).where(cases.customer.like(f"{PREFIX}%")).run()
	]
	for start in range(0, len(names), 5000):
		chunk = names[start : start + 5000]
		for child in ("Debt Case Action", "Debt Case Invoice", "Debt Promise", "Debt Instalment"):
			table = frappe.qb.DocType(child)
			frappe.qb.from_(table).delete().where(table.parent.isin(chunk)).run()
		for doctype, kind, name in (
			("ToDo", "reference_type", "reference_name"),
			("Version", "ref_doctype", "docname"),
			("Comment", "reference_doctype", "reference_name"),
			("Email Queue", "reference_doctype", "reference_name"),
			("Notification Log", "document_type", "document_name"),
		):
			table = frappe.qb.DocType(doctype)
			frappe.qb.from_(table).delete().where(
				(table[kind] == "Debt Case") & table[name].isin(chunk)
			).run()
	delete_with_prefix(
		PREFIX,
		(
			("Debt Case", "customer"),
			("Payment Ledger Entry", "party"),
			("Sales Invoice", "name"),
			("Customer", "name"),
		),
	)


def main() -> None:
	parser = site_arguments(__doc__)
	parser.add_argument("--keep", action="store_true", help="leave the data in place")
	parser.add_argument("--reports-only", action="store_true", help="skip the debt job")
	args = parser.parse_args()

	import frappe
	from frappe.utils import nowdate

	with on_site(args.site, delete_data, keep=args.keep):
		seconds, _ = timed(insert_data, args.customers, args.invoices_each)
		print(
			f"inserted {args.customers:,} customers, {args.customers * args.invoices_each:,} invoices in {seconds:.1f} s"
		)

		from churn_management.collections.jobs.debt_cases import update_debt_cases

		runs = ("first run (opens a case for every debtor already there)", "daily run (nothing new that day)")
		for label in () if args.reports_only else runs:
			seconds, summary = timed(update_debt_cases)
			print(f"debt job, {label}: {seconds:.1f} s, {summary}")

		from erpnext.accounts.report.accounts_receivable.accounts_receivable import execute as receivable

		from churn_management.collections.report.debtors.debtors import execute as debtors

		company = frappe.db.get_single_value("Churn Settings", "default_company")
		filters = {"company": company, "report_date": nowdate()}
		ours_s, ours = timed(debtors, {**filters, "exclude_disputed": 0})
		theirs_s, theirs = timed(
			receivable,
			{**filters, "party_type": "Customer", "ageing_based_on": "Due Date", "range": "30, 60, 90, 120"},
		)
		totals = {}
		for row in theirs[1]:
			if row.get("party", "").startswith(PREFIX):
				totals[row["party"]] = totals.get(row["party"], 0) + row["outstanding"]
		mine = {row["customer"]: row["outstanding"] for row in ours[1] if row["customer"].startswith(PREFIX)}
		totals = {k: v for k, v in totals.items() if abs(v) > 0.005}
		agree = set(mine) == set(totals) and all(abs(mine[k] - totals[k]) < 0.01 for k in totals)
		print(
			f"Debtors report: {ours_s:.1f} s; ERPNext Accounts Receivable: {theirs_s:.1f} s; ratio {theirs_s / ours_s:.1f}x"
		)
		print(f"debtors: {len(mine):,}; totals per customer agree: {agree}")


if __name__ == "__main__":
	main()
