# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Lifecycle Goals: renewal share, starter-package completion, starter services delivered (also
per department), their conversion into personal-training sales and the share of inactive members
reactivated, per month or quarter, against the targets of the club's standard, with the previous
period as the reference point and the change from it as the trend."""

import pandas as pd

import frappe
from frappe import _
from frappe.utils import add_months, getdate, nowdate

from churn_management.analytics.lifecycle.segmentation import (
	GoalInputs,
	department_service_shares,
	goal_values,
	goals_against_targets,
	period_of,
)
from churn_management.clubs.doctype.lifecycle_goal_target.lifecycle_goal_target import GOAL_KEYS
from churn_management.clubs.report.lifecycle_data import (
	cards_for,
	packages_of,
	read_starter_services,
	read_targets,
	read_transitions,
)

GOAL_LABELS = {key: label for label, key in GOAL_KEYS.items()}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	to_date = getdate(filters.get("to_date") or nowdate())
	from_date = getdate(filters.get("from_date") or add_months(to_date, -6))
	periodicity = "Quarterly" if filters.get("periodicity") == "Quarterly" else "Monthly"
	services = read_starter_services(filters)
	inputs = GoalInputs(
		memberships=cards_for(filters),
		packages=packages_of(services),
		services=services,
		moves=read_transitions(filters, until=to_date),
	)
	values = goal_values(inputs, periodicity, until=pd.Timestamp(to_date))
	table = goals_against_targets(
		values, read_targets(filters.get("club")) if periodicity == "Monthly" else None
	)
	first = period_of(pd.Series([pd.Timestamp(from_date)]), periodicity).iloc[0]
	table = table[table["period"] >= first]
	data = [goal_row(row, GOAL_LABELS.get(row["goal"], row["goal"])) for row in table.to_dict("records")]
	if len(services):
		departments = department_service_shares(services, periodicity)
		departments = departments[
			(departments["period"] >= first) & (departments["period"] <= pd.Timestamp(to_date))
		]
		for row in departments.to_dict("records"):
			data.append(
				{
					"period": row["period"].date(),
					"goal": _("Starter services delivered: {0}").format(row["department"]),
					"value": round(100 * row["share"], 1),
					"numerator": int(row["delivered"]),
					"denominator": int(row["due"]),
				}
			)
	data.sort(key=lambda r: (r["period"], r["goal"]))
	return get_columns(), data, None, get_chart(table), None


def _percent(value):
	return None if value is None or pd.isna(value) else round(100 * float(value), 1)


def goal_row(row: dict, label: str) -> dict:
	reached = row.get("reached")
	return {
		"period": row["period"].date(),
		"goal": _(label),
		"value": _percent(row["value"]),
		"target": _percent(row["target"]),
		"gap": _percent(row["gap"]),
		"reached": None if reached is None or pd.isna(reached) else int(bool(reached)),
		"reference": _percent(row["reference"]),
		"trend": _percent(row["trend"]),
		"numerator": int(row["numerator"]),
		"denominator": int(row["denominator"]),
	}


def get_chart(table: pd.DataFrame) -> dict | None:
	if table.empty:
		return None
	periods = sorted(set(table["period"]))
	datasets = []
	for goal, rows in table.groupby("goal"):
		by_period = dict(zip(rows["period"], rows["value"], strict=True))
		datasets.append(
			{
				"name": _(GOAL_LABELS.get(goal, goal)),
				"values": [_percent(by_period.get(p)) or 0 for p in periods],
			}
		)
	return {"data": {"labels": [str(p.date()) for p in periods], "datasets": datasets}, "type": "line"}


def get_columns() -> list[dict]:
	return [
		{"label": _("Period"), "fieldname": "period", "fieldtype": "Date", "width": 110},
		{"label": _("Goal"), "fieldname": "goal", "fieldtype": "Data", "width": 260},
		{"label": _("Value, %"), "fieldname": "value", "fieldtype": "Float", "precision": 1, "width": 100},
		{"label": _("Target, %"), "fieldname": "target", "fieldtype": "Float", "precision": 1, "width": 100},
		{"label": _("Gap, pp"), "fieldname": "gap", "fieldtype": "Float", "precision": 1, "width": 90},
		{"label": _("Reached"), "fieldname": "reached", "fieldtype": "Check", "width": 80},
		{
			"label": _("Previous Period, %"),
			"fieldname": "reference",
			"fieldtype": "Float",
			"precision": 1,
			"width": 140,
		},
		{"label": _("Trend, pp"), "fieldname": "trend", "fieldtype": "Float", "precision": 1, "width": 90},
		{"label": _("Counted"), "fieldname": "numerator", "fieldtype": "Int", "width": 90},
		{"label": _("Out Of"), "fieldname": "denominator", "fieldtype": "Int", "width": 90},
	]
