# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Annual contracts ending in a period, per month of their end or per seller: how many, how many
renewed and lapsed, the renewal rate (of those already decided). Contracts are read as the user may
read them (a User Permission on Company applies)."""

import pandas as pd

import frappe
from frappe import _
from frappe.utils import add_months, get_first_day, get_last_day, getdate, nowdate

from churn_management.analytics.customer_service.renewals import expiring_by, renewal_rate

KEYS = {"Month": "month", "Seller": "sold_by"}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	filters.company = filters.company or frappe.defaults.get_user_default("Company")
	filters.from_date = getdate(filters.from_date or get_first_day(nowdate()))
	filters.to_date = getdate(filters.to_date or get_last_day(add_months(nowdate(), 11)))
	key = KEYS.get(filters.group_by or "Month", "month")
	contracts = get_contracts(filters)
	data = expiring_by(contracts, key).to_dict("records")
	for row in data:
		row["renewal_rate"] = None if pd.isna(row["renewal_rate"]) else row["renewal_rate"]
	return get_columns(key), data, None, get_chart(data, key), get_summary(contracts)


def get_contracts(filters) -> pd.DataFrame:
	"""Submitted contracts of the company ending in the period, one query within the user's permissions."""
	rows = frappe.get_list(
		"Annual Contract",
		filters={
			"docstatus": 1,
			"company": filters.company,
			"end_date": ("between", [filters.from_date, filters.to_date]),
		},
		fields=["end_date", "status", "sold_by"],
		limit_page_length=0,
	)
	return pd.DataFrame([dict(row) for row in rows], columns=["end_date", "status", "sold_by"])


def get_columns(key: str) -> list[dict]:
	first = (
		{"label": _("Month"), "fieldname": "month", "fieldtype": "Data", "width": 100}
		if key == "month"
		else {
			"label": _("Sold By"),
			"fieldname": "sold_by",
			"fieldtype": "Link",
			"options": "User",
			"width": 220,
		}
	)
	return [
		first,
		{"label": _("Contracts Ending"), "fieldname": "contracts", "fieldtype": "Int", "width": 140},
		{"label": _("Renewed"), "fieldname": "renewed", "fieldtype": "Int", "width": 100},
		{
			"label": _("Lapsed", context="Annual Contracts"),
			"fieldname": "lapsed",
			"fieldtype": "Int",
			"width": 100,
		},
		{"label": _("Still Running"), "fieldname": "running", "fieldtype": "Int", "width": 120},
		{"label": _("Renewal Rate (%)"), "fieldname": "renewal_rate", "fieldtype": "Percent", "width": 130},
	]


def get_chart(data: list[dict], key: str) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [row[key] or _("Nobody") for row in data],
			"datasets": [
				{"name": _("Renewed"), "values": [row["renewed"] for row in data]},
				{"name": _("Lapsed", context="Annual Contracts"), "values": [row["lapsed"] for row in data]},
				{"name": _("Still Running"), "values": [row["running"] for row in data]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#29CD42", "#FF5858", "#7575FF"],
	}


def get_summary(contracts: pd.DataFrame) -> list[dict]:
	rate = renewal_rate(contracts["status"])
	return [
		{"value": len(contracts), "label": _("Contracts Ending"), "indicator": "Blue", "datatype": "Int"},
		{
			"value": int((contracts["status"] == "Renewed").sum()),
			"label": _("Renewed"),
			"indicator": "Green",
			"datatype": "Int",
		},
		{
			"value": int((contracts["status"] == "Lapsed").sum()),
			"label": _("Lapsed", context="Annual Contracts"),
			"indicator": "Red",
			"datatype": "Int",
		},
		{
			"value": rate if rate is not None else 0,
			"label": _("Renewal Rate (%)"),
			"indicator": "Green" if (rate or 0) >= 50 else "Orange",
			"datatype": "Percent",
		},
	]
