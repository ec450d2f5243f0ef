# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Cohort Retention (DOMAIN.md §7): of the customers who started in each month of the period, the share
still with us 0, 1, 2 ... 24 months later (the analytics core's retention matrix, as in the workbook
of `churn-analytics diagnose`). A Prepared Report: it runs on a background worker, on the replica."""

import pandas as pd

import frappe
from frappe import _

from churn_management.analytics.churn.cohorts import retention_matrix
from churn_management.management.report_utils import card, column, month_label, no_data, percent
from churn_management.management.site_data import report_filters, site_overview

MONTHS_SHOWN = 24
CURVES_IN_CHART = 6


@frappe.read_only()
def execute(filters: dict | None = None):
	checked = report_filters(filters)
	overview = site_overview(checked)
	if overview is None:
		return no_data(get_columns())
	matrix = retention_matrix(overview.states, overview.as_of, max_months=MONTHS_SHOWN)
	start, end = (pd.Timestamp(p).to_period("M").to_timestamp() for p in overview.period)
	matrix = matrix[(matrix.index >= start) & (matrix.index <= end)]
	data = [row(cohort, values) for cohort, values in matrix.iterrows()]
	return get_columns(), data, None, get_chart(data), get_summary(matrix)


def row(cohort: pd.Timestamp, values: pd.Series) -> dict:
	result = {"cohort": month_label(cohort), "customers": int(values["customers"])}
	for month in range(MONTHS_SHOWN + 1):
		result[f"m{month}"] = percent(values[month])
	return result


def get_columns() -> list[dict]:
	columns = [
		column("cohort", _("Start Month"), "Data", 100),
		column("customers", _("Customers"), "Int", 100),
	]
	for month in range(MONTHS_SHOWN + 1):
		columns.append(column(f"m{month}", _("Month {0}").format(month), "Percent", 80))
	return columns


def get_chart(data: list[dict]) -> dict | None:
	"""The retention curves of the latest cohorts that can be followed for a while."""
	followed = [row for row in data if row["m3"] is not None][-CURVES_IN_CHART:]
	if not followed:
		return None
	months = range(MONTHS_SHOWN + 1)
	return {
		"data": {
			"labels": [str(m) for m in months],
			"datasets": [
				{"name": row["cohort"], "values": [row[f"m{m}"] or 0 for m in months]} for row in followed
			],
		},
		"type": "line",
		"lineOptions": {"hideDots": 1},
	}


def get_summary(matrix: pd.DataFrame) -> list[dict]:
	return [
		card(len(matrix), _("Cohorts")),
		card(int(matrix["customers"].sum()), _("Customers Started")),
	]
