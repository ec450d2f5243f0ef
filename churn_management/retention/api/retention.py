# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Endpoints of the retention workspace."""

import frappe
from frappe.utils import add_days, nowdate

from churn_management.analytics.retention.work import conversion_table
from churn_management.retention.doctype.retention_task.retention_task_utils import to_frame

CONVERSION_DAYS = 30
CARD_PRECISION = 1  # the number card shows "66.7%", not Frappe's default "66.667%"


@frappe.whitelist()
def my_conversion(filters: str | dict | None = None) -> dict:
	"""The user's own conversion to return of the tasks they closed in the last 30 days (a head's too)."""
	frappe.has_permission("Retention Task", "read", throw=True)
	task = frappe.qb.DocType("Retention Task")
	query = (
		frappe.qb.from_(task)
		.select(task.outcome, task.save_status)
		.where(
			(task.status == "Closed")
			& (task.closed_on >= add_days(nowdate(), -CONVERSION_DAYS))
			& (task.assignee == frappe.session.user)
		)
	)
	table = conversion_table(to_frame(query.run(as_dict=True), ["outcome", "save_status"]), [])
	value = 0.0 if table.empty else round(float(table.loc[0, "conversion"]) * 100, CARD_PRECISION)
	return {"value": value, "fieldtype": "Percent", "precision": CARD_PRECISION}
