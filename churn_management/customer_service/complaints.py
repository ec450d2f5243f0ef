# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Complaints are ERPNext Issues with a Complaint Category: what is overdue, who escalated, how many per customer.

Read set-based; the arithmetic (inherited days, overdue, 12-month counts) is in the analytics core.
"""

from datetime import date

import pandas as pd

import frappe
from frappe.utils import add_days, getdate

from churn_management.analytics.customer_service.complaints import (
	OVERDUE_COLUMNS,
	category_days,
	count_last_12_months,
	inherited,
	overdue_complaints,
)
from churn_management.retention.doctype.retention_task.retention_task_utils import to_frame

UNRESOLVED_STATUSES = ("Open", "Replied", "On Hold")
DEFAULT_UNRESOLVED_DAYS = 7
COMPLAINT_TRIGGER = "Complaint unresolved N days"


def read_categories() -> pd.DataFrame:
	"""Every complaint category with its parent, own days and reason group (a small table)."""
	rows = frappe.get_all(
		"Complaint Category",
		fields=["name", "parent_complaint_category as parent", "unresolved_days", "reason_group"],
	)
	return to_frame(rows, ["name", "parent", "unresolved_days", "reason_group"])


def unresolved_complaints(opened_by: date) -> pd.DataFrame:
	"""Unresolved complaints of a customer opened on or before ``opened_by``."""
	issue = frappe.qb.DocType("Issue")
	rows = (
		frappe.qb.from_(issue)
		.select(
			issue.name.as_("issue"),
			issue.customer,
			issue.company,
			issue.complaint_category,
			issue.opening_date,
		)
		.where(
			issue.complaint_category.isnotnull()
			& (issue.complaint_category != "")
			& issue.customer.isnotnull()
			& issue.status.isin(UNRESOLVED_STATUSES)
			& (issue.opening_date <= opened_by)
		)
		.run(as_dict=True)
	)
	return to_frame(rows, ["issue", "customer", "company", "complaint_category", "opening_date"])


def overdue(as_of: date) -> pd.DataFrame:
	"""Complaints still unresolved after their category's days, with the reason group they point to."""
	if not frappe.db.has_column("Issue", "complaint_category"):
		return pd.DataFrame(columns=[*OVERDUE_COLUMNS, "reason_group"])
	categories = read_categories()
	days = category_days(categories, DEFAULT_UNRESOLVED_DAYS)
	shortest = min([*days.values(), DEFAULT_UNRESOLVED_DAYS])
	candidates = unresolved_complaints(add_days(getdate(as_of), -shortest))
	found = overdue_complaints(candidates, days, DEFAULT_UNRESOLVED_DAYS, getdate(as_of))
	groups = inherited(categories, "reason_group") if not categories.empty else {}
	found["reason_group"] = found["complaint_category"].map(groups)
	return found


def escalated_customers(as_of: date) -> set[str]:
	"""Customers with a complaint left unresolved too long: pre-churn while it stays open."""
	return set(overdue(as_of)["customer"])


def complaint_task_candidates(as_of: date) -> pd.DataFrame:
	"""Candidates of the rule trigger "Complaint unresolved N days": one row per customer."""
	return overdue(as_of)[["customer", "company", "reason_group"]].drop_duplicates("customer")


def complaint_counts(as_of: date) -> pd.DataFrame:
	"""Complaints per customer in the 12 months up to ``as_of``, for the lifetime analysis."""
	as_of = getdate(as_of)
	issue = frappe.qb.DocType("Issue")
	rows = (
		frappe.qb.from_(issue)
		.select(issue.customer, issue.opening_date)
		.where(
			issue.complaint_category.isnotnull()
			& (issue.complaint_category != "")
			& issue.customer.isnotnull()
			& (issue.opening_date > add_days(as_of, -366))
			& (issue.opening_date <= as_of)
		)
		.run(as_dict=True)
	)
	return count_last_12_months(to_frame(rows, ["customer", "opening_date"]), as_of)


def show_current_churn_status(doc, method=None) -> None:
	"""The Issue form shows the customer's churn status as it is now, not as it was when the Issue was saved."""
	if doc.customer and frappe.db.has_column("Issue", "customer_churn_status"):
		doc.customer_churn_status = frappe.db.get_value("Customer", doc.customer, "churn_status")
