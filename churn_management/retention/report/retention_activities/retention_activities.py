# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Table of retention activities (DOMAIN.md §9): every task, who worked it, when, the attempts and
minutes spent, and the result."""

import pandas as pd

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Max, Sum

from churn_management.retention.doctype.retention_task.retention_task_utils import to_frame
from churn_management.retention.report.task_filters import own_tasks_for_manager, task_filter_columns
from churn_management.utils.report_filters import where_equal, where_in_period

COLUMNS = [
	"name",
	"customer",
	"customer_name",
	"task_type",
	"assignee",
	"status",
	"due_date",
	"churn_reason",
	"attempts",
	"minutes",
	"last_attempt_on",
	"outcome",
	"retention_method",
	"offer_cost",
	"closed_on",
	"save_status",
]


def execute(filters: dict | None = None):
	filters = own_tasks_for_manager(frappe._dict(filters or {}))
	data = tasks(filters)
	return columns(), in_user_language(data), None, chart(data), summary(data)


def in_user_language(data: pd.DataFrame) -> list[dict]:
	"""The rows, with the task's own choices (type, status, outcome, did it stick) in the user's words."""
	rows = data.to_dict("records")
	for row in rows:
		for field in CHOICE_FIELDS:
			if row.get(field):
				row[field] = _(row[field], context="Retention Task")
	return rows


CHOICE_FIELDS = ("task_type", "status", "outcome", "save_status")


def tasks(filters) -> pd.DataFrame:
	task = frappe.qb.DocType("Retention Task")
	attempt = frappe.qb.DocType("Retention Task Attempt")
	attempts = (
		frappe.qb.from_(attempt)
		.select(
			attempt.parent,
			Count(attempt.name).as_("attempts"),
			Sum(attempt.minutes).as_("minutes"),
			Max(attempt.attempt_on).as_("last_attempt_on"),
		)
		.where(attempt.parenttype == "Retention Task")
		.groupby(attempt.parent)
	)
	query = (
		frappe.qb.from_(task)
		.left_join(attempts)
		.on(attempts.parent == task.name)
		.select(
			task.name,
			task.customer,
			task.customer_name,
			task.task_type,
			task.assignee,
			task.status,
			task.due_date,
			task.churn_reason,
			attempts.attempts,
			attempts.minutes,
			attempts.last_attempt_on,
			task.outcome,
			task.retention_method,
			task.offer_cost,
			task.closed_on,
			task.save_status,
		)
		.orderby(task.due_date, order=frappe.qb.desc)
	)
	query = where_in_period(query, filters, task.due_date)
	query = where_equal(query, filters, task_filter_columns(task) | {"status": task.status})
	frame = to_frame(query.run(as_dict=True), COLUMNS)
	frame[["attempts", "minutes"]] = frame[["attempts", "minutes"]].fillna(0).astype(int)
	return frame.astype(object).where(frame.notna(), None)


def columns() -> list[dict]:
	return [
		{
			"fieldname": "name",
			"label": _("Retention Task"),
			"fieldtype": "Link",
			"options": "Retention Task",
			"width": 130,
		},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 180,
		},
		{"fieldname": "task_type", "label": _("Task Type"), "fieldtype": "Data", "width": 110},
		{
			"fieldname": "assignee",
			"label": _("Assigned To"),
			"fieldtype": "Link",
			"options": "User",
			"width": 180,
		},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 90},
		{"fieldname": "due_date", "label": _("Due Date"), "fieldtype": "Date", "width": 100},
		{
			"fieldname": "churn_reason",
			"label": _("Churn Reason"),
			"fieldtype": "Link",
			"options": "Churn Reason",
			"width": 160,
		},
		{"fieldname": "attempts", "label": _("Attempts"), "fieldtype": "Int", "width": 80},
		{
			"fieldname": "minutes",
			"label": _("Minutes", context="Retention Task Attempt"),
			"fieldtype": "Int",
			"width": 80,
		},
		{"fieldname": "last_attempt_on", "label": _("Last Attempt"), "fieldtype": "Datetime", "width": 150},
		{"fieldname": "outcome", "label": _("Outcome"), "fieldtype": "Data", "width": 110},
		{
			"fieldname": "retention_method",
			"label": _("Method Used"),
			"fieldtype": "Link",
			"options": "Retention Method",
			"width": 160,
		},
		{"fieldname": "offer_cost", "label": _("Offer Cost"), "fieldtype": "Currency", "width": 100},
		{"fieldname": "closed_on", "label": _("Closed On"), "fieldtype": "Date", "width": 100},
		{"fieldname": "save_status", "label": _("Did the Save Stick"), "fieldtype": "Data", "width": 110},
	]


def chart(data: pd.DataFrame) -> dict | None:
	if data.empty:
		return None
	outcomes = data["outcome"].fillna("").replace("", "Open").value_counts()
	return {
		"data": {
			"labels": [_(label, context="Retention Task") for label in outcomes.index],
			"datasets": [{"name": _("Tasks"), "values": [int(v) for v in outcomes.values]}],
		},
		"type": "donut",
	}


def summary(data: pd.DataFrame) -> list[dict]:
	return [
		{"value": len(data), "label": _("Tasks"), "indicator": "Blue", "datatype": "Int"},
		{
			"value": int(data["attempts"].sum()) if len(data) else 0,
			"label": _("Attempts"),
			"indicator": "Blue",
			"datatype": "Int",
		},
		{
			"value": int(data["minutes"].sum()) if len(data) else 0,
			"label": _("Minutes Spent"),
			"indicator": "Orange",
			"datatype": "Int",
		},
		{
			"value": int((data["outcome"] == "Returned").sum()) if len(data) else 0,
			"label": _("Returned"),
			"indicator": "Green",
			"datatype": "Int",
		},
	]
