# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Churn Self-Diagnosis (DOMAIN.md §1, §2, §6, §7): the whole diagnosis of `churn-analytics diagnose` on
the site's own data: states, churn rate and revenue churn, reasons and groups against their target
shares, managed share and managed potential, seasonality, cohorts, lifetime and what it depends on.
The "Download Workbook" button gives the same workbook the command-line tool writes. A Prepared
Report: it runs on a background worker, on the replica when the site has one."""

import pandas as pd

import frappe
from frappe import _

from churn_management.analytics.churn.diagnosis import Diagnosis
from churn_management.management.report_utils import (
	card,
	column,
	core_language,
	hazard_meaning,
	month_label,
	no_data,
	number_or_none,
	percent,
	segment_label,
	segment_value,
)
from churn_management.management.site_data import report_filters, site_diagnosis

COHORT_MONTHS = (3, 6, 12)


@frappe.read_only()
def execute(filters: dict | None = None):
	result = site_diagnosis(report_filters(filters))
	if result is None:
		return no_data(get_columns())
	data = [
		*section(_("Summary"), summary_rows(result)),
		*section(_("Reasons"), reason_rows(result.reasons, "reason")),
		*section(_("Reason Groups"), reason_rows(result.groups, "group")),
		*section(_("Seasonality"), season_rows(result)),
		*section(_("Cohorts"), cohort_rows(result)),
		*section(_("Lifetime"), lifetime_rows(result)),
		*section(_("What Lifetime Depends On"), driver_rows(result)),
	]
	return get_columns(), data, None, get_chart(result), get_summary(result)


def section(title: str, rows: list[dict]) -> list[dict]:
	return [{"item": title, "indent": 0, "bold": 1}, *({**row, "indent": 1} for row in rows)]


def summary_rows(result: Diagnosis) -> list[dict]:
	data = result.to_dict()
	states, kinds, orders, managed = (
		data["states"],
		data["churn_kinds"],
		data["churn_orders"],
		data["managed"],
	)
	return [
		{"item": _("Customers"), "customers": data["customers"]},
		{"item": _("With Us"), "customers": data["active"]},
		{"item": _("Overdue"), "customers": states["overdue"]},
		{"item": _("Pre-churn"), "customers": states["pre_churn"]},
		{"item": _("Churned"), "customers": data["churned"]},
		{"item": _("Voluntary"), "customers": kinds.get("voluntary", 0)},
		{"item": _("Involuntary"), "customers": kinds.get("involuntary", 0)},
		{"item": _("Primary", context="Churn Record"), "customers": orders.get("primary", 0)},
		{"item": _("Secondary"), "customers": orders.get("secondary", 0)},
		{"item": _("Average Monthly Churn"), "share": percent(result.period_rate)},
		{"item": _("Average Monthly Revenue Churn"), "share": percent(result.period_mrr_rate)},
		{"item": _("Managed Share of Classified Churn"), "share": percent(managed["managed_share"])},
		{
			"item": _("Managed Churn over Target"),
			"excess": number_or_none(managed["potential_customers"]),
			"revenue": number_or_none(managed["potential_mrr"]),
		},
	]


def reason_rows(table: pd.DataFrame, name: str) -> list[dict]:
	return [
		{
			"item": _(record[name]),
			"customers": int(record["churned"]),
			"share": percent(record["share"]),
			"target": percent(record["target_share"]),
			"excess": number_or_none(record["excess"]),
			"revenue": number_or_none(record["lost_mrr"]),
		}
		for record in table.to_dict("records")
	]


def season_rows(result: Diagnosis) -> list[dict]:
	names = [_(pd.Timestamp(2000, m, 1).strftime("%B")) for m in range(1, 13)]
	return [
		{
			"item": names[int(record["month"]) - 1],
			"share": percent(record["mean_rate"]),
			"index": number_or_none(record["index"]),
		}
		for record in result.seasonality.to_dict("records")
	]


def cohort_rows(result: Diagnosis) -> list[dict]:
	rows = []
	for cohort, values in result.cohorts.iterrows():
		row = {"item": month_label(cohort), "customers": int(values["customers"])}
		for month in COHORT_MONTHS:
			row[f"after_{month}"] = percent(values.get(month))
		rows.append(row)
	return rows


def lifetime_rows(result: Diagnosis) -> list[dict]:
	return [
		{
			"item": f"{segment_label(record['column'])}: {segment_value(record['value'])}"
			if record["column"] != "(all)"
			else _("All Customers"),
			"customers": int(record["customers"]),
			"share": percent(record["churn_share"]),
			"median": number_or_none(record["median_lifetime_months"]),
			"after_12": percent(record["survival_12m"]),
		}
		for record in result.segments.to_dict("records")
	]


def driver_rows(result: Diagnosis) -> list[dict]:
	language = core_language()
	return [
		{
			"item": hazard_meaning(record, language),
			"index": number_or_none(record["hazard_ratio"]),
		}
		for record in result.drivers.to_dict("records")
	]


def get_columns() -> list[dict]:
	return [
		column("item", _("Item", context="Churn Self-Diagnosis"), "Data", 320),
		column("customers", _("Customers"), "Int", 100),
		column("share", _("Share / Rate %"), "Percent", 110),
		column("target", _("Target Share %"), "Percent", 110),
		column("excess", _("Customers over Target"), "Float", 140),
		column("revenue", _("Monthly Revenue"), "Currency", 130),
		column("index", _("Index / Hazard Ratio"), "Float", 130),
		column("median", _("Median Lifetime, Months"), "Float", 150),
		*(
			column(f"after_{m}", _("Retained after {0} Months").format(m), "Percent", 150)
			for m in COHORT_MONTHS
		),
	]


def get_chart(result: Diagnosis) -> dict | None:
	monthly = result.monthly
	if monthly.empty:
		return None
	return {
		"data": {
			"labels": [month_label(m) for m in monthly["month"]],
			"datasets": [
				{"name": _("Churn Rate %"), "values": [percent(v) or 0 for v in monthly["rate"]]},
				{"name": _("Revenue Churn %"), "values": [percent(v) or 0 for v in monthly["mrr_rate"]]},
			],
		},
		"type": "line",
		"lineOptions": {"hideDots": 1},
	}


def get_summary(result: Diagnosis) -> list[dict]:
	data = result.to_dict()
	overall = data["segments"].get("(all)", {}).get("(all)", {})
	return [
		card(data["customers"], _("Customers")),
		card(data["churned"], _("Churned"), indicator="Red"),
		card(percent(result.period_rate), _("Average Monthly Churn %"), "Percent", "Red"),
		card(percent(result.period_mrr_rate), _("Average Monthly Revenue Churn %"), "Percent", "Red"),
		card(percent(data["managed_share"]), _("Managed Share of Classified Churn %"), "Percent"),
		card(round(data["managed"]["potential_customers"] or 0, 1), _("Managed Churn over Target"), "Float"),
		card(number_or_none(overall.get("median_lifetime_months")), _("Median Lifetime, Months"), "Float"),
	]
