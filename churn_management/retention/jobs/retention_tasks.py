# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The daily retention job: make tasks from the task rules, hand them out within each manager's daily
capacity, and move pauses (start, resume, judge whether the customer paid again).

Set-based: each rule reads its candidates with one query; customers who already have an open task of
the rule's type, or a task of the same rule for the same source (or within the rule's repeat
window), are left out, so running the job twice makes nothing new the second time.
"""

import pandas as pd

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_days, cint, getdate, now_datetime, nowdate

from churn_management.analytics.retention.work import allocate_capacity
from churn_management.churn_management.doctype.churn_record.churn_record_utils import (
	CUSTOMER_TYPES,
	set_customer_churn_status,
)
from churn_management.clubs.jobs.club_task_candidates import reactivation_candidates, renewal_candidates
from churn_management.customer_service.complaints import COMPLAINT_TRIGGER, complaint_task_candidates
from churn_management.customer_service.survey_links import DETRACTOR_TRIGGER, detractor_task_candidates
from churn_management.customer_service.tariff_signals import downgrade_candidates
from churn_management.retention.doctype.retention_settings.retention_settings import (
	get_settings,
	minutes_per_task,
)
from churn_management.retention.doctype.retention_task.retention_task_assignment import (
	assign_task,
	ensure_assignment_rule,
	rule_users,
)
from churn_management.retention.doctype.retention_task.retention_task_utils import to_frame

OPEN_STATUSES = ("Waiting", "Open", "In Progress")
LOOKBACK_DAYS = 30
CANDIDATE_COLUMNS = [
	"customer",
	"company",
	"churn_record",
	"termination_application",
	"subscription",
	"churn_reason",
	"reason_group",
	"monthly_revenue",
]
SOURCE_FIELDS = {
	"Churn record created": "churn_record",
	"Termination application filed": "termination_application",
	"Contract ends in N days": "subscription",
	"Tariff downgrade": "subscription",
}
CHUNK = 1000


def run_daily() -> None:
	"""Scheduler entry point (daily_long)."""
	settings = get_settings()
	if not cint(settings.enable_daily_jobs):
		return
	summary = run()
	frappe.db.set_single_value(
		"Retention Settings",
		{
			"last_run_on": now_datetime(),
			"last_run_summary": _(
				"{0} tasks created, {1} handed out, {2} pauses started, {3} resumed, {4} judged"
			).format(
				summary["created"],
				summary["released"],
				summary["paused"],
				summary["resumed"],
				summary["judged"],
			),
		},
	)
	commit()


def commit() -> None:
	"""Jobs commit as they go; under test the test case keeps (and rolls back) everything."""
	if not frappe.flags.in_test:
		frappe.db.commit()


def run(today=None) -> dict:
	"""Every step of the daily job; returns what it did."""
	today = getdate(today or nowdate())
	created = make_tasks(today)
	commit()
	released = release_tasks()
	commit()
	paused, resumed = move_pauses(today)
	judged = judge_pauses(today)
	commit()
	return {"created": created, "released": released, "paused": paused, "resumed": resumed, "judged": judged}


# ---------------------------------------------------------------- making tasks


def make_tasks(today) -> int:
	"""Tasks from every enabled rule."""
	created = 0
	for rule in frappe.get_all("Retention Task Rule", filters={"enabled": 1}, pluck="name", order_by="name"):
		created += make_tasks_for_rule(frappe.get_doc("Retention Task Rule", rule), today)
	return created


def make_tasks_for_rule(rule, today) -> int:
	"""Candidates of one rule, less the customers who already have what it would make."""
	candidates = rule_candidates(rule, today)
	if candidates.empty:
		return 0
	candidates = _filter_customer_type(candidates, rule.customer_type)
	if rule.reason_group:
		candidates = candidates[candidates["reason_group"] == rule.reason_group]
	if rule.company:
		candidates = candidates[candidates["company"].isna() | (candidates["company"] == rule.company)]
	candidates = candidates.drop_duplicates("customer")
	candidates = _drop_existing(candidates, rule, today)
	if candidates.empty:
		return 0
	_fill_revenue(candidates)
	due_date = add_days(today, cint(rule.due_days))
	for row in candidates.to_dict("records"):
		frappe.db.savepoint("retention_task")
		try:
			frappe.get_doc(
				{
					"doctype": "Retention Task",
					"task_type": rule.task_type,
					"customer": row["customer"],
					"company": _value(row.get("company")) or rule.company,
					"due_date": due_date,
					"churn_record": _value(row.get("churn_record")),
					"termination_application": _value(row.get("termination_application")),
					"subscription": _value(row.get("subscription")),
					"churn_reason": _value(row.get("churn_reason")),
					"monthly_revenue": float(row.get("monthly_revenue") or 0),
					"max_attempts": rule.max_attempts,
					"task_rule": rule.name,
					"status": "Waiting",
				}
			).insert(ignore_permissions=True)
		except frappe.ValidationError:
			frappe.db.rollback(save_point="retention_task")
			frappe.log_error(title=_("Retention task for {0} not created").format(row["customer"]))
	return len(candidates)


def _value(value):
	return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def rule_candidates(rule, today) -> pd.DataFrame:
	"""One query per trigger; columns as CANDIDATE_COLUMNS (missing ones empty)."""
	ready_by = add_days(today, -cint(rule.delay_days))
	since = add_days(ready_by, -LOOKBACK_DAYS)
	if rule.trigger == "Churn record created":
		record = frappe.qb.DocType("Churn Record")
		query = (
			frappe.qb.from_(record)
			.select(
				record.customer,
				record.company,
				record.name.as_("churn_record"),
				record.churn_reason,
				record.reason_group,
				record.lost_mrr.as_("monthly_revenue"),
			)
			.where(
				(record.status == "Open")
				& (record.creation < add_days(ready_by, 1))
				& (record.creation >= since)
			)
		)
		if cint(rule.only_without_reason):
			query = query.where(record.churn_reason.isnull())
	elif rule.trigger == "Termination application filed":
		application = frappe.qb.DocType("Termination Application")
		query = (
			frappe.qb.from_(application)
			.select(
				application.customer,
				application.company,
				application.name.as_("termination_application"),
				application.churn_reason,
				application.reason_group,
			)
			.where(
				(application.docstatus == 0)
				& (application.creation < add_days(ready_by, 1))
				& (application.creation >= since)
			)
		)
	elif rule.trigger == "Status became Pre-churn":
		customer = frappe.qb.DocType("Customer")
		query = (
			frappe.qb.from_(customer)
			.select(customer.name.as_("customer"))
			.where((customer.churn_status == "Pre-churn") & (customer.disabled == 0))
		)
	elif rule.trigger == "Contract ends in N days":
		subscription = frappe.qb.DocType("Subscription")
		query = (
			frappe.qb.from_(subscription)
			.select(
				subscription.party.as_("customer"),
				subscription.company,
				subscription.name.as_("subscription"),
			)
			.where(
				(subscription.party_type == "Customer")
				& (subscription.end_date >= today)
				& (subscription.end_date <= add_days(today, cint(rule.days)))
				& (subscription.status.notin(["Cancelled", "Completed"]))
			)
		)
	elif rule.trigger == "Membership ends in N days":
		return renewal_candidates(rule, today).reindex(columns=CANDIDATE_COLUMNS)
	elif rule.trigger == "Member inactive N days":
		return reactivation_candidates(rule, today).reindex(columns=CANDIDATE_COLUMNS)
	elif rule.trigger == COMPLAINT_TRIGGER:
		return complaint_task_candidates(ready_by).reindex(columns=CANDIDATE_COLUMNS)
	elif rule.trigger == DETRACTOR_TRIGGER:
		return detractor_task_candidates(since, ready_by).reindex(columns=CANDIDATE_COLUMNS)
	elif rule.trigger == "Tariff downgrade":
		return downgrade_candidates(rule, today, LOOKBACK_DAYS).reindex(columns=CANDIDATE_COLUMNS)
	else:
		return pd.DataFrame(columns=CANDIDATE_COLUMNS)
	frame = to_frame(query.run(as_dict=True), CANDIDATE_COLUMNS)
	return frame.reindex(columns=CANDIDATE_COLUMNS)


def _filter_customer_type(candidates: pd.DataFrame, wanted: str | None) -> pd.DataFrame:
	if wanted not in ("B2B", "B2C"):
		return candidates
	types = [t for t, kind in CUSTOMER_TYPES.items() if kind == wanted]
	keep = set()
	for chunk in _chunks(candidates["customer"].unique().tolist()):
		keep.update(
			frappe.get_all(
				"Customer",
				filters={"name": ("in", chunk), "customer_type": ("in", types)},
				pluck="name",
			)
		)
	return candidates[candidates["customer"].isin(keep)]


def _drop_existing(candidates: pd.DataFrame, rule, today) -> pd.DataFrame:
	"""Never a second open task of one type for one customer; never twice the same rule and source."""
	task = frappe.qb.DocType("Retention Task")
	customers = candidates["customer"].unique().tolist()
	busy, done_sources, recent = set(), set(), set()
	source_field = SOURCE_FIELDS.get(rule.trigger)
	since = add_days(today, -cint(rule.repeat_after_days))
	for chunk in _chunks(customers):
		busy.update(
			row[0]
			for row in frappe.qb.from_(task)
			.select(task.customer)
			.where(
				task.customer.isin(chunk)
				& (task.task_type == rule.task_type)
				& task.status.isin(OPEN_STATUSES)
			)
			.run()
		)
		fields = [task.customer, task.creation]
		if source_field:
			fields.append(task[source_field])
		for row in (
			frappe.qb.from_(task)
			.select(*fields)
			.where(task.customer.isin(chunk) & (task.task_rule == rule.name))
			.run()
		):
			if source_field and row[2]:
				done_sources.add(row[2])
			if getdate(row[1]) > getdate(since):
				recent.add(row[0])
	keep = ~candidates["customer"].isin(busy)
	if source_field:
		keep &= ~candidates[source_field].isin(done_sources)
	else:
		keep &= ~candidates["customer"].isin(recent)
	return candidates[keep].copy()


def _fill_revenue(candidates: pd.DataFrame) -> None:
	"""Monthly revenue, where the source gave none: the customer's latest invoice total."""
	missing = candidates["monthly_revenue"].isna() | (candidates["monthly_revenue"] == 0)
	customers = candidates.loc[missing, "customer"].unique().tolist()
	if not customers:
		return
	invoice = frappe.qb.DocType("Sales Invoice")
	latest = {}
	for chunk in _chunks(customers):
		# the customers' invoices by the customer index, the latest picked here: a join to a grouped
		# subquery left MariaDB sorting every invoice there is
		rows = (
			frappe.qb.from_(invoice)
			.select(invoice.customer, invoice.posting_date, invoice.base_grand_total)
			.where(invoice.customer.isin(chunk) & (invoice.docstatus == 1) & (invoice.is_return == 0))
			.orderby(invoice.customer)
			.orderby(invoice.posting_date)
			.orderby(invoice.name)
			.run()
		)
		latest.update({customer: float(total or 0) for customer, _posting_date, total in rows})
	candidates.loc[missing, "monthly_revenue"] = candidates.loc[missing, "customer"].map(latest).fillna(0)


