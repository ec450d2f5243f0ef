# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The churn a submitted Retention Plan forecasts per month, for the Churn Report's "against the plan".

The plan belongs to another part of the app: until it is installed (or when the company has no
submitted plan) the Churn Report simply shows no plan columns. The plan forecasts per company and per
territory, so with a territory filter the territory rows are used; a plan says nothing per customer
type or tariff, so with those filters there is nothing to compare with."""

from __future__ import annotations

import pandas as pd

import frappe
from frappe.query_builder.functions import Sum

from churn_management.management.site_data import ReportFilters, territory_and_below


def read_planned_churn(filters: ReportFilters) -> pd.DataFrame | None:
	"""Planned churn per month (first day) of the company's submitted plans, or None."""
	if filters.customer_type or filters.tariff:
		return None
	child = "Retention Plan Territory" if filters.territory else "Retention Plan Month"
	if not (frappe.db.table_exists("Retention Plan") and frappe.db.table_exists(child)):
		return None
	plan, row = frappe.qb.DocType("Retention Plan"), frappe.qb.DocType(child)
	query = (
		frappe.qb.from_(plan)
		.join(row)
		.on((row.parent == plan.name) & (row.parenttype == "Retention Plan"))
		.select(plan.year, row.month, Sum(row.forecast_churn))
		.where((plan.company == filters.company) & (plan.docstatus == 1))
		.groupby(plan.year, row.month)
	)
	if filters.territory:
		query = query.where(row.territory.isin(territory_and_below(filters.territory)))
	frame = pd.DataFrame(query.run(), columns=["year", "month", "planned_churn"])
	if frame.empty:
		return None
	frame["month"] = pd.to_datetime({"year": frame["year"], "month": frame["month"], "day": 1})
	frame["planned_churn"] = frame["planned_churn"].astype(float)
	return frame[["month", "planned_churn"]]
