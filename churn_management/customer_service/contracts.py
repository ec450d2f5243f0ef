# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Annual contracts as other parts of the app read them (the retention job's renewal trigger)."""

import pandas as pd

import frappe
from frappe.utils import add_days, cint


def contracts_ending(today, days: int) -> pd.DataFrame:
	"""Submitted contracts, not renewed, whose last day falls within the next ``days`` days."""
	contract = frappe.qb.DocType("Annual Contract")
	rows = (
		frappe.qb.from_(contract)
		.select(
			contract.customer,
			contract.company,
			contract.subscription,
			contract.name.as_("annual_contract"),
			(contract.monthly_amount).as_("monthly_revenue"),
		)
		.where(
			(contract.docstatus == 1)
			& contract.status.isin(["Active", "Expiring"])
			& contract.renewed_by.isnull()
			& (contract.end_date >= today)
			& (contract.end_date <= add_days(today, cint(days)))
		)
		.run(as_dict=True)
	)
	return pd.DataFrame(
		[dict(row) for row in rows],
		columns=["customer", "company", "subscription", "annual_contract", "monthly_revenue"],
	)
