"""Time the management churn reports on a bench: 100,000 customers, 1,200,000 invoices, 20,000 churn records.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/management_reports_benchmark.py --site churn.localhost

It bulk-inserts the customers and invoices of job_benchmark.py (names starting with CHURN-BENCH-),
a monthly subscription per customer on one of four plans, and 20,000 churn records (80 % voluntary
over four reasons, 20 % non-payment, one in ten won back), then times each report as the desk runs
it (generate_report_result, which is also what a Prepared Report's background job runs) and the
Self-Diagnosis workbook, prints the figures, and deletes what it inserted. Targets: each report under 5 s, a Prepared Report's job
under 30 s. Wall time depends on what else the machine runs: the load average and the CPU time
this process spent are printed beside it.
"""

from __future__ import annotations

import time

import numpy as np
from _common import connect, default_company, delete_with_prefix, on_site, site_arguments
from job_benchmark import PREFIX, delete_data, insert_data

REASONS = ("Price", "Service", "Competitor", "Moved away")
PLANS = (490.0, 990.0, 1490.0, 3500.0)
# report, and the time it must take at most: 5 s, or 30 s for a Prepared Report's job
REPORTS = (
	("Churn Report", 5),
	("Churn by Reason", 5),
	("Churn Self-Diagnosis", 30),
	("Cohort Retention", 30),
	("Subscriber Lifetime", 30),
)


def insert_classifier() -> list[str]:
	"""A group and four leaf reasons, two of them managed, with target shares."""
	import frappe

	from churn_management.churn_management.doctype.churn_settings.classifier_preset import ensure_root_reason

	group = frappe.get_doc(
		{
			"doctype": "Churn Reason",
			"reason_name": f"{PREFIX}Group",
			"is_group": 1,
			"managed": 1,
			"parent_churn_reason": ensure_root_reason(),
		}
	).insert(ignore_permissions=True)
	names = []
	for position, reason in enumerate(REASONS):
		doc = frappe.get_doc(
			{
				"doctype": "Churn Reason",
				"reason_name": f"{PREFIX}{reason}",
				"is_group": 0,
				"managed": int(position < 2),
				"target_share": (10, 10, 20, 40)[position],
				"parent_churn_reason": group.name,
			}
		).insert(ignore_permissions=True)
		names.append(doc.name)
	return names


def insert_plans() -> list[str]:
	import frappe

	from churn_management.tests.utils import make_item

	company = frappe.db.get_value("Company", {}, "name")
	currency = frappe.db.get_value("Company", company, "default_currency")
	names = []
	for cost in PLANS:
		name = f"{PREFIX}Plan {int(cost)}"
		if not frappe.db.exists("Subscription Plan", name):
			frappe.get_doc(
				{
					"doctype": "Subscription Plan",
					"plan_name": name,
					"item": make_item(),
					"price_determination": "Fixed Rate",
					"cost": cost,
					"billing_interval": "Month",
					"billing_interval_count": 1,
					"currency": currency,
				}
			).insert(ignore_permissions=True)
		names.append(name)
	return names


