# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The daily debt job (DOMAIN.md §5): debt cases open, escalate, fire their stage's actions, and close.

Read set-based from ERPNext's Payment Ledger (so payments, credit notes and unallocated advances count
the day they are posted) and from submitted Sales Invoices (the oldest overdue due date; invoices
marked disputed are left out). The analytics core compares today's debts with the open cases and
says which to open, move and close. Each case changed is its own transaction: one that fails is
rolled back and logged, and the rest go on. Each stage's actions are fired once per case (the log
remembers them), so a second run the same day changes nothing.
"""

import pandas as pd

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import add_months, cint, flt, getdate, now_datetime, nowdate

from churn_management.analytics.debt.collection import (
	DEFAULT_RECOVERY_CURVE,
	case_debts,
	net_case_invoices,
	next_stage,
	plan_cases,
	recovery_curve,
	score_cases,
	skipped_stages,
	with_default_curve,
)
from churn_management.collections.doctype.debt_case.debt_case import LIVE_STATUSES
from churn_management.collections.doctype.debt_case.debt_case_invoices import (
	invoice_payments,
	read_invoices,
	unpaid_invoices,
)
from churn_management.collections.doctype.debt_case.debt_case_setup import (
	REMINDER_NOTIFICATION,
	sync_assignment_rule,
)
from churn_management.collections.doctype.debt_stage.debt_stage import get_stages, read_stage_rows
from churn_management.collections.jobs.debt_case_bulk import move_cases, open_new_cases, stage_name

LEDGER_CHUNK = 5_000
ACTION_BATCH = 200  # cases per background batch of letters, blocks and tasks
BATCH_JOB = "churn_management.collections.jobs.debt_cases.fire_pending_actions"
CURVE_CACHE_KEY = "churn_management:debt_recovery_curve"
SCORE_FIELDS = (
	"recovery_probability",
	"expected_recovery",
	"remaining_cost",
	"net_recovery",
	"recommendation",
	"score_basis",
	"learnt_from",
)


def run_daily() -> None:
	"""Scheduler entry point."""
	if not cint(frappe.db.get_single_value("Debt Collection Settings", "enable_daily_job")):
		return
	update_debt_cases()


def update_debt_cases(as_of=None, customers: list[str] | None = None) -> dict:
	"""Bring every debt case (or only the given customers') up to date with ERPNext's ledger."""
	as_of = getdate(as_of or nowdate())
	stages = get_stages()
	if not stages:
		return {}
	stage_rows = {row.name: row for row in read_stage_rows()}
	sync_assignment_rule()
	debts = read_debts(as_of, customers)
	live = read_open_cases(customers)
	plan = plan_cases(debts, live, stages, as_of)
	owed = debts.groupby(["customer", "company"])["outstanding"].sum().to_dict()
	summary = {"opened": 0, "moved": 0, "closed": 0, "escalated": 0, "failed": 0}

	returning = had_a_case(plan.open)
	for row in plan.open[returning].itertuples(index=False):
		in_own_transaction(summary, "opened", open_case, row, stage_rows, as_of)
	new = plan.open[~returning]
	in_own_transaction(summary, None, count_into, summary, "opened", open_new_cases, new, stage_rows, as_of)
	to_work = set(live.loc[live["status"] == "Open", "case"])  # a write-off pending escalates no more
	moves = plan.move[plan.move["case"].isin(to_work)]
	in_own_transaction(summary, None, count_into, summary, "moved", move_cases, moves, stage_rows, as_of)
	for row in plan.close.itertuples(index=False):
		owes = float(owed.get((row.customer, row.company), 0.0))
		in_own_transaction(summary, "closed", close_case, row.case, owes, as_of)
	changed = changed_cases(plan.refresh)
	for row in changed.itertuples(index=False):
		in_own_transaction(summary, None, refresh_case, row, as_of)
	for case in cases_with_commitments():
		in_own_transaction(summary, "escalated", check_commitments, case, stages, stage_rows, as_of)
	update_ages(as_of)
	score_open_cases(as_of, stages, customers)
	enqueue_pending_actions(as_of, customers)

	frappe.db.set_single_value(
		"Debt Collection Settings",
		{
			"last_run_on": now_datetime(),
			"last_run_summary": _("{0} opened, {1} moved, {2} closed, {3} escalated, {4} failed").format(
				summary["opened"],
				summary["moved"],
				summary["closed"],
				summary["escalated"],
				summary["failed"],
			),
		},
	)
	commit()
	return summary


def commit() -> None:
	"""One transaction per case; tests hold the commits back (frappe.flags.hold_debt_commits)."""
	if not frappe.flags.hold_debt_commits:
		frappe.db.commit()  # nosemgrep: a scheduled job commits per case


def refresh_on_payment(doc, method: str | None = None) -> None:
	"""A payment, credit note or journal entry of a debtor with a live case refreshes that case the same
	day; cancelling one brings a closed case's debt back the same day too."""
	customers = payment_customers(doc)
	statuses = (*LIVE_STATUSES, "Closed") if method == "on_cancel" else LIVE_STATUSES
	if not customers or not frappe.db.exists(
		"Debt Case", {"customer": ("in", customers), "status": ("in", statuses)}
	):
		return
	frappe.enqueue(
		update_debt_cases,
		queue="short",
		customers=customers,
		enqueue_after_commit=True,
		now=bool(frappe.flags.in_test),
	)


def payment_customers(doc) -> list[str]:
	if doc.doctype == "Payment Entry":
		return [doc.party] if doc.party_type == "Customer" and doc.party else []
	if doc.doctype == "Sales Invoice" and doc.is_return:
		return [doc.customer]
	if doc.doctype == "Journal Entry":
		return sorted({row.party for row in doc.accounts if row.party_type == "Customer" and row.party})
	return []


def count_into(summary: dict, key: str, fn, *args) -> None:
	"""Run a set-based step and add how many cases it changed to the summary."""
	summary[key] += fn(*args)


def in_own_transaction(summary: dict, key: str | None, fn, *args) -> None:
	"""Run one case's change and commit it; on a validation error roll it back, log it and go on."""
	try:
		frappe.db.savepoint("debt_case")
		done = fn(*args)
		commit()
		if key and done is not False:
			summary[key] += 1
	except frappe.ValidationError:
		frappe.db.rollback(save_point="debt_case")
		frappe.log_error(title=_("Debt case update failed"))
		summary["failed"] += 1


# ---------------------------------------------------------------------------------------------- reading


def read_debts(as_of, customers: list[str] | None = None) -> pd.DataFrame:
	"""Per customer and company: the net receivable (ledger) less disputed invoices, and the oldest
	overdue due date of an undisputed invoice still owed once credit has paid the oldest invoices
	first (a credit note that keeps its own outstanding leaves its invoice unpaid in ERPNext).

	Only customers with an overdue unpaid invoice can owe, so their invoices are read and the ledger
	is summed for them alone (through its party index) rather than for the whole customer base."""
	invoice = frappe.qb.DocType("Sales Invoice")
	base = (invoice.docstatus == 1) & (invoice.outstanding_amount > 0) & (invoice.is_return == 0)
	if customers:
		base &= invoice.customer.isin(customers)
	overdue = (
		frappe.qb.from_(invoice)
		.select(invoice.customer)
		.distinct()
		.where(base & (invoice.churn_disputed == 0) & (invoice.due_date < as_of))
		.run()
	)
	debtors = sorted(row[0] for row in overdue)
	net = pd.DataFrame(
		ledger_balances(debtors, as_of) if debtors else [], columns=["customer", "company", "net"]
	)
	disputed = (
		frappe.qb.from_(invoice)
		.select(invoice.customer, invoice.company, Sum(invoice.outstanding_amount))
		.where(base & (invoice.churn_disputed == 1))
		.groupby(invoice.customer, invoice.company)
		.run()
	)
	disputed = pd.DataFrame(disputed, columns=["customer", "company", "disputed"])
	balances = net.merge(disputed, on=["customer", "company"], how="left").astype(
		{"net": float, "disputed": float}
	)
	balances["outstanding"] = balances["net"].fillna(0) - balances["disputed"].fillna(0)
	return case_debts(unpaid_invoices(debtors), balances, as_of)


def ledger_balances(customers: list[str], as_of) -> list[tuple]:
	"""(customer, company, receivable balance) from ERPNext's Payment Ledger, in chunks of customers."""
	ledger = frappe.qb.DocType("Payment Ledger Entry")
	rows: list[tuple] = []
	for start in range(0, len(customers), LEDGER_CHUNK):
		rows += (
			frappe.qb.from_(ledger)
			.select(ledger.party, ledger.company, Sum(ledger.amount))
			.where(
				(ledger.party_type == "Customer")
				& (ledger.account_type == "Receivable")
				& (ledger.delinked == 0)
				& (ledger.posting_date <= as_of)
				& ledger.party.isin(customers[start : start + LEDGER_CHUNK])
			)
			.groupby(ledger.party, ledger.company)
			.run()
		)
	return rows


def read_open_cases(customers: list[str] | None = None) -> pd.DataFrame:
	case = frappe.qb.DocType("Debt Case")
	query = (
		frappe.qb.from_(case)
		.select(
			case.name,
			case.customer,
			case.company,
			case.stage,
			case.outstanding,
			case.oldest_due_date,
			case.status,
		)
		.where(case.status.isin(LIVE_STATUSES))
	)
	if customers:
		query = query.where(case.customer.isin(customers))
	rows = query.run()
	frame = pd.DataFrame(
		rows, columns=["case", "customer", "company", "stage", "stored", "stored_due", "status"]
	)
	frame["stored"] = frame["stored"].astype(float)
	frame["stored_due"] = pd.to_datetime(frame["stored_due"])
	return frame


def changed_cases(refresh: pd.DataFrame) -> pd.DataFrame:
	"""Cases whose debt or oldest due date moved since they were last written."""
	if refresh.empty:
		return refresh
	moved = (refresh["outstanding"] - refresh["stored"]).abs() > 0.005
	due_moved = refresh["oldest_due"] != refresh["stored_due"]
	return refresh[moved | due_moved]


# ---------------------------------------------------------------------------------------------- changes


def set_debt(doc, outstanding: float, oldest_due, as_of) -> None:
	doc.outstanding = flt(outstanding, 2)
	doc.oldest_due_date = getdate(oldest_due) if oldest_due is not None and not pd.isna(oldest_due) else None
	doc.days_overdue = (as_of - doc.oldest_due_date).days if doc.oldest_due_date else 0
	doc.refreshed_on = as_of
	doc.set("invoices", read_invoices(doc.customer, doc.company, doc.outstanding, as_of))


def had_a_case(rows: pd.DataFrame) -> pd.Series:
	"""Which of these new debtors have a closed case in the company to re-open."""
	if rows.empty:
		return pd.Series(False, index=rows.index, dtype=bool)
	case = frappe.qb.DocType("Debt Case")
	closed = set()
	customers = sorted(set(rows["customer"]))
	for start in range(0, len(customers), LEDGER_CHUNK):
		closed.update(
			frappe.qb.from_(case)
			.select(case.customer, case.company)
			.distinct()
			.where((case.status == "Closed") & case.customer.isin(customers[start : start + LEDGER_CHUNK]))
			.run()
		)
	return pd.Series(
		[(row.customer, row.company) in closed for row in rows.itertuples(index=False)],
		index=rows.index,
		dtype=bool,
	)


def open_case(row, stage_rows: dict, as_of) -> None:
	"""A debtor with a closed case in the company: re-open it (its stage's actions come in a batch)."""
	closed = frappe.get_all(
		"Debt Case",
		filters={"customer": row.customer, "company": row.company, "status": "Closed"},
		order_by="closed_on desc, creation desc",
		pluck="name",
		limit=1,
	)
	if closed:
		doc = frappe.get_doc("Debt Case", closed[0])
		doc.status = "Open"
		doc.update(
			{"closed_on": None, "decision": "", "stage": None, "acted_stage": None, "plan_start": None}
		)
		doc.set("instalments", [])
		doc.log("Case Reopened", stage="")
	else:
		doc = frappe.get_doc(
			{"doctype": "Debt Case", "customer": row.customer, "company": row.company, "opened_on": as_of}
		)
		doc.log("Case Opened")
	set_debt(doc, row.outstanding, row.oldest_due, as_of)
	enter_stage(doc, row.target_stage, stage_rows, as_of)
	doc.flags.ignore_permissions = True
	doc.save()
	take_collector_from_assignment(doc)


def fire_actions_up_to(doc, previous: str | None, stages, stage_rows: dict, as_of) -> None:
	"""The letters and blocks of the stages the case jumped over since ``previous``, in order, then the
	actions of the stage it entered: a debtor first found past the block stage is still warned and
	blocked."""
	for skipped in skipped_stages(stages, previous, doc.stage):
		fire_stage_actions(doc, stage_rows.get(skipped.name), as_of, skipped=True)
	fire_stage_actions(doc, stage_rows.get(doc.stage), as_of)
	doc.acted_stage = doc.stage


def enter_stage(doc, stage: str | None, stage_rows: dict, as_of) -> None:
	doc.stage = stage
	doc.stage_since = as_of
	doc.log("Stage", stage_name(stage_rows, stage), stage=stage)


def close_case(case: str, outstanding: float, as_of) -> None:
	"""Paid (or no longer overdue): close, unblock the service, keep the decision if one was taken."""
	doc = frappe.get_doc("Debt Case", case)
	set_debt(doc, max(outstanding, 0.0), None, as_of)
	doc.check_promises(as_of)
	doc.check_instalments(as_of)
	doc.status = "Closed"
	doc.closed_on = as_of
	if not doc.decision or doc.decision == "Payment Plan":
		doc.decision = "Collected"
	doc.apply_unblock(_("Debt written off") if doc.decision == "Written Off" else _("Debt paid"))
	doc.log("Case Closed")
	doc.flags.ignore_permissions = True
	doc.save()


def refresh_case(row, as_of) -> None:
	doc = frappe.get_doc("Debt Case", row.case)
	set_debt(doc, row.outstanding, row.oldest_due, as_of)
	doc.flags.ignore_permissions = True
	doc.save()


def cases_with_commitments() -> list[str]:
	"""Open cases with a pending promise or unpaid instalment."""
	promise = frappe.qb.DocType("Debt Promise")
	instalment = frappe.qb.DocType("Debt Instalment")
	case = frappe.qb.DocType("Debt Case")
	names = set()
	for child in (promise, instalment):
		rows = (
			frappe.qb.from_(child)
			.join(case)
			.on(case.name == child.parent)
			.select(case.name)
			.distinct()
			.where((case.status == "Open") & (child.status == "Pending"))
			.run()
		)
		names.update(row[0] for row in rows)
	return sorted(names)


def check_commitments(case: str, stages, stage_rows: dict, as_of) -> bool:
	"""A broken promise or a missed instalment escalates the case to the next stage at once."""
	doc = frappe.get_doc("Debt Case", case)
	broken = doc.check_promises(as_of)
	missed = doc.check_instalments(as_of)
	escalate = (broken or missed) and next_stage(stages, doc.stage)
	if escalate:
		enter_stage(doc, escalate.name, stage_rows, as_of)  # its actions come in a batch
	doc.flags.ignore_permissions = True
	doc.save()
	return bool(escalate)


def update_ages(as_of) -> None:
	"""Days overdue of every open case, in one statement."""
	from pypika import CustomFunction

	date_diff = CustomFunction("DATEDIFF", ["end", "start"])
	case = frappe.qb.DocType("Debt Case")
	(
		frappe.qb.update(case)
		.set(case.days_overdue, date_diff(as_of, case.oldest_due_date))
		.where(case.status.isin(LIVE_STATUSES) & case.oldest_due_date.isnotnull())
		.run()
	)


# ---------------------------------------------------------------------------------------------- actions


def enqueue_pending_actions(
	as_of=None, customers: list[str] | None = None, waiting: set[str] | None = None
) -> int:
	"""The open cases whose stage was not acted on yet (less those ``waiting`` in the queue), in batches
	on the background workers (at once in tests). A case stays pending until its actions are committed,
	so a batch lost with its worker is found again by the next sweep."""
	case = frappe.qb.DocType("Debt Case")
	query = (
		frappe.qb.from_(case)
		.select(case.name)
		.where(
			(case.status == "Open")
			& case.stage.isnotnull()
			& (case.acted_stage.isnull() | (case.acted_stage != case.stage))
		)
		.orderby(case.name)
	)
	if customers:
		query = query.where(case.customer.isin(customers))
	cases = [row[0] for row in query.run() if row[0] not in (waiting or ())]
	as_of = str(getdate(as_of or nowdate()))
	now = bool(frappe.flags.in_test)
	for start in range(0, len(cases), ACTION_BATCH):
		frappe.enqueue(
			fire_pending_actions,
			queue="long",
			timeout=3600,
			enqueue_after_commit=not now,
			now=now,
			cases=cases[start : start + ACTION_BATCH],
			as_of=as_of,
		)
	return len(cases)


def sweep_pending_actions() -> int:
	"""Scheduler, every few minutes: cases left pending by a batch lost with its worker are queued
	again (a batch still running meets them already done: each case is re-checked under a lock)."""
	if not cint(frappe.db.get_single_value("Debt Collection Settings", "enable_daily_job")):
		return 0
	return enqueue_pending_actions(waiting=waiting_cases())


def waiting_cases() -> set[str]:
	"""Cases of this site's batches still waiting in the queue."""
	from frappe.utils.background_jobs import get_queue

	waiting = set()
	for job in get_queue("long").jobs:
		kwargs = job.kwargs or {}
		if kwargs.get("site") == frappe.local.site and kwargs.get("job_name") == BATCH_JOB:
			waiting.update(kwargs.get("kwargs", {}).get("cases") or ())
	return waiting


def fire_pending_actions(cases: list[str], as_of=None) -> dict:
	"""A batch: each case's pending actions in its own transaction."""
	as_of = getdate(as_of or nowdate())
	stages = get_stages()
	stage_rows = {row.name: row for row in read_stage_rows()}
	summary = {"acted": 0, "failed": 0}
	for case in cases:
		in_own_transaction(summary, "acted", act_on_case, case, stages, stage_rows, as_of)
	return summary


def act_on_case(case: str, stages, stage_rows: dict, as_of) -> bool:
	"""The letters, block and tasks the case's stage (and those it jumped over) still owe. The case row
	is locked and read again first, so a batch run twice (a worker restarted halfway, two sweeps)
	makes nothing twice."""
	state = frappe.db.get_value(
		"Debt Case", case, ["status", "stage", "acted_stage"], as_dict=True, for_update=True
	)
	if not state or state.status != "Open" or not state.stage or state.stage == state.acted_stage:
		return False
	doc = frappe.get_doc("Debt Case", case)
	if not doc.collector:
		assign_collector(doc)
	fire_actions_up_to(doc, doc.acted_stage, stages, stage_rows, as_of)
	doc.acted_stage = doc.stage
	doc.flags.ignore_permissions = True
	doc.flags.ignore_version = True  # the case's own log records what the job did
	doc.save()
	return True


def assign_collector(doc) -> None:
	"""The Assignment Rule hands a case opened set-based out, as it does on a save."""
	from frappe.automation.doctype.assignment_rule.assignment_rule import apply

	apply(doc)
	take_collector_from_assignment(doc)
	doc.reload()  # the Assignment Rule wrote _assign behind this document's back


def fire_stage_actions(doc, stage, as_of, skipped: bool = False) -> None:
	"""The stage's actions, each once per case and stage; of a stage jumped over, its letter and block."""
	if not stage:
		return
	send_letter(doc, stage)
	if not skipped:
		make_stage_tasks(doc, stage, before_block=True)
	if stage.block_service and not doc.service_blocked:
		doc.apply_block(
			_("Stage {0}: {1} days overdue").format(
				_(stage.stage_name, context="Debt Stage"), doc.days_overdue
			),
			stage=stage.name,
		)
	if not skipped:
		make_stage_tasks(doc, stage, before_block=False)


def send_letter(doc, stage) -> None:
	"""The stage's reminder or warning: ERPNext's Dunning and the Notification, once per case and stage."""
	letter = "Warning" if stage.send_warning else "Reminder" if stage.send_reminder else None
	if letter and not doc.has_logged(letter, stage.name):
		notes, dunning = [], None
		if stage.dunning_type:
			dunning = make_dunning(doc, stage.dunning_type)
			notes.append(_("Dunning {0}").format(dunning) if dunning else _("no Dunning: nothing overdue"))
		notification = stage.notification or REMINDER_NOTIFICATION
		if doc.contact_email and frappe.db.exists("Notification", notification):
			frappe.get_cached_doc("Notification", notification).send(doc)
			notes.append(_("Notification {0} to {1}").format(notification, doc.contact_email))
		doc.log(letter, "; ".join(notes), "Dunning" if dunning else None, dunning, stage=stage.name)


def make_stage_tasks(doc, stage, before_block: bool) -> None:
	"""The call and the pre-churn work come before the stage's block, the decision after it."""
	if before_block and stage.make_call and not doc.has_logged("Call", stage.name):
		todo = make_todo(
			doc, _("Call the debtor about {0}").format(frappe.format(doc.outstanding, "Currency")), stage
		)
		doc.log("Call", stage.speech_module or "", "ToDo", todo, stage=stage.name)
	if before_block and stage.pre_churn_work and not doc.has_logged("Pre-churn Work", stage.name):
		todo = make_todo(doc, _("Pre-churn work: agree a payment plan or the end of the contract"), stage)
		doc.log("Pre-churn Work", "", "ToDo", todo, stage=stage.name)
	if not before_block and stage.decision and not doc.has_logged("Decision", stage.name):
		todo = make_todo(
			doc,
			_("Decide: collect, hand over or write off ({0})").format(
				_(doc.recommendation, context="Debt Case") if doc.recommendation else "-"
			),
			stage,
		)
		doc.log("Decision", _("Decision due"), "ToDo", todo, stage=stage.name)


def make_dunning(doc, dunning_type: str) -> str | None:
	"""ERPNext's Dunning over the case's overdue invoices, with the stage's Dunning Type (left in draft)."""
	from erpnext.accounts.doctype.dunning.dunning import get_dunning_letter_text
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import create_dunning

	invoices = with_overdue_schedule([row.sales_invoice for row in doc.invoices if row.days_overdue > 0])
	if not invoices:
		return None
	dunning = None
	for invoice in invoices:
		dunning = create_dunning(invoice, target_doc=dunning, ignore_permissions=True)
	if not dunning.overdue_payments:
		return None
	settings = frappe.get_cached_doc("Dunning Type", dunning_type)
	dunning.dunning_type = settings.name
	dunning.rate_of_interest = settings.rate_of_interest
	dunning.dunning_fee = settings.dunning_fee
	dunning.income_account = settings.income_account
	dunning.cost_center = settings.cost_center
	letter = get_dunning_letter_text(
		dunning_type=settings.name, doc=dunning.as_dict(), language=dunning.language
	)
	if letter:
		dunning.body_text = letter.get("body_text")
		dunning.closing_text = letter.get("closing_text")
	dunning.flags.ignore_permissions = True
	dunning.insert()
	return dunning.name


def with_overdue_schedule(invoices: list[str]) -> list[str]:
	"""The invoices a Dunning can list: those with an unpaid payment-schedule row past its date."""
	if not invoices:
		return []
	schedule = frappe.qb.DocType("Payment Schedule")
	found = {
		row[0]
		for row in frappe.qb.from_(schedule)
		.select(schedule.parent)
		.distinct()
		.where(
			(schedule.parenttype == "Sales Invoice")
			& schedule.parent.isin(invoices)
			& (schedule.outstanding > 0)
			& (schedule.due_date < nowdate())
		)
		.run()
	}
	return [invoice for invoice in invoices if invoice in found]


def make_todo(doc, description: str, stage) -> str:
	"""The stage's task for the case's collector: their open ToDo on the case takes it on (one open
	ToDo per person and document, as Frappe's own assignments keep it), else a new ToDo."""
	text = description + (f" ({_('speech module')}: {stage.speech_module})" if stage.speech_module else "")
	priority = "High" if stage.decision or stage.block_service else "Medium"
	current = doc.collector and frappe.db.get_value(
		"ToDo",
		{
			"reference_type": "Debt Case",
			"reference_name": doc.name,
			"allocated_to": doc.collector,
			"status": "Open",
		},
		["name", "date", "description"],
		as_dict=True,
	)
	if current:
		todo = frappe.get_doc("ToDo", current.name)
		same_day = current.date and getdate(current.date) == getdate(nowdate())
		todo.description = f"{todo.description}<br>{text}" if same_day and todo.description else text
		todo.update({"date": nowdate(), "priority": priority})
		todo.save(ignore_permissions=True)
		return todo.name
	todo = frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": doc.collector,
			"description": text,
			"reference_type": "Debt Case",
			"reference_name": doc.name,
			"date": nowdate(),
			"priority": priority,
		}
	)
	todo.insert(ignore_permissions=True)
	return todo.name


