"""Time a day on which monthly billing opens thousands of debt cases at once.

Run with the bench's Python from the bench's sites folder (PYTHONPATH at the app's checkout):

    cd ~/frappe-bench/sites && ../env/bin/python /path/to/churn_management/benchmarks/debt_same_day_benchmark.py --site churn.localhost --debtors 5000

It bulk-inserts synthetic customers (with an e-mail address) each with one submitted Sales Invoice due
on the same day and its Payment Ledger row (names starting with DEBT-BENCH-): half of them 1 day
overdue (Reminder), a quarter 8 days (Call, the Reminder caught up), a quarter 20 days (Warning and
Block, both letters caught up), and a few Debt Collectors. It then runs the debt job, which opens and
stages the cases set-based, and starts ``--workers`` background workers on a private Redis queue
(so other benches' queues are left alone) to make the letters (Dunning attempt and Notification),
blocks and ToDos. With ``--kill-worker`` one worker is killed when half of the cases are done and a new
one started, and the scheduler's sweep queues again what its batch left. At the end it checks that no
case is left pending and that nothing was made twice, prints the times and deletes what it inserted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from _common import connect, customer_defaults, site_arguments
from debt_benchmark import flush_invoices

PREFIX = "DEBT-BENCH-"
COLLECTORS = [f"debt-bench-collector-{i}@example.com" for i in range(5)]
WORKER = """
import sys

import frappe
from frappe.utils import background_jobs as jobs

frappe.init(site=sys.argv[1])
frappe.local.conf.redis_queue = sys.argv[2]
connection = jobs.get_redis_conn()
queues = jobs.get_queue_list(["long"], build_queue_name=True)
jobs.Worker(queues, connection=connection).work(logging_level="WARNING")
"""


def insert_debtors(count: int) -> None:
	import frappe
	from frappe.utils import add_days, now_datetime, nowdate

	from erpnext.accounts.party import get_party_account

	from churn_management.utils.bulk import insert_rows

	now = now_datetime()
	company, currency, territory, group = customer_defaults()
	names = [f"{PREFIX}{i:07d}" for i in range(count)]
	insert_rows(
		"Customer",
		["name", "customer_name", "customer_type", "customer_group", "territory", "email_id", "creation",
		 "modified", "owner", "modified_by"],
		[(n, n, "Individual", group, territory, f"{n.lower()}@example.com", now, now, "Administrator",
		  "Administrator") for n in names],
	)  # fmt: skip
	receivable = get_party_account("Customer", frappe.db.get_value("Customer", {}, "name"), company)
	days = [1 if i % 4 < 2 else 8 if i % 4 == 2 else 20 for i in range(count)]
	invoices, ledger = [], []
	for i, name in enumerate(names):
		due = add_days(nowdate(), -days[i])
		number = f"{name}-01"
		invoices.append((number, name, company, due, due, 1, 990.0, 0, 990.0, 990.0, currency, now, now))
		ledger.append(
			(f"{number}-I", due, "Receivable", receivable, "Customer", name, "Sales Invoice", number,
			 "Sales Invoice", number, 990.0, currency, 990.0, 0, company, due, now, now, 1)
		)  # fmt: skip
	flush_invoices(invoices, ledger)
	for email in COLLECTORS:
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": email.split("@")[0],
					"send_welcome_email": 0,
				}
			)
			user.insert(ignore_permissions=True)
			user.add_roles("Debt Collector")
	frappe.db.commit()


def delete_data() -> None:
	"""The debt benchmark's clean-up, and the collectors this one made."""
	from debt_benchmark import delete_data as delete_debt_data

	import frappe

	delete_debt_data()
	from churn_management.collections.doctype.debt_case.debt_case_setup import (
		ASSIGNMENT_RULE,
		sync_assignment_rule,
	)

	if frappe.db.get_value("Assignment Rule", ASSIGNMENT_RULE, "last_user") in COLLECTORS:
		frappe.db.set_value("Assignment Rule", ASSIGNMENT_RULE, "last_user", None)
	for email in COLLECTORS:
		if frappe.db.exists("User", email):
			frappe.delete_doc("User", email, ignore_permissions=True, force=True)
	sync_assignment_rule()
	frappe.db.commit()


def pending() -> int:
	import frappe

	frappe.db.rollback()  # a fresh snapshot of what the workers committed
	case = frappe.qb.DocType("Debt Case")
	return (
		frappe.qb.from_(case)
		.select(case.name)
		.where(
			case.customer.like(f"{PREFIX}%")
			& (case.status == "Open")
			& (case.acted_stage.isnull() | (case.acted_stage != case.stage))
		)
		.run()
		.__len__()
	)


