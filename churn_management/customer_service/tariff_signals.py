# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A tariff downgrade as a churn signal, read set-based by the daily status and task jobs."""

import pandas as pd

import frappe
from frappe.utils import add_days, cint, getdate

DOWNGRADE_COLUMNS = ["customer", "company", "subscription"]


def _downgrades():
	application = frappe.qb.DocType("Tariff Change Application")
	query = frappe.qb.from_(application).where(
		(application.docstatus == 1) & (application.is_downgrade == 1) & (application.status != "Cancelled")
	)
	return application, query


def downgraded_customers(as_of) -> set[str]:
	"""Customers still pre-churn after a downgrade: its pre-churn days have not run out."""
	if not frappe.db.table_exists("Tariff Change Application"):
		return set()
	application, query = _downgrades()
	rows = query.select(application.customer).where(application.pre_churn_until >= getdate(as_of)).run()
	return {row[0] for row in rows}


def downgrade_candidates(rule, today, lookback_days: int) -> pd.DataFrame:
	"""Customers who filed a downgrade in the rule's window (after its delay), one row per application."""
	ready_by = add_days(today, -cint(rule.delay_days))
	application, query = _downgrades()
	rows = (
		query.select(application.customer, application.company, application.subscription)
		.where(
			(application.application_date <= ready_by)
			& (application.application_date >= add_days(ready_by, -lookback_days))
		)
		.run()
	)
	return pd.DataFrame(list(rows), columns=DOWNGRADE_COLUMNS)
