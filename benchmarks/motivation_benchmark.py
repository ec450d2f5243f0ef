"""Time the month's Motivation Statements for 50 employees on a bench.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/motivation_benchmark.py --site churn.localhost

It bulk-inserts 50 employees under one scheme (a role of their own) and, over the last twelve months,
20,000 churn records (a share won back by the employees), 100,000 closed retention tasks (win-back and
reactivation), 10,000 judged saves (some Lost) and 20,000 customer payments on the employees' debt
cases; then it makes and approves the statements of the month before last (so last month has something
to take back), times the bulk job for last month (all 50 statements, committed one by one), times it
again (it must make nothing), times the Staff Motivation report, prints the figures and deletes what
it inserted (names and e-mails start with motiv-bench).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import connect, default_company, delete_with_prefix, on_site, site_arguments, timed

PREFIX = "MOTIV-BENCH-"
ROLE = "Motivation Bench Employee"
SCHEME = f"{PREFIX}Scheme"
USERS = [f"motiv-bench{i:02d}@example.com" for i in range(50)]
COMPONENTS = [
	("Customers returned", "Per unit above threshold", 0, 5, 0),
	("Customers returned", "Per unit above threshold", 5, 0, 500),
	("Saves that stuck", "Per unit above threshold", 0, 0, 200),
	("Debt collected", "Percent of amount", 0, 0, 3),
	("Members reactivated", "Per unit above threshold", 0, 0, 300),
	("Conversion against plan", "Step bonus", 80, 100, 2000),
	("Conversion against plan", "Step bonus", 100, 0, 5000),
]


def month_day(months_ago: int, day: int):
	from frappe.utils import add_months, get_first_day, nowdate

	return get_first_day(add_months(nowdate(), -months_ago)).replace(day=day)


def insert_data(seed: int = 17) -> str:
	"""Employees, their scheme and a year of source documents; returns the company."""
	import frappe
	from frappe.utils import now_datetime

	rng = np.random.default_rng(seed)
	now = now_datetime()
	company = default_company()
	if not frappe.db.exists("Role", ROLE):
		frappe.get_doc({"doctype": "Role", "role_name": ROLE, "desk_access": 1}).insert(
			ignore_permissions=True
		)
	for user in USERS:
		frappe.get_doc(
			{"doctype": "User", "email": user, "first_name": user.split("@")[0], "send_welcome_email": 0}
		).insert(ignore_permissions=True).add_roles(ROLE)
	frappe.get_doc(
		{
			"doctype": "Motivation Scheme",
			"scheme_name": SCHEME,
			"role": ROLE,
			"company": company,
			"valid_from": month_day(13, 1),
			"fixed_amount": 30000,
			"planned_conversion": 15,
			"components": [
				dict(zip(("kpi", "rate_type", "threshold_from", "threshold_to", "rate"), row, strict=True))
				for row in COMPONENTS
			],
		}
	).insert(ignore_permissions=True)

	def day():
		return month_day(int(rng.integers(0, 12)), int(rng.integers(1, 28)))

	def who(i):
		return USERS[i % len(USERS)] if i % 4 else "someone.else@example.com"

	frappe.db.bulk_insert(
		"Churn Record",
		[
			"name",
			"customer",
			"company",
			"churn_date",
			"status",
			"won_back_by",
			"won_back_date",
			"lost_mrr",
			"creation",
			"modified",
		],
		[
			(
				f"{PREFIX}CR-{i:06d}",
				f"{PREFIX}C{i:06d}",
				company,
				day(),
				"Won Back" if i % 3 else "Open",
				who(i) if i % 3 else None,
				day() if i % 3 else None,
				990.0,
				now,
				now,
			)
			for i in range(20_000)
		],
		chunk_size=10_000,
	)
	frappe.db.bulk_insert(
		"Retention Task",
		[
			"name",
			"task_type",
			"customer",
			"company",
			"status",
			"assignee",
			"outcome",
			"closed_on",
			"churn_record",
			"monthly_revenue",
			"creation",
			"modified",
		],
		[
			(
				f"{PREFIX}RT-{i:06d}",
				"Reactivation" if i % 5 == 0 else "Win-back",
				f"{PREFIX}C{i % 20_000:06d}",
				company,
				"Closed",
				who(i),
				("Returned", "Refused", "Unreachable")[i % 3],
				day(),
				f"{PREFIX}CR-{i:06d}" if i < 20_000 else None,
				990.0,
				now,
				now,
			)
			for i in range(100_000)
		],
		chunk_size=10_000,
	)
	frappe.db.bulk_insert(
		"Retention Save",
		[
			"name",
			"customer",
			"company",
			"saved_on",
			"saved_by",
			"source_doctype",
			"source_name",
			"status",
			"judged_on",
			"creation",
			"modified",
		],
		[
			(
				f"{PREFIX}RS-{i:06d}",
				f"{PREFIX}C{i:06d}",
				company,
				month_day(3, 1),
				"Administrator",
				"Retention Task",
				f"{PREFIX}RT-{i:06d}",
				"Lost" if i % 4 == 1 else "Stuck",
				day(),
				now,
				now,
			)
			for i in range(10_000)
		],
		chunk_size=10_000,
	)
	frappe.db.bulk_insert(
		"Debt Case",
		["name", "customer", "company", "status", "collector", "opened_on", "creation", "modified"],
		[
			(
				f"{PREFIX}DC-{i:05d}",
				f"{PREFIX}C{i:06d}",
				company,
				"Open",
				USERS[i % len(USERS)],
				month_day(13, 1),
				now,
				now,
			)
			for i in range(2_000)
		],
		chunk_size=10_000,
	)
	frappe.db.bulk_insert(
		"Payment Entry",
		[
			"name",
			"payment_type",
			"party_type",
			"party",
			"company",
			"posting_date",
			"base_received_amount",
			"paid_amount",
			"received_amount",
			"docstatus",
			"creation",
			"modified",
		],
		[
			(
				f"{PREFIX}PE-{i:06d}",
				"Receive",
				"Customer",
				f"{PREFIX}C{i % 4_000:06d}",
				company,
				day(),
				1000.0,
				1000.0,
				1000.0,
				1,
				now,
				now,
			)
			for i in range(20_000)
		],
		chunk_size=10_000,
	)
	frappe.db.commit()
	return company


def delete_statements() -> None:
	import frappe

	statement = frappe.qb.DocType("Motivation Statement")
	names = (
		frappe.qb.from_(statement).select(statement.name).where(statement.employee_user.like("motiv-bench%"))
	)
	for child in ("Motivation Statement Line", "Motivation Statement Source"):
		table = frappe.qb.DocType(child)
		frappe.qb.from_(table).delete().where(table.parent.isin(names)).run()
	delete_with_prefix("motiv-bench", [("Motivation Statement", "employee_user")])


def delete_data() -> None:
	import frappe

	delete_statements()
	delete_with_prefix(
		PREFIX,
		[
			(doctype, "name")
			for doctype in ("Churn Record", "Retention Task", "Retention Save", "Debt Case", "Payment Entry")
		]
		+ [("Motivation Scheme Component", "parent"), ("Motivation Scheme", "name")],
	)
	for user in USERS:
		if frappe.db.exists("User", user):
			frappe.delete_doc("User", user, ignore_permissions=True, force=True)
	frappe.db.commit()


def main() -> None:
	parser = site_arguments(__doc__, customers=False)
	parser.add_argument("--reuse", action="store_true", help="keep the inserted data for the next run")
	args = parser.parse_args()

	import frappe

	reuse = args.reuse and _scheme_exists(args.site)
	with on_site(args.site, delete_statements if reuse else delete_data, keep=args.reuse):
		if not reuse:
			seconds, _company = timed(insert_data)
			print(f"inserted the data in {seconds:.1f} s")
		from churn_management.management.jobs.motivation_statements import make_month_statements
		from churn_management.management.report.staff_motivation.staff_motivation import execute

		earlier = make_month_statements(SCHEME, month_day(2, 1))
		statement = frappe.qb.DocType("Motivation Statement")
		frappe.qb.update(statement).set(statement.docstatus, 1).where(
			statement.name.isin(earlier["made"])
		).run()
		frappe.db.commit()
		print(f"month before last: {len(earlier['made'])} statements made and approved")
		results = []
		for run in (1, 2):
			seconds, result = timed(make_month_statements, SCHEME, month_day(1, 1))
			results.append(result)
			print(
				f"last month's statements, run {run}: {seconds:.2f} s, "
				f"{len(result['made'])} made, {result['skipped']} skipped, {len(result['failed'])} failed"
			)
		made = results[0]["made"] or ["-"]
		amounts = frappe.get_all(
			"Motivation Statement Line", filters={"parent": ("in", made)}, pluck="amount"
		)
		sources = frappe.db.count("Motivation Statement Source", {"parent": ("in", made)})
		print(
			f"last month: {len(amounts)} lines, {sum(a < 0 for a in amounts)} of them take-backs, "
			f"{sources} source documents"
		)
		seconds, (_columns, data, *_rest) = timed(
			execute, {"from_date": month_day(2, 1), "to_date": month_day(1, 1)}
		)
		print(f"Staff Motivation report: {seconds:.2f} s, {len(data)} rows")


def _scheme_exists(site: str) -> bool:
	"""Whether a kept run left its data (checked on a connection of its own)."""
	import frappe

	connect(site)
	try:
		return bool(frappe.db.exists("Motivation Scheme", SCHEME))
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