def insert_subscriptions_and_records(customers: int, records: int, seed: int = 5) -> None:
	"""A subscription per customer started 1-48 months ago; churn records for some of them."""
	import frappe
	from frappe.utils import add_days, now_datetime, nowdate

	rng = np.random.default_rng(seed)
	now = now_datetime()
	today = nowdate()
	company = default_company()
	plans = insert_plans()
	reasons = insert_classifier()
	names = [f"{PREFIX}{i:07d}" for i in range(customers)]
	started = rng.integers(30, 1460, customers)
	plan_of = rng.integers(0, len(plans), customers)
	frappe.db.bulk_insert(
		"Subscription",
		["name", "party_type", "party", "company", "status", "start_date", "creation", "modified", "owner"],
		[
			(
				f"{n}-SUB",
				"Customer",
				n,
				company,
				"Active",
				add_days(today, -int(started[i])),
				now,
				now,
				"Administrator",
			)
			for i, n in enumerate(names)
		],
		chunk_size=10_000,
	)
	frappe.db.bulk_insert(
		"Subscription Plan Detail",
		["name", "parent", "parenttype", "parentfield", "plan", "qty", "creation", "modified"],
		[
			(f"{n}-SPD", f"{n}-SUB", "Subscription", "plans", plans[plan_of[i]], 1, now, now)
			for i, n in enumerate(names)
		],
		chunk_size=10_000,
	)
	churned = rng.choice(customers, records, replace=False)
	days_ago = rng.integers(1, 365, records)
	voluntary = rng.random(records) < 0.8
	won_back = rng.random(records) < 0.1
	rows = []
	for k, i in enumerate(churned):
		churn_date = add_days(today, -int(days_ago[k]))
		rows.append(
			(
				f"{PREFIX}CR-{k:06d}",
				names[i],
				company,
				churn_date,
				"Won Back" if won_back[k] else "Open",
				add_days(churn_date, 1) if won_back[k] else None,
				"Voluntary" if voluntary[k] else "Involuntary",
				"Primary",
				reasons[rng.integers(0, len(reasons))] if voluntary[k] else None,
				PLANS[plan_of[i]],
				plans[plan_of[i]],
				now,
				now,
				"Administrator",
			)
		)
	frappe.db.bulk_insert(
		"Churn Record",
		[
			"name",
			"customer",
			"company",
			"churn_date",
			"status",
			"won_back_date",
			"churn_kind",
			"churn_order",
			"churn_reason",
			"lost_mrr",
			"tariff",
			"creation",
			"modified",
			"owner",
		],
		rows,
		chunk_size=10_000,
	)
	frappe.db.commit()


def delete_everything() -> None:
	import frappe

	delete_data()
	delete_with_prefix(PREFIX, (("Subscription Plan Detail", "name"), ("Subscription", "name")))
	leaves_first = {"Churn Reason": "is_group asc", "Subscription Plan": "name asc"}
	for doctype, order in leaves_first.items():
		for name in frappe.get_all(doctype, {"name": ("like", f"{PREFIX}%")}, pluck="name", order_by=order):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
	frappe.db.commit()


def time_reports(company: str) -> None:
	"""Each report as the desk (or a Prepared Report's job) runs it: generate_report_result."""
	import os

	import frappe
	from frappe.desk.query_report import generate_report_result
	from frappe.utils import add_months, get_first_day, nowdate

	from churn_management.management.api.diagnosis_workbook import workbook_bytes
	from churn_management.management.site_data import report_filters, site_diagnosis

	filters = {
		"company": company,
		"from_date": str(get_first_day(add_months(nowdate(), -12))),
		"to_date": nowdate(),
	}
	for name, limit in REPORTS:
		started, cpu = time.perf_counter(), time.process_time()
		result = generate_report_result(frappe.get_doc("Report", name), dict(filters), "Administrator")
		took, cpu = time.perf_counter() - started, time.process_time() - cpu
		figures = ", ".join(
			f"{card['label']}: {card['value']}" for card in (result["report_summary"] or [])[:4]
		)
		verdict = "OK" if took < limit else f"OVER {limit} s"
		print(
			f"{name}: {took:.2f} s ({verdict}; {cpu:.2f} s CPU here), {len(result['result']):,} rows; {figures}"
		)
	started = time.perf_counter()
	result = site_diagnosis(report_filters(filters))
	size = len(workbook_bytes(result))
	print(f"Self-Diagnosis workbook: {time.perf_counter() - started:.2f} s, {size:,} bytes")
	print("load average: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


def main() -> None:
	parser = site_arguments(__doc__)
	parser.add_argument("--records", type=int, default=20_000)
	parser.add_argument("--keep", action="store_true", help="keep the data (and reuse it when present)")
	parser.add_argument("--clean", action="store_true", help="only delete the data a --keep run left")
	args = parser.parse_args()
	if args.clean:
		with on_site(args.site, delete_everything):
			return

	import frappe

	connect(args.site)
	reuse = args.keep and frappe.db.exists("Churn Record", {"name": ("like", f"{PREFIX}CR-%")})
	frappe.destroy()
	with on_site(args.site, delete_everything, keep=args.keep, clean_first=not reuse):
		if not reuse:
			started = time.perf_counter()
			insert_data(args.customers, args.invoices_each)
			insert_subscriptions_and_records(args.customers, args.records)
			print(
				f"inserted {args.customers:,} customers, {args.customers * args.invoices_each:,} invoices and "
				f"{args.records:,} churn records in {time.perf_counter() - started:.1f} s"
			)
		time_reports(default_company())


if __name__ == "__main__":
	main()