def take_collector_from_assignment(doc) -> None:
	"""The Assignment Rule assigns on save; the collector field follows it."""
	assigned = frappe.parse_json(frappe.db.get_value("Debt Case", doc.name, "_assign") or "[]") or []
	if assigned and doc.collector != assigned[0]:
		doc.db_set("collector", assigned[0], update_modified=False)


# ---------------------------------------------------------------------------------------------- scoring


def read_history(as_of) -> pd.DataFrame:
	"""Invoices of the learning window with when and how much was paid, from the ledger."""
	months = cint(frappe.db.get_single_value("Debt Collection Settings", "history_months")) or 24
	start = add_months(as_of, -months)
	invoice = frappe.qb.DocType("Sales Invoice")
	invoices = (
		frappe.qb.from_(invoice)
		.select(invoice.name, invoice.due_date, invoice.base_grand_total)
		.where(
			(invoice.docstatus == 1)
			& (invoice.is_return == 0)
			& (invoice.due_date >= start)
			& (invoice.due_date <= as_of)
		)
		.run()
	)
	frame = pd.DataFrame(invoices, columns=["invoice", "due_date", "amount"])
	ledger = frappe.qb.DocType("Payment Ledger Entry")
	paid = invoice_payments((ledger.posting_date >= start) & (ledger.posting_date <= as_of))
	frame = frame.merge(paid, on="invoice", how="left")
	frame["due_date"] = pd.to_datetime(frame["due_date"])
	frame["paid_date"] = pd.to_datetime(frame["paid_date"])
	frame["amount"] = frame["amount"].astype(float)
	frame["paid_amount"] = frame["paid_amount"].astype(float)
	return frame[frame["amount"] > 0]


