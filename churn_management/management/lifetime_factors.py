# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What a customer's lifetime may depend on beyond type, territory and tariff, for Subscriber Lifetime.

The sales channel is the customer's default Sales Partner. Contract type, complaints and outages come
from the customer-service part of the app (annual contracts, complaints on Issues, service outages)
and are included only where their source exists on the site."""

from __future__ import annotations

from datetime import date

import pandas as pd

import frappe
from frappe import _

from churn_management.analytics.management.site_tables import count_bands


def lifetime_factors(customers: pd.DataFrame, company: str, as_of: date) -> dict[str, pd.Series]:
	"""What lifetime may depend on beyond type, territory and tariff, each where its source exists."""
	index = customers.set_index("customer").index
	factors = {"sales_channel": customers.set_index("customer")["sales_channel"]}
	contracts = annual_contract_customers(company)
	if contracts is not None:
		factors["contract_type"] = pd.Series(index.isin(contracts), index=index).map(
			{True: _("Annual", context="Contract Type"), False: _("Monthly", context="Contract Type")}
		)
	for name, counts in (("complaints", complaint_counts(as_of)), ("outages", outage_counts(as_of))):
		if counts is not None:
			factors[name] = count_bands(counts.reindex(index).fillna(0), _("none"), _("2 or more"))
	return factors


def annual_contract_customers(company: str) -> set[str] | None:
	"""Customers who ever had a submitted annual contract with the company (None without contracts)."""
	if not frappe.db.table_exists("Annual Contract"):
		return None
	contract = frappe.qb.DocType("Annual Contract")
	rows = (
		frappe.qb.from_(contract)
		.select(contract.customer)
		.distinct()
		.where((contract.company == company) & (contract.docstatus == 1))
		.run()
	)
	return {row[0] for row in rows}


def complaint_counts(as_of: date) -> pd.Series | None:
	"""Complaints per customer in the 12 months to the date, from the complaints helper when present."""
	return _counts("churn_management.customer_service.complaints.complaint_counts", "Issue", as_of)


def outage_counts(as_of: date) -> pd.Series | None:
	"""Service outages per customer in the 12 months to the date, from the outages helper when present."""
	return _counts("churn_management.customer_service.outages.outage_counts", "Service Outage", as_of)


def _counts(method: str, doctype: str, as_of: date) -> pd.Series | None:
	if not frappe.db.table_exists(doctype):
		return None
	try:
		counts = frappe.get_attr(method)(as_of)
	except (ImportError, AttributeError):
		return None
	counts = pd.DataFrame(counts)
	if counts.empty or counts.shape[1] < 2:
		return pd.Series(dtype=float)
	return counts.set_index(counts.columns[0])[counts.columns[1]]
