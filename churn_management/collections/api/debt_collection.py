# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The debt collection's API: run the daily debt job at once."""

import frappe

from churn_management.collections.jobs.debt_cases import update_debt_cases


@frappe.whitelist()
def run_now() -> dict:
	"""Run the daily debt job at once (finance roles)."""
	frappe.only_for(("Accounts Manager", "Retention Head", "System Manager"))
	return update_debt_cases()
