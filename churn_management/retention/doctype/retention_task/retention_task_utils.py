# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What a returned customer changes outside the task: the register, the subscription, the saves."""

import inspect
from contextlib import contextmanager

import pandas as pd

import frappe
from frappe import _
from frappe.utils import add_days, getdate

from churn_management.churn_management.doctype.churn_record.churn_record_utils import (
	set_customer_churn_status,
)
from churn_management.churn_management.doctype.speech_module.speech_module import step_title
from churn_management.retention.doctype.retention_settings.retention_settings import get_settings
from churn_management.retention.doctype.suspension_application.pause_billing import (
	restart_billing,
)

SUBSCRIPTION_COPY_FIELDS = (
	"party_type",
	"party",
	"company",
	"cost_center",
	"generate_invoice_at",
	"number_of_days",
	"days_until_due",
	"submit_invoice",
	"follow_calendar_months",
	"generate_new_invoices_past_due_date",
	"sales_tax_template",
	"apply_additional_discount",
	"additional_discount_percentage",
	"additional_discount_amount",
)


def win_back_churn_record(task, returned_on) -> str | None:
	"""Close the customer's open churn record through the register's own won-back method."""
	name = task.churn_record
	if not name or frappe.db.get_value("Churn Record", name, "status") != "Open":
		name = frappe.db.get_value("Churn Record", {"customer": task.customer, "status": "Open"}, "name")
	if not name:
		if frappe.db.get_value("Customer", task.customer, "churn_status") in ("Overdue", "Pre-churn"):
			set_customer_churn_status(task.customer, "Active", None)
		return None
	record = frappe.get_doc("Churn Record", name)
	kwargs = {}
	accepted = inspect.signature(record.mark_won_back).parameters
	if "offer" in accepted:
		kwargs["offer"] = task.offer
	if "won_back_by" in accepted:
		kwargs["won_back_by"] = task.assignee or frappe.session.user
	record.mark_won_back(task.retention_method, str(returned_on), **kwargs)
	return name


def restore_subscription(customer: str, subscription: str | None, returned_on) -> str | None:
	"""Restart a cancelled subscription, or re-create one that was ended, through ERPNext's API."""
	subscription = subscription or _latest_subscription(customer)
	if not subscription:
		return None
	doc = frappe.get_doc("Subscription", subscription)
	doc.flags.ignore_permissions = True
	if doc.status in ("Active", "Trialling", "Past Due Date", "Unpaid") and not doc.end_date:
		return doc.name
	if doc.status == "Cancelled" and not doc.end_date:
		restart_billing(doc, returned_on)
		doc.add_comment("Info", _("Restarted: the customer was won back"))
		return doc.name
	return _recreate_subscription(doc, returned_on)


def cancel_subscription(doc) -> None:
	"""Stop a subscription's invoicing with ERPNext's own `cancel_subscription`.

	ERPNext bills the days already used in the same call, so it runs as the system: the retention
	staff approving a pause has no right to make invoices. ERPNext also compares its `nowdate()`
	string with `current_invoice_start`; the desk sends that date as a string, and so do we.
	"""
	if doc.current_invoice_start:
		doc.current_invoice_start = str(doc.current_invoice_start)
	doc.flags.ignore_permissions = True
	with as_system():
		doc.cancel_subscription()


@contextmanager
def as_system():
	"""Run as Administrator, then give the caller back their user, session id, session data and form."""
	session = frappe.local.session
	saved = {"user": session.user, "sid": session.sid, "data": session.data}
	form_dict = frappe.local.form_dict
	frappe.set_user("Administrator")
	try:
		yield
	finally:
		frappe.set_user(saved["user"])
		session.sid = saved["sid"]
		session.data = saved["data"]
		frappe.local.form_dict = form_dict


def to_frame(rows: list, columns: list[str]) -> pd.DataFrame:
	"""A DataFrame from query rows (frappe._dict answers any attribute, which confuses pandas)."""
	return pd.DataFrame([dict(row) for row in rows], columns=columns)


def _recreate_subscription(old, start_date) -> str:
	"""A terminated contract cannot be restarted past its end date: a new subscription takes over."""
	new = frappe.new_doc("Subscription")
	for fieldname in SUBSCRIPTION_COPY_FIELDS:
		if old.meta.has_field(fieldname):
			new.set(fieldname, old.get(fieldname))
	new.start_date = getdate(start_date)
	for row in old.plans:
		new.append("plans", {"plan": row.plan, "qty": row.qty})
	new.flags.ignore_permissions = True
	new.insert()
	new.add_comment("Info", _("Re-created from {0}: the customer was won back").format(old.name))
	return new.name


def _latest_subscription(customer: str) -> str | None:
	names = frappe.get_all(
		"Subscription",
		filters={"party_type": "Customer", "party": customer},
		pluck="name",
		order_by="start_date desc",
		limit=1,
		ignore_permissions=True,
	)
	return names[0] if names else None


def record_save(**values) -> str:
	"""Enter a save in the register of saves; one per source document."""
	existing = frappe.db.get_value(
		"Retention Save",
		{"source_doctype": values["source_doctype"], "source_name": values["source_name"]},
		"name",
	)
	if existing:
		return existing
	days = int(get_settings().judge_after_days or 60)
	doc = frappe.get_doc(
		{
			"doctype": "Retention Save",
			"saved_by": frappe.session.user,
			"judge_on": add_days(values["saved_on"], days),
			"status": "Pending",
			**values,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def call_guide(churn_reason: str | None) -> dict:
	"""The methods that fit the reason, with their offers, and the speech module of its group."""
	if not churn_reason:
		return {"methods": [], "speech_module": None, "steps": [], "never_say": None}
	reason = frappe.get_cached_doc("Churn Reason", churn_reason)
	methods = []
	for row in reason.methods:
		method = frappe.db.get_value(
			"Retention Method",
			row.retention_method,
			["offer_type", "cost", "planned_conversion", "description"],
			as_dict=True,
		)
		if method:
			methods.append(
				{
					"retention_method": row.retention_method,
					"planned_conversion": row.planned_conversion or method.planned_conversion,
					"offer_type": method.offer_type,
					"cost": method.cost,
					"description": method.description,
				}
			)
	module = reason.speech_module or _group_speech_module(reason.parent_churn_reason)
	steps, never_say = [], None
	if module:
		speech = frappe.get_cached_doc("Speech Module", module)
		steps = [
			{"step_type": s.step_type, "title": step_title(s.step_type, s.title), "text": s.text}
			for s in speech.steps
		]
		never_say = speech.never_say
	return {"methods": methods, "speech_module": module, "steps": steps, "never_say": never_say}


def _group_speech_module(group: str | None) -> str | None:
	if not group:
		return None
	return frappe.db.get_value("Churn Reason", group, "speech_module") or frappe.db.get_value(
		"Speech Module", {"reason_group": group}, "name"
	)
