# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The daily job of the customer applications: concessions start and end, tariff changes take effect.

Each step reads by status and date and moves the status on, so a second run the same day finds
nothing to do; each application is its own transaction (one that fails is rolled back, logged,
and the rest go on).
"""

import frappe
from frappe import _
from frappe.utils import add_days, cint, getdate, nowdate

from churn_management.customer_service.doctype.customer_service_settings.customer_service_settings import (
	get_settings,
)


def run_daily() -> None:
	"""Scheduler entry point (daily_long)."""
	if cint(get_settings().enable_daily_job):
		run()


def run(today=None) -> dict:
	today = getdate(today or nowdate())
	return {
		"concessions_applied": _each(
			"Concession Application",
			{"status": "Approved", "from_date": ("<=", today)},
			lambda doc: doc.apply(),
		),
		"concessions_ended": _each(
			"Concession Application",
			{"status": "Applied", "to_date": ("<", today)},
			lambda doc: doc.end(add_days(doc.to_date, 1)),
		),
		"tariffs_changed": _each(
			"Tariff Change Application",
			{"status": "Scheduled", "change_date": ("<=", today)},
			lambda doc: doc.change_plan(),
		),
	}


def _each(doctype: str, filters: dict, step) -> int:
	done = 0
	for name in frappe.get_all(doctype, filters={"docstatus": 1, **filters}, pluck="name", order_by="name"):
		frappe.db.savepoint("customer_service_daily")
		try:
			step(frappe.get_doc(doctype, name))
			if not frappe.flags.in_test:
				frappe.db.commit()  # nosemgrep: one transaction per application
			done += 1
		except frappe.ValidationError:
			frappe.db.rollback(save_point="customer_service_daily")
			frappe.log_error(title=_("{0} {1}: the daily step failed").format(_(doctype), name))
	return done
