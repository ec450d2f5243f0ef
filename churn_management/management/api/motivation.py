# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Desk endpoints of staff motivation."""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from churn_management.analytics.management.motivation import month_bounds, period_closed
from churn_management.management.doctype.motivation_statement.motivation_statement import (
	APPROVER_ROLE,
	PeriodNotClosedError,
	has_any_role,
)


@frappe.whitelist()
def make_month_statements(scheme: str, month: str) -> str:
	"""Queue the month's statements for everyone under the scheme (the Retention Head's button)."""
	if not has_any_role((APPROVER_ROLE, "System Manager")):
		raise frappe.PermissionError
	frappe.get_doc("Motivation Scheme", scheme).check_permission("read")
	start, end = month_bounds(getdate(month))
	if not period_closed(end, getdate(nowdate())):
		frappe.throw(
			_("The month of {0} has not ended yet: its statements can be made from the next month.").format(
				frappe.format(start, "Date")
			),
			PeriodNotClosedError,
			title=_("Period not closed"),
		)
	frappe.enqueue(
		"churn_management.management.jobs.motivation_statements.make_month_statements",
		queue="long",
		timeout=1800,
		job_id=f"motivation-statements::{scheme}::{start}",
		deduplicate=True,
		scheme=scheme,
		month=str(start),
	)
	return _("The statements of {0} for {1} are being made in the background.").format(
		scheme, frappe.format(start, "Date")
	)


@frappe.whitelist()
def hrms_installed() -> bool:
	"""Whether statements can feed an Additional Salary."""
	return "hrms" in frappe.get_installed_apps()
