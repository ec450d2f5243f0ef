"""Time the 12-month retention plan and the reports Retention Economics and Plan vs Actual on a bench.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/plan_benchmark.py --site churn.localhost

On top of the churn job benchmark's data (100,000 customers with 1,200,000 invoices over the last
twelve months, names starting with CHURN-BENCH-) it bulk-inserts 20,000 churn records spread over
those months (three reasons, two managed; a tenth won back), 20,000 retention tasks with attempts,
5,000 saves and a Department Cost for each month; then it generates a plan for next year (the
whole history read and computed by the core), runs both reports, prints the figures and deletes
what it inserted.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import default_company, delete_with_prefix, on_site, site_arguments, timed
from job_benchmark import PREFIX, delete_data, insert_data

REASONS = [(f"{PREFIX}Price", 1), (f"{PREFIX}Service", 1), (f"{PREFIX}Moved away", 0)]
TYPES = ["Win-back", "Prevention", "Reason call", "Renewal"]


def insert_plan_data(customers: int, churn_records: int, seed: int = 17) -> None:
	import frappe
	from frappe.utils import add_days, add_months, get_first_day, now_datetime, nowdate

	from churn_management.churn_management.doctype.churn_settings.classifier_preset import (
		ensure_root_reason,
	)

	rng = np.random.default_rng(seed)
	now = now_datetime()
	today = nowdate()
	company = default_company()
	method = f"{PREFIX}Discount"
	frappe.get_doc(
		{"doctype": "Retention Method", "method_name": method, "offer_type": "Discount", "cost": 500}
	).insert(ignore_permissions=True)
	for name, managed in REASONS:
		reason = frappe.get_doc(
			{
				"doctype": "Churn Reason",
				"reason_name": name,
				"is_group": 0,
				"managed": managed,
				"parent_churn_reason": ensure_root_reason(),
			}
		)
		if managed:
			reason.append("methods", {"retention_method": method, "planned_conversion": 20})
		reason.insert(ignore_permissions=True)
	days_back = rng.integers(1, 360, churn_records)
	won_back = rng.random(churn_records) < 0.1
	reason_of = rng.choice(len(REASONS), churn_records, p=[0.5, 0.3, 0.2])
	frappe.db.bulk_insert(
		"Churn Record",
		(
			"name customer company churn_date churn_kind status "
			"churn_reason managed won_back_date lost_mrr creation modified"
		).split(),
		[
			(
				f"{PREFIX}CR-{i:07d}",
				f"{PREFIX}{i * (customers // churn_records):07d}",
				company,
				add_days(today, -int(days_back[i])),
				"Voluntary",
				"Won Back" if won_back[i] else "Open",
				REASONS[reason_of[i]][0],
				REASONS[reason_of[i]][1],
				add_days(today, -int(days_back[i]) + 10) if won_back[i] else None,
				990.0,
				now,
				now,
			)
			for i in range(churn_records)
		],
		chunk_size=10_000,
	)
	frappe.db.bulk_insert(
		"Retention Task",
		(
			"name naming_series task_type customer company status due_date "
			"priority attempt_count minutes_spent offer_cost monthly_revenue creation modified"
		).split(),
		[
			(
				f"{PREFIX}RT-{i:07d}",
				"RT-.YYYY.-",
				TYPES[i % 4],
				f"{PREFIX}{i:07d}",
				company,
				"Closed",
				today,
				"Medium",
				int(i % 3 + 1),
				int((i % 3 + 1) * 12),
				500.0,
				990.0,
				add_days(now, -int(rng.integers(1, 360))),
				now,
			)
			for i in range(20_000)
		],
		chunk_size=10_000,
	)
	frappe.db.bulk_insert(
		"Retention Save",
		(
			"name customer company saved_on judge_on status source_doctype source_name creation modified"
		).split(),
		[
			(
				f"{PREFIX}RS-{i:07d}",
				f"{PREFIX}{i:07d}",
				company,
				add_days(today, -int(rng.integers(1, 360))),
				today,
				"Stuck" if i % 5 else "Lost",
				"Retention Task",
				f"{PREFIX}RT-{i:07d}",
				now,
				now,
			)
			for i in range(5_000)
		],
		chunk_size=10_000,
	)
	first = get_first_day(today)
	frappe.db.bulk_insert(
		"Department Cost",
		(
			"name company month staff_cost offer_cost "
			"overhead retention_cost acquisition_cost new_customers creation modified"
		).split(),
		[
			(
				f"{PREFIX}DC-{k:02d}",
				company,
				add_months(first, -k),
				300_000.0,
				200_000.0,
				50_000.0,
				550_000.0,
				2_000_000.0,
				800,
				now,
				now,
			)
			for k in range(1, 13)
		],
	)
	frappe.db.commit()


def delete_plan_data() -> None:
	delete_with_prefix(
		PREFIX,
		(
			("Retention Task", "name"),
			("Retention Save", "name"),
			("Department Cost", "name"),
			("Churn Reason Method", "parent"),
			("Churn Reason", "name"),
			("Retention Method", "name"),
		),
	)


def report(label: str, fn, *args):
	seconds, result = timed(fn, *args)
	print(f"{label}: {seconds:.2f} s")
	return result


def main() -> None:
	parser = site_arguments(__doc__)
	parser.add_argument("--churn-records", type=int, default=20_000)
	parser.add_argument("--keep", action="store_true", help="keep the inserted data (and reuse it next time)")
	args = parser.parse_args()

	import frappe
	from frappe.utils import getdate

	with on_site(args.site, delete_plan_data, delete_data, keep=args.keep, clean_first=not args.keep):
		if not frappe.db.exists("Department Cost", f"{PREFIX}DC-01"):
			started = time.perf_counter()
			insert_data(args.customers, args.invoices_each)
			insert_plan_data(args.customers, args.churn_records)
			print(
				f"inserted {args.customers:,} customers, {args.customers * args.invoices_each:,} invoices "
				f"and {args.churn_records:,} churn records in {time.perf_counter() - started:.1f} s"
			)
		company = default_company()
		plan = frappe.get_doc({"doctype": "Retention Plan", "company": company, "year": getdate().year + 1})
		report("plan generated", plan.insert, True)
		print(
			f"  forecast churn {plan.total_forecast_churn:,.0f}, target returns {plan.total_target_returns:,.0f} "
			f"({plan.target_share} %), {plan.total_hours:,.0f} hours, territory groups "
			f"{sorted({row.territory for row in plan.territories})}"
		)
		report("plan generated again", plan.generate)

		from churn_management.management.report.plan_vs_actual.plan_vs_actual import execute as plan_vs_actual
		from churn_management.management.report.retention_economics.retention_economics import (
			execute as economics,
		)

		result = report("Retention Economics (12 months)", economics, {"company": company})
		print(f"  {result[2]}")
		report("Plan vs Actual", plan_vs_actual, {"company": company, "year": getdate().year})
		frappe.delete_doc("Retention Plan", plan.name, force=True, ignore_permissions=True)
		frappe.db.commit()


if __name__ == "__main__":
	main()