def learnt_recovery_curve(as_of, settings) -> pd.DataFrame:
	"""The recovery curve, learnt from two years of invoices: it moves slowly, so it is learnt again
	once a week (or when its settings change), not every night over the whole history."""
	stamp = "{}-{}:{}:{}".format(
		*getdate(as_of).isocalendar()[:2], cint(settings.follow_days), cint(settings.history_months)
	)
	cached = frappe.cache.get_value(CURVE_CACHE_KEY, expires=True)
	if cached and cached.get("stamp") == stamp:
		return pd.DataFrame(cached["curve"])
	curve = recovery_curve(read_history(as_of), as_of, follow_days=cint(settings.follow_days))
	frappe.cache.set_value(
		CURVE_CACHE_KEY, {"stamp": stamp, "curve": curve.to_dict("list")}, expires_in_sec=8 * 86_400
	)
	return curve


def forget_recovery_curve() -> None:
	"""Learn the curve again on the next run (new history loaded, settings changed)."""
	frappe.cache.delete_value(CURVE_CACHE_KEY)


def recovery_curve_in_use(as_of, settings) -> pd.DataFrame:
	"""The learnt curve where enough invoices were followed at an age, the settings' default curve at
	the other ages (a new site has little payment history to learn from)."""
	default = [(cint(row.age_from), flt(row.probability) / 100) for row in settings.default_curve] or [
		(age, probability / 100) for age, probability in DEFAULT_RECOVERY_CURVE
	]
	return with_default_curve(
		learnt_recovery_curve(as_of, settings), default, cint(settings.min_history_invoices)
	)


