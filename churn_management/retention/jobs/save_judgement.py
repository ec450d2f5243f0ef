# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Did the save stick? A customer kept at the desk or returned by a task counts as saved only if N
days later (30, 60 or 90: Retention Settings) the customer is still active and paying.

Daily and set-based: enter the desk's new retentions in the register of saves, read the churn
records, payments and unpaid invoices of every save due for judgement in three queries, let the
analytics core judge them (Stuck, Lost) and write the verdicts back in one update per verdict.
"""

import pandas as pd

import frappe
from frappe import _
from frappe.utils import add_days, cint, getdate, nowdate

from churn_management.analytics.retention.work import judge_saves
from churn_management.retention.doctype.retention_settings.retention_settings import get_settings
from churn_management.retention.doctype.retention_task.retention_task_utils import (
	record_save,
	to_frame,
)
from churn_management.retention.jobs.retention_tasks import commit

CHUNK = 1000


def run_daily() -> None:
	"""Scheduler entry point (daily_long)."""
	if not cint(get_settings().enable_daily_jobs):
		return
	run()
	commit()


def run(today=None) -> dict:
	today = getdate(today or nowdate())
	entered = enter_desk_saves()
	judged = judge_due_saves(today)
	return {"entered": entered, "judged": judged}


def enter_desk_saves() -> int:
	"""Termination applications closed as Retained that are not yet in the register of saves."""
	application = frappe.qb.DocType("Termination Application")
	save = frappe.qb.DocType("Retention Save")
	rows = (
		frappe.qb.from_(application)
		.left_join(save)
		.on((save.source_doctype == "Termination Application") & (save.source_name == application.name))
		.select(
			application.name,
			application.customer,
			application.company,
			application.application_date,
			application.modified,
			application.retention_method,
			application.churn_reason,
			application.modified_by,
		)
		.where((application.docstatus == 1) & (application.outcome == "Retained") & save.name.isnull())
		.run(as_dict=True)
	)
	for row in rows:
		record_save(
			customer=row.customer,
			company=row.company,
			saved_on=getdate(row.modified),
			saved_by=row.modified_by,
			source_doctype="Termination Application",
			source_name=row.name,
			retention_method=row.retention_method,
			churn_reason=row.churn_reason,
		)
	return len(rows)


def judge_due_saves(today) -> int:
	"""Judge every pending save whose judgement day has come."""
	settings = get_settings()
	days = cint(settings.judge_after_days) or 60
	saves = to_frame(
		frappe.get_all(
			"Retention Save",
			filters={"status": "Pending", "saved_on": ("<=", add_days(today, -days))},
			fields=["name as save", "customer", "saved_on", "source_doctype", "source_name"],
		),
		columns=["save", "customer", "saved_on", "source_doctype", "source_name"],
	)
	if saves.empty:
		return 0
	since = saves["saved_on"].min()
	customers = saves["customer"].unique().tolist()
	churns, payments, unpaid = [], [], []
	record = frappe.qb.DocType("Churn Record")
	payment = frappe.qb.DocType("Payment Entry")
	invoice = frappe.qb.DocType("Sales Invoice")
	for chunk in _chunks(customers):
		churns += (
			frappe.qb.from_(record)
			.select(record.customer, record.churn_date)
			.where(record.customer.isin(chunk) & (record.churn_date > since))
			.run(as_dict=True)
		)
		payments += (
			frappe.qb.from_(payment)
			.select(payment.party.as_("customer"), payment.posting_date.as_("date"))
			.where(
				(payment.party_type == "Customer")
				& (payment.payment_type == "Receive")
				& (payment.docstatus == 1)
				& payment.party.isin(chunk)
				& (payment.posting_date > since)
			)
			.run(as_dict=True)
		)
		unpaid += (
			frappe.qb.from_(invoice)
			.select(invoice.customer, invoice.due_date)
			.where(
				invoice.customer.isin(chunk)
				& (invoice.docstatus == 1)
				& (invoice.outstanding_amount > 0)
				& (invoice.due_date >= since)
			)
			.run(as_dict=True)
		)
	judged = judge_saves(
		saves,
		to_frame(churns, columns=["customer", "churn_date"]),
		to_frame(payments, columns=["customer", "date"]),
		to_frame(unpaid, columns=["customer", "due_date"]),
		as_of=today,
		days=days,
		grace_days=cint(settings.payment_grace_days),
	)
	judged = judged.merge(saves[["save", "source_doctype", "source_name"]], on="save")
	judged = judged[judged["status"] != "Pending"]
	write_verdicts(judged, today)
	return len(judged)


def write_verdicts(judged: pd.DataFrame, today) -> None:
	"""One update per verdict and reason, on the saves and on the tasks they came from."""
	save = frappe.qb.DocType("Retention Save")
	task = frappe.qb.DocType("Retention Task")
	for (status, why), group in judged.groupby(["status", "why"]):
		for chunk in _chunks(group["save"].tolist()):
			(
				frappe.qb.update(save)
				.set(save.status, status)
				.set(save.judged_on, today)
				.set(save.lost_because, lost_because(why))
				.where(save.name.isin(chunk))
			).run()
		tasks = group.loc[group["source_doctype"] == "Retention Task", "source_name"].tolist()
		for chunk in _chunks(tasks):
			frappe.qb.update(task).set(task.save_status, status).where(task.name.isin(chunk)).run()


def lost_because(why: str) -> str | None:
	"""The verdict in the user's words."""
	return {
		"churned": _("Churned again"),
		"unpaid": _("An invoice left unpaid"),
		"no payment": _("No payment since the save"),
	}.get(why)


def _chunks(values: list, size: int = CHUNK):
	for start in range(0, len(values), size):
		yield values[start : start + size]
