# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Department Cost's readers: General Ledger amounts per configured line, and the month's saves."""

from datetime import date

import frappe
from frappe.query_builder.functions import Sum
from frappe.utils import flt

from churn_management.management.history import new_customers, saves


def _with_descendants(doctype: str, name: str | None) -> set[str]:
	if not name:
		return set()
	return {name, *frappe.db.get_descendants(doctype, name)}


def ledger_amounts(company: str, since: date, until: date, sources: list) -> list[float]:
	"""Debit minus credit in the window for each line: its account (with sub-accounts) and/or cost
	center (with children); a line of a cost center alone counts its expense accounts only."""
	lines = [
		(_with_descendants("Account", row.account), _with_descendants("Cost Center", row.cost_center))
		for row in sources
	]
	accounts = set().union(*(a for a, _c in lines)) if lines else set()
	centers = set().union(*(c for _a, c in lines)) if lines else set()
	if not accounts and not centers:
		return [0.0] * len(lines)
	gl = frappe.qb.DocType("GL Entry")
	account = frappe.qb.DocType("Account")
	wanted = None
	if accounts:
		wanted = gl.account.isin(list(accounts))
	if centers:
		by_center = gl.cost_center.isin(list(centers))
		wanted = by_center if wanted is None else wanted | by_center
	rows = (
		frappe.qb.from_(gl)
		.join(account)
		.on(account.name == gl.account)
		.select(gl.account, gl.cost_center, account.root_type, Sum(gl.debit - gl.credit))
		.where(
			(gl.company == company)
			& (gl.is_cancelled == 0)
			& (gl.posting_date >= since)
			& (gl.posting_date < until)
			& wanted
		)
		.groupby(gl.account, gl.cost_center, account.root_type)
		.run()
	)
	amounts = []
	for line_accounts, line_centers in lines:
		total = 0.0
		for gl_account, gl_center, root_type, amount in rows:
			if line_accounts and gl_account not in line_accounts:
				continue
			if line_centers and gl_center not in line_centers:
				continue
			if not line_accounts and root_type != "Expense":
				continue
			total += flt(amount)
		amounts.append(flt(total, 2))
	return amounts


def month_figures(company: str, since: date, until: date) -> dict:
	"""Cost of the offers given, customers retained (saves not lost) and new customers in the window."""
	month_saves = saves(company, since, until)
	return {
		"offers_given": flt(month_saves["offer_cost"].sum(), 2),
		"returned": int((month_saves["status"] != "Lost").sum()),
		"new_customers": new_customers(company, since, until),
	}