def doubles() -> dict:
	"""Anything made twice: a letter, block or task logged twice for a stage, two open ToDos of a
	collector on a case, more e-mails than letters."""
	import pandas as pd

	import frappe

	case = frappe.qb.DocType("Debt Case")
	action = frappe.qb.DocType("Debt Case Action")
	todo = frappe.qb.DocType("ToDo")
	mail = frappe.qb.DocType("Email Queue")
	ours = case.customer.like(f"{PREFIX}%")
	logged = pd.DataFrame(
		frappe.qb.from_(action)
		.join(case)
		.on(case.name == action.parent)
		.select(action.parent, action.action, action.stage)
		.where(ours & action.action.isin(["Reminder", "Warning", "Call", "Service Block"]))
		.run(),
		columns=["case", "action", "stage"],
	)
	todos = pd.DataFrame(
		frappe.qb.from_(todo)
		.join(case)
		.on(case.name == todo.reference_name)
		.select(todo.reference_name, todo.allocated_to)
		.where(ours & (todo.reference_type == "Debt Case") & (todo.status == "Open"))
		.run(),
		columns=["case", "user"],
	)
	mails = (
		frappe.qb.from_(mail)
		.join(case)
		.on(case.name == mail.reference_name)
		.select(mail.name)
		.where(ours & (mail.reference_doctype == "Debt Case"))
		.run()
	)
	return {
		"logged twice": int(logged.duplicated().sum()),
		"two open ToDos": int(todos.duplicated().sum()),
		"letters": int(logged["action"].isin(["Reminder", "Warning"]).sum()),
		"e-mails": len(mails),
		"ToDos": len(todos),
		"blocks": int((logged["action"] == "Service Block").sum()),
	}


def start_worker(site: str, url: str) -> subprocess.Popen:
	return subprocess.Popen([sys.executable, "-c", WORKER, site, url], env=os.environ.copy())


def main() -> None:
	parser = site_arguments(__doc__, customers=False)
	parser.add_argument("--debtors", type=int, default=5000)
	parser.add_argument("--workers", type=int, default=2)
	parser.add_argument("--redis-port", type=int, default=11911)
	parser.add_argument("--kill-worker", action="store_true", help="kill a worker halfway, start a new one")
	parser.add_argument("--keep", action="store_true", help="leave the data in place")
	args = parser.parse_args()

	import frappe
	from frappe.utils import background_jobs

	url = f"redis://127.0.0.1:{args.redis_port}"
	redis = subprocess.Popen(
		["redis-server", "--port", str(args.redis_port), "--save", "", "--appendonly", "no"],
		stdout=subprocess.DEVNULL,
	)
	workers: list[subprocess.Popen] = []
	connect(args.site)
	frappe.local.conf.redis_queue = url
	background_jobs._redis_queue_conn = None
	try:
		delete_data()
		started = time.perf_counter()
		insert_debtors(args.debtors)
		print(f"inserted {args.debtors:,} debtors in {time.perf_counter() - started:.1f} s")

		from churn_management.collections.jobs.debt_cases import sweep_pending_actions, update_debt_cases

		started = time.perf_counter()
		summary = update_debt_cases()
		opened = time.perf_counter() - started
		print(f"debt job (cases opened and staged, batches queued): {opened:.1f} s, {summary}")

		if not args.workers:
			return
		started = time.perf_counter()
		workers = [start_worker(args.site, url) for _i in range(args.workers)]
		killed, swept = False, 0.0
		while (left := pending()) > 0:
			if args.kill_worker and not killed and left <= args.debtors // 2:
				workers[0].send_signal(signal.SIGKILL)
				workers[0].wait()
				workers[0] = start_worker(args.site, url)
				killed = True
				print(f"killed a worker at {time.perf_counter() - started:.1f} s with {left:,} cases left")
			idle = background_jobs.get_queue("long").count == 0
			if killed and idle and time.perf_counter() - swept > 240:
				swept = time.perf_counter()
				requeued = sweep_pending_actions()  # the scheduler's sweep, every 4 minutes
				if requeued:
					print(f"sweep queued {requeued:,} cases again")
			if time.perf_counter() - started > 1800:
				print("gave up after 30 minutes")
				break
			time.sleep(2)
		print(f"letters, blocks and tasks on {args.workers} workers: {time.perf_counter() - started:.1f} s")
		print(f"left pending: {pending():,}; {doubles()}")
	finally:
		for worker in workers:
			worker.terminate()
		if not args.keep:
			delete_data()  # its commit may still queue a job: the private Redis stays up until after it
		frappe.destroy()
		redis.terminate()


if __name__ == "__main__":
	main()
