# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Subscriber Lifetime (DOMAIN.md §7): survival curves per segment and what lifetime depends on, said in
words: tariff, customer type, territory, sales channel, and, where the site keeps them, contract type,
complaints and outages. Kaplan-Meier and the Cox model are the analytics core's (as in the workbook
of `churn-analytics diagnose`). A Prepared Report: a background worker, the replica when there is one."""

import frappe
from frappe import _

from churn_management.analytics.churn.diagnosis import Diagnosis
from churn_management.analytics.management.churn_reports import lifetime_table
from churn_management.management.report_utils import (
	SEGMENT_LABELS,
	card,
	column,
	core_language,
	hazard_meaning,
	no_data,
	number_or_none,
	percent,
	segment_label,
	segment_value,
)
from churn_management.management.site_data import report_filters, site_diagnosis


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	curves_by = filters.curves_by or "customer_type"
	if curves_by not in SEGMENT_LABELS:
		frappe.throw(_("Survival curves cannot be drawn by {0}.").format(curves_by), frappe.ValidationError)
	result = site_diagnosis(report_filters(filters), segment_by=list(SEGMENT_LABELS))
	if result is None:
		return no_data(get_columns())
	table = lifetime_table(result.segments, result.drivers)
	language = core_language()
	data = [row(record, language) for record in table.to_dict("records")]
	return get_columns(), data, findings(result, language), get_chart(result, curves_by), get_summary(result)


def row(record: dict, language: str) -> dict:
	overall = record["column"] == "(all)"
	ratio = number_or_none(record["hazard_ratio"])
	meaning = None
	if ratio is not None:
		meaning = hazard_meaning(record, language)
	elif not overall and record["value"] == record.get("baseline"):
		meaning = _("The most common value: the others are compared with it.")
	return {
		"segment": _("All Customers") if overall else segment_label(record["column"]),
		"value": None if overall else segment_value(record["value"]),
		"customers": int(record["customers"]),
		"churned": int(record["churned"]),
		"churn_share": percent(record["churn_share"]),
		"median": number_or_none(record["median_lifetime_months"]),
		"survival_12m": percent(record["survival_12m"]),
		"survival_24m": percent(record["survival_24m"]),
		"hazard_ratio": ratio,
		"meaning": meaning,
	}


def get_columns() -> list[dict]:
	return [
		column("segment", _("Segment"), "Data", 170),
		column("value", _("Value"), "Data", 160),
		column("customers", _("Customers"), "Int", 100),
		column("churned", _("Churned"), "Int", 90),
		column("churn_share", _("Churned %"), "Percent", 100),
		column("median", _("Median Lifetime, Months"), "Float", 150),
		column("survival_12m", _("With Us after 12 Months %"), "Percent", 170),
		column("survival_24m", _("With Us after 24 Months %"), "Percent", 170),
		column("hazard_ratio", _("Hazard Ratio"), "Float", 110),
		column("meaning", _("What It Means"), "Data", 480),
	]


def findings(result: Diagnosis, language: str) -> str | None:
	"""The reliable differences in lifetime, in words, above the table."""
	reliable = result.drivers[result.drivers["significant"]] if len(result.drivers) else result.drivers
	if not len(reliable):
		return _("No segment's lifetime differs reliably from its segment's most common value.")
	sentences = [hazard_meaning(record, language, significant=True) for record in reliable.to_dict("records")]
	items = "".join(f"<li>{frappe.utils.escape_html(text)}</li>" for text in sentences)
	return f"<b>{_('What lifetime depends on')}</b><ul>{items}</ul>"


def get_chart(result: Diagnosis, curves_by: str) -> dict | None:
	curves = result.curves.get(curves_by if curves_by in result.curves else "(all)")
	if curves is None or curves.empty:
		return None
	return {
		"data": {
			"labels": [str(month) for month in curves.index],
			"datasets": [
				{
					"name": segment_value(name),
					"values": [percent(v) if v is not None else None for v in curves[name]],
				}
				for name in curves.columns
			],
		},
		"type": "line",
		"lineOptions": {"hideDots": 1},
		"axisOptions": {"xAxisMode": "tick"},
		"title": _("With Us after N Months, %"),
	}


def get_summary(result: Diagnosis) -> list[dict]:
	overall = result.segments[result.segments["column"] == "(all)"].iloc[0]
	return [
		card(int(overall["customers"]), _("Customers")),
		card(number_or_none(overall["median_lifetime_months"]), _("Median Lifetime, Months"), "Float"),
		card(percent(overall["survival_12m"]), _("With Us after 12 Months %"), "Percent"),
		card(percent(overall["survival_24m"]), _("With Us after 24 Months %"), "Percent"),
	]
