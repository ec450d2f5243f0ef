"""Time the whole daily set of jobs on a bench: 100,000 customers with 1,200,000 invoices.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/daily_benchmark.py --site churn.localhost

It inserts the debt benchmark's synthetic customers, submitted Sales Invoices and Payment Ledger rows
(names starting with DEBT-BENCH-), an active monthly Subscription for 90 % of them (1 % ending within
the renewal rule's days), the retention benchmark's tasks, churn records, saves and win-back rule for
the same customers, a renewal and an idle-member rule, and club cards with the lifecycle benchmark's
visits for a slice of them. It runs the scheduler's daily jobs of this app in the scheduler's order
(churn status, debt, club lifecycle, retention tasks, save judgement) once, then again several times
(nothing new to do), prints each job's time per run and the medians of the later runs, and deletes
what it inserted. ``--profile`` writes a cProfile of the second run.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lifecycle_benchmark
import retention_benchmark
from _common import default_company, delete_with_prefix, on_site, site_arguments
from debt_benchmark import PREFIX, delete_data, insert_data

# the retention benchmark's tasks, records and saves go to this benchmark's customers
retention_benchmark.PREFIX = PREFIX
CLUB = f"{lifecycle_benchmark.PREFIX}Club"
PLAN = f"{PREFIX}Monthly"
RULES = {
	f"{PREFIX}renewal": {"trigger": "Contract ends in N days", "task_type": "Renewal", "days": 30},
	f"{PREFIX}idle": {"trigger": "Member inactive N days", "task_type": "Prevention", "days": 21},
}


def daily_jobs() -> list[str]:
	"""The app's daily scheduler entries, as hooks.py lists them."""
	from churn_management import hooks

	return hooks.scheduler_events["daily_long"]


def run_jobs(label: str) -> dict[str, float]:
	import frappe

	seconds = {}
	for path in daily_jobs():
		job = path.rsplit(".", 2)[-2]
		started = time.perf_counter()
		frappe.get_attr(path)()
		frappe.db.commit()
		seconds[job] = time.perf_counter() - started
		print(f"  {label}: {job:<22} {seconds[job]:6.1f} s", flush=True)
	load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
	print(
		f"{label}: the whole daily set took {sum(seconds.values()):.1f} s (load average {load})", flush=True
	)
	return seconds


def insert_subscriptions(customers: int, seed: int = 11) -> None:
	"""An active monthly subscription (one plan line) for 90 % of the customers, 1 % ending soon."""
	import frappe
	from frappe.utils import add_days, now_datetime, nowdate

	rng = np.random.default_rng(seed)
	now = now_datetime()
	today = nowdate()
	company = default_company()
	currency = frappe.get_cached_value("Company", company, "default_currency")
	item = frappe.db.get_value("Item", {}, "name")
	frappe.db.bulk_insert(
		"Subscription Plan",
		["name", "plan_name", "item", "price_determination", "cost", "currency", "billing_interval",
		 "billing_interval_count", "creation", "modified", "owner", "modified_by"],
		[(PLAN, PLAN, item, "Fixed Rate", 990.0, currency, "Month", 1, now, now, "Administrator", "Administrator")],
	)  # fmt: skip
	chosen = np.flatnonzero(rng.random(customers) < 0.9)
	ending = rng.random(len(chosen)) < 0.01
	subscriptions, details = [], []
	for number, (i, soon) in enumerate(zip(chosen, ending, strict=True)):
		name = f"{PREFIX}SUB-{i:07d}"
		end = add_days(today, int(rng.integers(1, 30))) if soon else None
		subscriptions.append(
			(name, "Customer", f"{PREFIX}{i:07d}", company, "Active", add_days(today, -365), end,
			 add_days(today, -5), add_days(today, 25), now, now, "Administrator", "Administrator")
		)  # fmt: skip
		details.append((f"{name}-P", name, "Subscription", "plans", 1, PLAN, 1, now, now))
		if len(subscriptions) >= 20_000 or number == len(chosen) - 1:
			frappe.db.bulk_insert(
				"Subscription",
				["name", "party_type", "party", "company", "status", "start_date", "end_date",
				 "current_invoice_start", "current_invoice_end", "creation", "modified", "owner", "modified_by"],
				subscriptions,
				chunk_size=10_000,
			)  # fmt: skip
			frappe.db.bulk_insert(
				"Subscription Plan Detail",
				["name", "parent", "parenttype", "parentfield", "idx", "plan", "qty", "creation", "modified"],
				details,
				chunk_size=10_000,
			)
			subscriptions.clear()
			details.clear()
	frappe.db.commit()