def score_open_cases(as_of, stages, customers: list[str] | None = None) -> None:
	"""Worth collecting: recovery probability for the age, expected recovery, cost ahead, net."""
	case = frappe.qb.DocType("Debt Case")
	query = (
		frappe.qb.from_(case)
		.select(case.name, case.outstanding, case.days_overdue, *[case[f] for f in SCORE_FIELDS])
		.where(case.status == "Open")
	)
	if customers:
		query = query.where(case.customer.isin(customers))
	rows = query.run()
	if not rows:
		return
	cases = pd.DataFrame(
		rows, columns=["case", "outstanding", "days_overdue", *[f"old_{f}" for f in SCORE_FIELDS]]
	)
	cases["outstanding"] = cases["outstanding"].astype(float)
	cases["days_overdue"] = cases["days_overdue"].fillna(0).astype(int)
	settings = frappe.get_single("Debt Collection Settings")
	curve = recovery_curve_in_use(as_of, settings)
	scored = score_cases(
		cases,
		curve,
		stages,
		cost_per_minute=flt(settings.cost_per_minute),
		default_probability=float(curve["probability"].iloc[0]),
	)
	scored["score_basis"] = scored["basis"]
	scored["recovery_probability"] = (scored["probability"] * 100).round(2)
	for column in ("expected_recovery", "remaining_cost", "net_recovery"):
		scored[column] = scored[column].round(2)
	changed = pd.Series(False, index=scored.index)
	for field in SCORE_FIELDS:
		old = scored[f"old_{field}"]
		if field in ("recommendation", "score_basis"):
			changed |= old.fillna("") != scored[field]
		else:
			changed |= (old.astype(float).fillna(0) - scored[field]).abs() > 0.005
	for row in scored[changed].itertuples(index=False):
		frappe.db.set_value(
			"Debt Case",
			row.case,
			{field: getattr(row, field) for field in SCORE_FIELDS},
			update_modified=False,
		)