def _chunks(values: list, size: int = CHUNK):
	for start in range(0, len(values), size):
		yield values[start : start + size]


# ---------------------------------------------------------------- handing tasks out


def release_tasks() -> int:
	"""Open the waiting tasks that fit the managers' free time, highest value first.

	The core balances the tasks over the managers of the Assignment Rule who still have time (fewest
	open tasks first, as Frappe's load balancing does) and each task goes on its manager's ToDo under
	the rule before it opens, so a full manager holds nobody else back. What does not fit today
	waits for tomorrow.
	"""
	settings = get_settings()
	rule = settings.assignment_rule or ensure_assignment_rule()
	users = rule_users(rule)
	if not users:
		return 0
	task = frappe.qb.DocType("Retention Task")
	waiting = to_frame(
		frappe.qb.from_(task)
		.select(task.name.as_("task"), task.return_value.as_("priority"), task.task_type)
		.where(task.status == "Waiting")
		.run(as_dict=True),
		columns=["task", "priority", "task_type"],
	)
	if waiting.empty:
		return 0
	waiting["minutes"] = waiting["task_type"].map(lambda t: minutes_per_task(t, settings))
	handed = allocate_capacity(waiting, manager_capacity(users, settings))
	for name, user in zip(handed["task"], handed["user"], strict=True):
		doc = frappe.get_doc("Retention Task", name)
		assign_task(doc, user, rule)
		doc.status = "Open"
		doc.save(ignore_permissions=True)
	return len(handed)


