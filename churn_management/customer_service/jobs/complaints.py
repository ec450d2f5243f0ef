# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The daily complaint job: a complaint left unresolved too long makes its customer pre-churn and, through the
task rules with the trigger "Complaint unresolved N days", gets them a Prevention task.

Set-based and idempotent: the complaints are read with one query, the Issues are marked escalated and the
customers' statuses changed with one update per thousand, only where still needed; the task rules leave out
customers who already have an open task of the type (or one of the rule within its repeat window).
"""

import frappe
from frappe.utils import getdate, nowdate

from churn_management.customer_service.complaints import COMPLAINT_TRIGGER, overdue
from churn_management.retention.jobs.retention_tasks import commit, make_tasks_for_rule

CHUNK = 1000
CALM_STATUSES = ("Active", "Won back")


def run_daily() -> None:
	"""Scheduler entry point (daily_long)."""
	escalate()
	commit()


def escalate(today=None) -> dict:
	"""Mark overdue complaints, turn their customers pre-churn and make the rule's tasks; return the counts."""
	today = getdate(today or nowdate())
	found = overdue(today)
	issues = found["issue"].tolist()
	customers = sorted(set(found["customer"]))
	marked = sum(_mark_escalated(chunk, today) for chunk in _chunks(issues))
	pre_churn = sum(_make_pre_churn(chunk) for chunk in _chunks(customers))
	tasks = 0
	if customers:
		for rule in frappe.get_all(
			"Retention Task Rule", filters={"enabled": 1, "trigger": COMPLAINT_TRIGGER}, pluck="name"
		):
			tasks += make_tasks_for_rule(frappe.get_doc("Retention Task Rule", rule), today)
	return {"escalated": marked, "pre_churn": pre_churn, "tasks": tasks}


def _mark_escalated(issues: list[str], today) -> int:
	issue = frappe.qb.DocType("Issue")
	condition = issue.name.isin(issues) & issue.complaint_escalated_on.isnull()
	count = frappe.qb.from_(issue).select(issue.name).where(condition).run()
	if count:
		frappe.qb.update(issue).set(issue.complaint_escalated_on, today).where(condition).run()
	return len(count)


def _make_pre_churn(customers: list[str]) -> int:
	"""Active and won-back customers turn pre-churn; overdue, pre-churn and churned ones keep their status."""
	customer = frappe.qb.DocType("Customer")
	condition = customer.name.isin(customers) & (
		customer.churn_status.isnull() | customer.churn_status.isin(CALM_STATUSES)
	)
	count = frappe.qb.from_(customer).select(customer.name).where(condition).run()
	if count:
		frappe.qb.update(customer).set(customer.churn_status, "Pre-churn").where(condition).run()
	return len(count)


def _chunks(values: list, size: int = CHUNK):
	for start in range(0, len(values), size):
		yield values[start : start + size]
