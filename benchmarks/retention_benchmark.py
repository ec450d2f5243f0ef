"""Time the daily retention jobs and the Retention Monitoring report on a bench.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/retention_benchmark.py --site churn.localhost

On top of the churn job benchmark's data (100,000 customers with 1,200,000 invoices, names starting
with CHURN-BENCH-) it bulk-inserts 50,000 open retention tasks spread over ten retention managers,
150,000 closed tasks over the last twelve months (so 200,000 in all), 2,000 churn records of the
last days and 10,000 saves due for judgement; then it times the daily task job (twice: the second
run must make nothing), the save-judging job and the report, prints the figures and deletes what it
inserted.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import default_company, delete_with_prefix, on_site, site_arguments, timed
from job_benchmark import PREFIX, delete_data, insert_data

MANAGERS = [f"bench.manager{i}@example.com" for i in range(10)]
TYPES = ["Win-back", "Prevention", "Reason call", "Renewal"]
OUTCOMES = ["Returned", "Refused", "Unreachable", "Not applicable"]


def insert_retention_data(customers: int, seed: int = 5) -> None:
	import frappe
	from frappe.utils import add_days, now_datetime, nowdate

	rng = np.random.default_rng(seed)
	now = now_datetime()
	today = nowdate()
	company = default_company()
	for user in MANAGERS:
		if not frappe.db.exists("User", user):
			frappe.get_doc(
				{"doctype": "User", "email": user, "first_name": user.split("@")[0], "send_welcome_email": 0}
			).insert(ignore_permissions=True)
			frappe.get_doc("User", user).add_roles("Retention Manager")
	fields = [
		"name",
		"naming_series",
		"task_type",
		"customer",
		"customer_name",
		"company",
		"status",
		"due_date",
		"priority",
		"assignee",
		"monthly_revenue",
		"return_value",
		"outcome",
		"closed_on",
		"save_status",
		"max_attempts",
		"creation",
		"modified",
		"owner",
		"modified_by",
	]
	rows = []
	for i in range(200_000):
		customer = f"{PREFIX}{i % customers:07d}"
		open_task = i < 50_000
		outcome = None if open_task else OUTCOMES[int(rng.integers(0, 4))]
		rows.append(
			(
				f"{PREFIX}RT-{i:07d}",
				"RT-.YYYY.-",
				TYPES[i % 4] if not open_task else "Win-back",
				customer,
				customer,
				company,
				"Open" if open_task else "Closed",
				add_days(today, int(rng.integers(-10, 10))),
				"Medium",
				MANAGERS[i % len(MANAGERS)],
				990.0,
				39600.0,
				outcome,
				None if open_task else add_days(today, -int(rng.integers(1, 365))),
				"Stuck" if outcome == "Returned" and rng.random() < 0.7 else None,
				3,
				now,
				now,
				"Administrator",
				"Administrator",
			)
		)
		if len(rows) >= 20_000:
			frappe.db.bulk_insert("Retention Task", fields, rows, chunk_size=10_000)
			rows.clear()
	# a day of fresh churn for the win-back rule: 2,000 records, half of them busy with open tasks
	frappe.db.bulk_insert(
		"Churn Record",
		[
			"name",
			"customer",
			"company",
			"churn_date",
			"churn_kind",
			"status",
			"lost_mrr",
			"creation",
			"modified",
		],
		[
			(
				f"{PREFIX}CR-{i:07d}",
				f"{PREFIX}{i:07d}",
				company,
				today,
				"Involuntary",
				"Open",
				990.0,
				now,
				now,
			)
			for i in range(49_000, 51_000)
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
			"judge_on",
			"status",
			"source_doctype",
			"source_name",
			"creation",
			"modified",
		],
		[
			(
				f"{PREFIX}RS-{i:07d}",
				f"{PREFIX}{60_000 + i:07d}",
				company,
				add_days(today, -70),
				add_days(today, -10),
				"Pending",
				"Customer",
				f"{PREFIX}{60_000 + i:07d}",
				now,
				now,
			)
			for i in range(10_000)
		],
		chunk_size=10_000,
	)
	frappe.get_doc(
		{
			"doctype": "Retention Task Rule",
			"rule_name": f"{PREFIX}win-back",
			"trigger": "Churn record created",
			"task_type": "Win-back",
			"due_days": 3,
			"max_attempts": 3,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()


def delete_retention_data() -> None:
	import frappe

	task = frappe.qb.DocType("Retention Task")
	todo = frappe.qb.DocType("ToDo")
	benchmark_tasks = frappe.qb.from_(task).select(task.name).where(task.customer.like(f"{PREFIX}%"))
	frappe.qb.from_(todo).delete().where(
		(todo.reference_type == "Retention Task") & todo.reference_name.isin(benchmark_tasks)
	).run()
	delete_with_prefix(
		PREFIX,
		(
			("Retention Task", "customer"),
			("Retention Save", "customer"),
			("Churn Record", "customer"),
			("Retention Task Rule", "name"),
		),
	)


def main() -> None:
	args = site_arguments(__doc__).parse_args()
	with on_site(args.site, delete_retention_data, delete_data):
		started = time.perf_counter()
		insert_data(args.customers, args.invoices_each)
		insert_retention_data(args.customers)
		print(f"inserted the data in {time.perf_counter() - started:.1f} s")
		from churn_management.retention.jobs import retention_tasks, save_judgement
		from churn_management.retention.report.retention_monitoring.retention_monitoring import execute

		for run in (1, 2):
			seconds, summary = timed(retention_tasks.run)
			print(f"daily task job, run {run}: {seconds:.1f} s, {summary}")
		seconds, summary = timed(save_judgement.run)
		print(f"save-judging job: {seconds:.1f} s, {summary}")
		for group_by in ("Reason", "Method", "Manager", "Month"):
			seconds, (_columns, data, *_rest) = timed(execute, {"group_by": group_by})
			print(f"Retention Monitoring by {group_by}: {seconds:.2f} s, {len(data)} rows")


if __name__ == "__main__":
	main()