def manager_capacity(users: list[str], settings) -> pd.DataFrame:
	"""Minutes per day, minutes already open and the count of open assignments of each manager.

	The count is what Frappe's load balancing reads (open ToDos of retention tasks), so the core
	balances the way the Assignment Rule does.
	"""
	own = {row.user: cint(row.minutes_per_day) for row in settings.managers}
	task = frappe.qb.DocType("Retention Task")
	load = to_frame(
		frappe.qb.from_(task)
		.select(task.assignee, task.task_type, Count(task.name).as_("tasks"))
		.where(task.assignee.isin(users) & task.status.isin(["Open", "In Progress"]))
		.groupby(task.assignee, task.task_type)
		.run(as_dict=True),
		columns=["assignee", "task_type", "tasks"],
	)
	load["minutes"] = load["task_type"].map(lambda t: minutes_per_task(t, settings)) * load["tasks"]
	minutes = load.groupby("assignee")["minutes"].sum().to_dict() if not load.empty else {}
	todo = frappe.qb.DocType("ToDo")
	counts = dict(
		frappe.qb.from_(todo)
		.select(todo.allocated_to, Count(todo.name))
		.where(
			(todo.reference_type == "Retention Task")
			& (todo.status == "Open")
			& todo.allocated_to.isin(users)
		)
		.groupby(todo.allocated_to)
		.run()
	)
	return pd.DataFrame(
		[
			{
				"user": user,
				"capacity_minutes": own.get(user, cint(settings.minutes_per_day)),
				"load_minutes": minutes.get(user, 0),
				"open_tasks": counts.get(user, 0),
			}
			for user in users
		]
	)


