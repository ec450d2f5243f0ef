"""Time the daily customer-service parts: contracts, cards and complaints on 100,000 customers, 30,000
contracts, 50,000 cards and 10,000 complaints.

Run with the bench's Python from the bench's sites folder:

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/contracts_cards_benchmark.py --site churn.localhost

It inserts synthetic customers (3 % churned), a monthly subscription on a yearly twin plan for each
contract (names starting with CS-BENCH-), the contracts (three in four still running, their ends
spread over the coming year, so about one in 365 ends today and lapses back to monthly billing through
ERPNext's Subscription; the rest renewed or lapsed in the past) and the cards (two types, one
collecting points through its ERPNext Loyalty Program; their last days spread from a month ago to a
year on). It runs each step of the job once on the day (the catch-up: contracts becoming Expiring,
today's lapses, cards expiring and blocked), then again several times (nothing to do), prints each
step's time and the medians, and deletes what it inserted. Complaints: ERPNext Issues with a complaint
category (names starting with CS-BENCH-), opened over the last 60 days, one in five still unresolved;
the complaint step marks the overdue ones escalated and turns their customers pre-churn. The controllers are loaded (and timed)
before the first run, as in a worker that has run the day's other jobs.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import customer_defaults, delete_with_prefix, insert_customers, on_site, site_arguments

PREFIX = "CS-BENCH-"
PLAN = f"{PREFIX}Monthly"
YEARLY = f"{PLAN} (Annual Contract)"
POINTS_TYPE = f"{PREFIX}Gold"
PLAIN_TYPE = f"{PREFIX}Partner"
STEPS = ("mark_expiring", "lapse_contracts", "expire_cards", "block_churned_cards", "complaints")
CATEGORY = f"{PREFIX}Service quality"


def insert_churning_customers(customers: int, rng) -> list[str]:
	"""The synthetic customers, 3 % of them churned."""
	import frappe

	_company, _currency, territory, group = customer_defaults()
	names = insert_customers(
		PREFIX, customers, customer_group=group, territory=territory, churn_status="Active"
	)
	churned = [name for name, flag in zip(names, rng.random(customers) < 0.03, strict=True) if flag]
	customer = frappe.qb.DocType("Customer")
	frappe.qb.update(customer).set(customer.churn_status, "Churned").where(customer.name.isin(churned)).run()
	return names


def insert_plans() -> None:
	import frappe
	from frappe.utils import now_datetime

	now = now_datetime()
	_company, currency, _territory, _group = customer_defaults()
	item = frappe.db.get_value("Item", {}, "name")
	frappe.db.bulk_insert(
		"Subscription Plan",
		["name", "plan_name", "item", "price_determination", "cost", "currency", "billing_interval",
		 "billing_interval_count", "creation", "modified", "owner", "modified_by"],
		[
			(PLAN, PLAN, item, "Fixed Rate", 990.0, currency, "Month", 1, now, now, "Administrator", "Administrator"),
			(YEARLY, YEARLY, item, "Fixed Rate", 11880.0, currency, "Year", 1, now, now, "Administrator",
			 "Administrator"),
		],
	)  # fmt: skip


def insert_contracts(customers: list[str], contracts: int, rng) -> None:
	"""Contracts with their subscriptions: 75 % running (ends over the next year), 25 % decided."""
	import frappe
	from frappe.utils import add_days, now_datetime, nowdate

	now = now_datetime()
	today = nowdate()
	company, *_defaults = customer_defaults()
	owners = rng.choice(len(customers), contracts, replace=False)
	running = rng.random(contracts) < 0.75
	end_in = np.where(running, rng.integers(0, 365, contracts), rng.integers(-365, -1, contracts))
	renewed = rng.random(contracts) < 0.5
	subs, sub_plans, rows, plans = [], [], [], []
	for number, (owner, live, days, was_renewed) in enumerate(
		zip(owners, running, end_in, renewed, strict=True)
	):
		customer = customers[owner]
		name, sub = f"{PREFIX}AC-{number:06d}", f"{PREFIX}SUB-{number:06d}"
		end = add_days(today, int(days))
		start = add_days(end, -364)
		after = add_days(end, 1)
		subs.append(
			(sub, "Customer", customer, company, "Active", add_days(start, -200), after, add_days(after, 364),
			 "Beginning of the current subscription period", now, now, "Administrator", "Administrator")
		)  # fmt: skip
		sub_plans.append((f"{sub}-P", sub, "Subscription", "plans", 1, YEARLY, 1, now, now))
		status = "Active" if live else ("Renewed" if was_renewed else "Lapsed")
		rows.append(
			(name, "ACON-.YYYY.-", customer, customer, company, sub, status, start, end, 990.0, 10.0, 10692.0,
			 1188.0, "Administrator", 1, now, now, "Administrator", "Administrator")
		)  # fmt: skip
		plans.append((f"{name}-P", name, "Annual Contract", "plans", 1, PLAN, 1, 990.0, YEARLY, 1, now, now))
	frappe.db.bulk_insert(
		"Subscription",
		["name", "party_type", "party", "company", "status", "start_date", "current_invoice_start",
		 "current_invoice_end", "generate_invoice_at", "creation", "modified", "owner", "modified_by"],
		subs,
		chunk_size=10_000,
	)  # fmt: skip
	frappe.db.bulk_insert(
		"Subscription Plan Detail",
		["name", "parent", "parenttype", "parentfield", "idx", "plan", "qty", "creation", "modified"],
		sub_plans,
		chunk_size=10_000,
	)
	frappe.db.bulk_insert(
		"Annual Contract",
		["name", "naming_series", "customer", "customer_name", "company", "subscription", "status", "start_date",
		 "end_date", "monthly_amount", "discount_percentage", "amount", "savings", "sold_by", "docstatus",
		 "creation", "modified", "owner", "modified_by"],
		rows,
		chunk_size=10_000,
	)  # fmt: skip
	frappe.db.bulk_insert(
		"Annual Contract Plan",
		["name", "parent", "parenttype", "parentfield", "idx", "plan", "qty", "monthly_rate", "yearly_plan",
		 "docstatus", "creation", "modified"],
		plans,
		chunk_size=10_000,
	)  # fmt: skip


def insert_cards(customers: list[str], cards: int, rng) -> None:
	"""Cards of two types (one with points), last days from a month ago to a year on."""
	import frappe
	from frappe.utils import add_days, now_datetime, nowdate

	now = now_datetime()
	today = nowdate()
	company, *_defaults = customer_defaults()
	for name, points in ((POINTS_TYPE, 1), (PLAIN_TYPE, 0)):
		frappe.get_doc(
			{
				"doctype": "Bonus Card Type",
				"type_name": name,
				"company": company,
				"validity_months": 12,
				"has_points": points,
				"collection_factor": 100,
			}
		).insert(ignore_permissions=True)
	program = frappe.db.get_value("Bonus Card Type", POINTS_TYPE, "loyalty_program")
	holders = rng.choice(len(customers), cards, replace=False)
	with_points = rng.random(cards) < 0.5
	valid = rng.integers(-30, 365, cards)
	frappe.db.bulk_insert(
		"Bonus Card",
		["name", "naming_series", "card_number", "customer", "customer_name", "card_type", "company", "status",
		 "issued_by", "issued_on", "valid_until", "creation", "modified", "owner", "modified_by"],
		[
			(f"{PREFIX}BC-{n:06d}", "BC-.YYYY.-", f"{PREFIX}BC-{n:06d}", customers[h], customers[h],
			 POINTS_TYPE if p else PLAIN_TYPE, company, "Active", "Administrator", add_days(today, int(v) - 364),
			 add_days(today, int(v)), now, now, "Administrator", "Administrator")
			for n, (h, p, v) in enumerate(zip(holders, with_points, valid, strict=True))
		],
		chunk_size=10_000,
	)  # fmt: skip
	customer = frappe.qb.DocType("Customer")
	points_holders = [customers[h] for h, p in zip(holders, with_points, strict=True) if p]
	for start in range(0, len(points_holders), 10_000):
		chunk = points_holders[start : start + 10_000]
		frappe.qb.update(customer).set(customer.loyalty_program, program).where(
			customer.name.isin(chunk)
		).run()


def insert_complaints(customers: list[str], complaints: int, rng) -> None:
	"""Issues with a complaint category, opened over the last 60 days; one in five still unresolved."""
	import frappe
	from frappe.utils import add_days, now_datetime, nowdate

	from churn_management.customer_service.setup import ensure_root_category

	root = ensure_root_category()
	if not frappe.db.exists("Complaint Category", CATEGORY):
		frappe.get_doc(
			{
				"doctype": "Complaint Category",
				"category_name": CATEGORY,
				"parent_complaint_category": root,
				"unresolved_days": 7,
			}
		).insert(ignore_permissions=True)
	category = frappe.db.get_value("Complaint Category", {"category_name": CATEGORY}, "name")
	company = customer_defaults()[0]
	now = now_datetime()
	who = rng.choice(len(customers), complaints)
	ages = rng.integers(0, 60, complaints)
	open_ones = rng.random(complaints) < 0.2
	rows = [
		(
			f"{PREFIX}ISS-{i:06d}",
			now,
			now,
			"Administrator",
			"Administrator",
			f"Complaint {i}",
			"Open" if open_ones[i] else "Closed",
			customers[who[i]],
			company,
			add_days(nowdate(), -int(ages[i])),
			category,
		)
		for i in range(complaints)
	]
	fields = [
		"name",
		"creation",
		"modified",
		"owner",
		"modified_by",
		"subject",
		"status",
		"customer",
		"company",
		"opening_date",
		"complaint_category",
	]
	frappe.db.bulk_insert("Issue", fields, rows, chunk_size=5000)


def delete_all() -> None:
	import frappe

	programs = frappe.get_all(
		"Bonus Card Type", filters={"name": ("like", f"{PREFIX}%")}, pluck="loyalty_program"
	)
	delete_with_prefix(
		PREFIX,
		(
			("Comment", "reference_name"),
			("Version", "docname"),
			("Issue", "name"),
			("Retention Task", "customer"),
			("Bonus Card", "name"),
			("Annual Contract Plan", "parent"),
			("Annual Contract", "name"),
			("Subscription Plan Detail", "parent"),
			("Subscription", "name"),
			("Subscription Plan", "name"),
			("Bonus Card Type", "name"),
			("Customer", "name"),
		),
	)
	frappe.db.delete("Complaint Category", {"category_name": CATEGORY})
	for program in filter(None, programs):
		frappe.delete_doc("Loyalty Program", program, ignore_permissions=True, force=True)
	frappe.db.commit()


def run_steps(label: str) -> dict[str, float]:
	import frappe
	from frappe.utils import getdate

	from churn_management.customer_service.jobs import complaints, contracts_cards

	today = getdate()
	seconds, results = {}, {}
	for step in STEPS:
		fn = complaints.escalate if step == "complaints" else getattr(contracts_cards, step)
		started = time.perf_counter()
		results[step] = fn() if step == "block_churned_cards" else fn(today)
		frappe.db.commit()
		seconds[step] = time.perf_counter() - started
		print(f"  {label}: {step:<20} {seconds[step]:6.2f} s  ({results[step]})", flush=True)
	load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
	print(
		f"{label}: contracts, cards and complaints took {sum(seconds.values()):.2f} s (load average {load})",
		flush=True,
	)
	return seconds


def load_controllers() -> float:
	"""Import what the job uses (a worker that ran the day's other jobs has it loaded); returns seconds."""
	import frappe

	started = time.perf_counter()
	frappe.get_doc(
		"Annual Contract", frappe.db.get_value("Annual Contract", {"name": ("like", f"{PREFIX}%")})
	)
	frappe.get_doc("Subscription", frappe.db.get_value("Subscription", {"name": ("like", f"{PREFIX}%")}))
	seconds = time.perf_counter() - started
	print(f"loading the controllers (once per worker): {seconds:.2f} s", flush=True)
	return seconds


def main() -> None:
	parser = site_arguments(__doc__, customers=False)
	parser.add_argument("--customers", type=int, default=100_000)
	parser.add_argument("--contracts", type=int, default=30_000)
	parser.add_argument("--cards", type=int, default=50_000)
	parser.add_argument("--complaints", type=int, default=10_000)
	parser.add_argument("--repeats", type=int, default=5, help="runs after the first")
	parser.add_argument("--keep", action="store_true", help="leave the data in place")
	args = parser.parse_args()
	rng = np.random.default_rng(16)
	with on_site(args.site, delete_all, keep=args.keep):
		import frappe

		started = time.perf_counter()
		customers = insert_churning_customers(args.customers, rng)
		insert_plans()
		insert_contracts(customers, args.contracts, rng)
		insert_cards(customers, args.cards, rng)
		insert_complaints(customers, args.complaints, rng)
		frappe.db.commit()
		print(
			f"inserted {args.customers:,} customers, {args.contracts:,} contracts with their subscriptions and "
			f"{args.cards:,} cards and {args.complaints:,} complaints in {time.perf_counter() - started:.1f} s",
			flush=True,
		)
		load_controllers()
		run_steps("first run")
		runs = [run_steps("second run") for _ in range(args.repeats)]
		if runs:
			total = statistics.median(sum(run.values()) for run in runs)
			print(
				f"median of {len(runs)} second runs: contracts, cards and complaints {total:.2f} s",
				flush=True,
			)


if __name__ == "__main__":
	main()
