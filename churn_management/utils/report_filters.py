# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The filters the app's reports share: the company and period a report opens on, and the query
conditions for the company, period and user filters, written once for every report."""

import frappe
from frappe.utils import add_months, getdate, nowdate


def company_and_period(filters: dict | None, months: int = 12) -> frappe._dict:
	"""The filters, with the user's default company and the `months` up to the end date (today) when unset."""
	filters = frappe._dict(filters or {})
	filters.company = filters.company or frappe.defaults.get_user_default("Company")
	filters.to_date = getdate(filters.to_date or nowdate())
	filters.from_date = getdate(filters.from_date or add_months(filters.to_date, -months))
	return filters


def where_equal(query, filters: dict, columns: dict):
	"""The query narrowed to each set filter: `columns` maps a filter's name to the column it matches."""
	for fieldname, column in columns.items():
		if filters.get(fieldname):
			query = query.where(column == filters.get(fieldname))
	return query


def where_in_period(query, filters: dict, column):
	"""The query narrowed to the rows whose `column` falls between the from and to dates that are set."""
	if filters.get("from_date"):
		query = query.where(column >= filters.get("from_date"))
	if filters.get("to_date"):
		query = query.where(column <= filters.get("to_date"))
	return query