def insert_club(members: int, visits: int, seed: int = 13) -> None:
	"""Club cards for the first members, and the lifecycle benchmark's visits on them."""
	import frappe
	from frappe.utils import add_days, now_datetime, nowdate

	rng = np.random.default_rng(seed)
	now = now_datetime()
	if not frappe.db.exists("Branch", CLUB):
		frappe.get_doc({"doctype": "Branch", "branch": CLUB}).insert(ignore_permissions=True)
	item = frappe.db.get_value("Item", {}, "name")
	names = [f"{PREFIX}{i:07d}" for i in range(members)]
	start = rng.integers(-330, -1, members)
	frappe.db.bulk_insert(
		"Club Membership",
		["name", "naming_series", "member", "member_name", "club", "card_type", "start_date", "end_date",
		 "status", "creation", "modified", "owner", "modified_by"],
		[
			(f"{n}-CM", "CM-.YYYY.-", n, n, CLUB, item, add_days(nowdate(), int(s)),
			 add_days(nowdate(), int(s) + 364), "Active", now, now, "Administrator", "Administrator")
			for n, s in zip(names, start, strict=True)
		],
		chunk_size=10_000,
	)  # fmt: skip
	lifecycle_benchmark.insert_directly(names, start, visits)
	frappe.db.commit()


def insert_rules() -> None:
	import frappe

	for name, fields in RULES.items():
		frappe.get_doc(
			{"doctype": "Retention Task Rule", "rule_name": name, "due_days": 3, "max_attempts": 3, **fields}
		).insert(ignore_permissions=True)
	frappe.db.commit()


def enable_jobs() -> None:
	import frappe

	frappe.db.set_single_value("Churn Settings", "enable_daily_update", 1)
	frappe.db.set_single_value("Retention Settings", "enable_daily_jobs", 1)
	frappe.db.commit()


def delete_all() -> None:
	"""What the benchmark inserted and what the jobs made for its customers."""
	import frappe

	retention_benchmark.delete_retention_data()
	delete_with_prefix(
		PREFIX,
		(
			("Club Visit", "member"),
			("Lifecycle Transition", "member"),
			("Club Membership", "member"),
			("Subscription Plan Detail", "parent"),
			("Subscription", "name"),
			("Subscription Plan", "name"),
			("Churn Record", "customer"),
		),
	)
	frappe.db.delete("Branch", {"name": CLUB})
	frappe.db.commit()
	delete_data()


def main() -> None:
	parser = site_arguments(__doc__)
	parser.add_argument("--members", type=int, default=20_000, help="customers with a club card")
	parser.add_argument("--visits", type=int, default=400_000)
	parser.add_argument("--repeats", type=int, default=5, help="runs after the first")
	parser.add_argument("--keep", action="store_true", help="leave the data in place")
	parser.add_argument("--reuse", action="store_true", help="run on data a --keep run left")
	parser.add_argument("--profile", help="write a cProfile of the second run to this file")
	args = parser.parse_args()
	with on_site(args.site, delete_all, keep=args.keep, clean_first=False):
		enable_jobs()
		if not args.reuse:
			delete_all()
			started = time.perf_counter()
			insert_data(args.customers, args.invoices_each)
			insert_subscriptions(args.customers)
			retention_benchmark.insert_retention_data(args.customers)
			insert_rules()
			insert_club(args.members, args.visits)
			print(
				f"inserted {args.customers:,} customers, {args.customers * args.invoices_each:,} invoices, "
				f"subscriptions, retention data, {args.members:,} club cards and {args.visits:,} visits in "
				f"{time.perf_counter() - started:.1f} s",
				flush=True,
			)
			run_jobs("first run")
		runs = []
		for number in range(args.repeats):
			if args.profile and number == 0:
				import cProfile

				profiler = cProfile.Profile()
				runs.append(profiler.runcall(run_jobs, "second run"))
				profiler.dump_stats(args.profile)
			else:
				runs.append(run_jobs("second run"))
		if runs:
			medians = {job: statistics.median(run[job] for run in runs) for job in runs[0]}
			for job, seconds in medians.items():
				print(f"median of {len(runs)} second runs: {job:<22} {seconds:6.2f} s")
			total = statistics.median(sum(run.values()) for run in runs)
			print(f"median of {len(runs)} second runs: the whole daily set {total:.2f} s", flush=True)


if __name__ == "__main__":
	main()