# ---------------------------------------------------------------- pauses


def move_pauses(today) -> tuple[int, int]:
	"""Start the pauses whose first day has come; resume those whose last day has passed."""
	paused = resumed = 0
	for name in frappe.get_all(
		"Suspension Application",
		filters={"docstatus": 1, "status": "Scheduled", "from_date": ("<=", today)},
		pluck="name",
	):
		frappe.db.savepoint("retention_pause")
		try:
			frappe.get_doc("Suspension Application", name).pause()
			commit()
			paused += 1
		except frappe.ValidationError:
			frappe.db.rollback(save_point="retention_pause")
			frappe.log_error(title=_("Pause {0} not started").format(name))
	for name in frappe.get_all(
		"Suspension Application",
		filters={"docstatus": 1, "status": "Paused", "to_date": ("<", today)},
		pluck="name",
	):
		frappe.db.savepoint("retention_pause")
		try:
			doc = frappe.get_doc("Suspension Application", name)
			doc.resume(add_days(doc.to_date, 1))
			commit()
			resumed += 1
		except frappe.ValidationError:
			frappe.db.rollback(save_point="retention_pause")
			frappe.log_error(title=_("Pause {0} not resumed").format(name))
	return paused, resumed


def judge_pauses(today) -> int:
	"""A pause after which the customer has not paid within the allowed days turns into pre-churn."""
	days = cint(get_settings().pause_return_days) or 30
	pauses = to_frame(
		frappe.get_all(
			"Suspension Application",
			filters={
				"docstatus": 1,
				"status": "Resumed",
				"came_back": ("in", ["", None]),
				"resumed_on": ("<=", add_days(today, -days)),
			},
			fields=["name", "customer", "resumed_on"],
		),
		columns=["name", "customer", "resumed_on"],
	)
	if pauses.empty:
		return 0
	payment = frappe.qb.DocType("Payment Entry")
	paid = to_frame(
		frappe.qb.from_(payment)
		.select(payment.party.as_("customer"), payment.posting_date)
		.where(
			(payment.party_type == "Customer")
			& (payment.payment_type == "Receive")
			& (payment.docstatus == 1)
			& payment.party.isin(pauses["customer"].unique().tolist())
			& (payment.posting_date >= pauses["resumed_on"].min())
		)
		.run(as_dict=True),
		columns=["customer", "posting_date"],
	)
	merged = pauses.merge(paid, on="customer", how="left")
	merged["inside"] = (merged["posting_date"].notna()) & (
		pd.to_datetime(merged["posting_date"]) >= pd.to_datetime(merged["resumed_on"])
	)
	came_back = merged.groupby("name")["inside"].any()
	for name, back in came_back.items():
		frappe.db.set_value("Suspension Application", name, "came_back", "Yes" if back else "No")
		if not back:
			customer = pauses.loc[pauses["name"] == name, "customer"].iloc[0]
			if frappe.db.get_value("Customer", customer, "churn_status") in ("Active", "Won back", None):
				set_customer_churn_status(customer, "Pre-churn", None)
	return len(came_back)
