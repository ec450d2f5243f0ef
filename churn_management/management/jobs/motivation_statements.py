# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The month's statements for every employee under a scheme, in the background.

Idempotent: an employee who already has a statement for the month (draft or submitted) is skipped, so
running it twice makes nothing new. The month's facts and the lost saves are read once for everyone;
each statement is committed on its own, and one that fails is rolled back and logged while the others go on.
"""

import frappe
from frappe import _
from frappe.utils import getdate

from churn_management.analytics.management.motivation import month_bounds
from churn_management.management.doctype.motivation_statement.motivation_statement_compute import (
	employees_under,
)
from churn_management.management.doctype.motivation_statement.motivation_statement_data import (
	collect_facts,
	lost_saves,
	paid_before,
	statement_counts,
)


def make_month_statements(scheme: str, month, commit: bool = True) -> dict:
	"""Draft statements for the scheme's employees who have none for the month; returns the counts."""
	start, end = month_bounds(getdate(month))
	doc = frappe.get_doc("Motivation Scheme", scheme)
	users = employees_under(scheme)
	existing = statement_counts(users, start)
	users = [user for user in users if not existing.get(user)]
	made, failed = [], []
	if users:
		facts = collect_facts(users, doc.company, start, end, doc.planned_conversion)
		lost = lost_saves(doc.company, end)
		paid = paid_before(users, start, lost["reference_name"])
	for user in users:
		statement = frappe.get_doc(
			{
				"doctype": "Motivation Statement",
				"employee_user": user,
				"company": doc.company,
				"period_start": start,
				"scheme": scheme,
			}
		)
		# every link comes from the database (the scheme, its users, the facts' documents): no need to
		# look each source document up again, and the sources are written in one insert
		statement.flags.update(facts=facts, lost=lost, paid=paid, ignore_links=True, defer_sources=True)
		try:
			statement.insert()
		except frappe.ValidationError:
			if not commit:
				raise
			frappe.db.rollback()
			frappe.log_error(title=_("Motivation Statement for {0} not made").format(user))
			failed.append(user)
			continue
		if commit:
			frappe.db.commit()  # nosemgrep: one statement at a time, as the brief's jobs do
		made.append(statement.name)
	return {"made": made, "skipped": len(existing), "failed": failed}
