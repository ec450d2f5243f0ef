# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Churn by Reason (DOMAIN.md §2): each reason group and reason's share of the period's churn against
its target share, and the excess over target in customers and monthly revenue, managed churn first
to look at. Every figure is the analytics core's (the same code as `churn-analytics diagnose`)."""

import pandas as pd

from frappe import _

from churn_management.analytics.churn.reasons import churn_by_group, managed_summary
from churn_management.analytics.management.churn_reports import reasons_against_target
from churn_management.management.report_utils import card, column, no_data, number_or_none, percent
from churn_management.management.site_data import report_filters, site_overview


def execute(filters: dict | None = None):
	overview = site_overview(report_filters(filters))
	if overview is None:
		return no_data(get_columns())
	reasons = reasons_against_target(overview.reasons)
	groups = reasons_against_target(churn_by_group(overview.reasons))
	data = []
	for group in groups.to_dict("records"):
		data.append(row(group, group["group"], 0))
		for reason in reasons[reasons["group"] == group["group"]].to_dict("records"):
			data.append(row(reason, reason["reason"], 1))
	return get_columns(), data, None, get_chart(groups), get_summary(overview.reasons)


def row(record: dict, name: str, indent: int) -> dict:
	managed = record["managed"]
	return {
		"reason": _(name),
		"indent": indent,
		"managed": _("Unknown", context="Churn Reason")
		if managed is None
		else (_("Yes") if managed else _("No")),
		"churned": int(record["churned"]),
		"share": percent(record["share"]),
		"target_share": percent(record["target_share"]),
		"deviation": percent(record["deviation"]),
		"excess": number_or_none(record["excess"]),
		"lost_mrr": number_or_none(record["lost_mrr"]),
		"excess_mrr": number_or_none(record["excess_mrr"]),
	}


def get_columns() -> list[dict]:
	return [
		column("reason", _("Reason Group / Reason"), "Data", 260),
		column("managed", _("Managed"), "Data", 90),
		column("churned", _("Churned"), "Int", 90),
		column("share", _("Share %"), "Percent", 90),
		column("target_share", _("Target Share %"), "Percent", 110),
		column("deviation", _("Share over Target, pp"), "Float", 140),
		column("excess", _("Customers over Target"), "Float", 150),
		column("lost_mrr", _("Monthly Revenue Lost"), "Currency", 140),
		column("excess_mrr", _("Revenue over Target"), "Currency", 140),
	]


def get_chart(groups: pd.DataFrame) -> dict | None:
	if groups.empty:
		return None
	return {
		"data": {
			"labels": [_(name) for name in groups["group"]],
			"datasets": [
				{"name": _("Share %"), "values": [percent(v) or 0 for v in groups["share"]]},
				{"name": _("Target Share %"), "values": [percent(v) or 0 for v in groups["target_share"]]},
			],
		},
		"type": "bar",
		"colors": ["#e24c4c", "#98d85b"],
	}


def get_summary(reasons: pd.DataFrame) -> list[dict]:
	managed = managed_summary(reasons)
	return [
		card(managed["churned"], _("Churned in the Period")),
		card(percent(managed["managed_share"]), _("Managed Share of Classified Churn %"), "Percent"),
		card(round(managed["potential_customers"], 1), _("Managed Churn over Target"), "Float", "Red"),
		card(round(managed["potential_mrr"], 2), _("Its Monthly Revenue"), "Currency", "Red"),
	]
