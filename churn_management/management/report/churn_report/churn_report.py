# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Churn Report (DOMAIN.md §1, §9): monthly churn and revenue churn of a period, voluntary /
involuntary, primary / secondary and per reason group, against the submitted retention plan.

Every figure is the analytics core's (the same code as `churn-analytics diagnose`)."""

import pandas as pd

from frappe import _

from churn_management.analytics.management.churn_reports import monthly_breakdown, period_rates
from churn_management.management.planned_churn import read_planned_churn
from churn_management.management.report_utils import card, column, month_label, no_data, percent
from churn_management.management.site_data import ReportFilters, report_filters, site_overview


def execute(filters: dict | None = None):
	return ChurnReport(report_filters(filters)).run()


class ChurnReport:
	def __init__(self, filters: ReportFilters):
		self.filters = filters

	def run(self):
		overview = site_overview(self.filters)
		if overview is None:
			return no_data(self.columns([], False))
		groups = dict(zip(overview.reasons["reason"], overview.reasons["group"], strict=True))
		plan = read_planned_churn(self.filters)
		table = monthly_breakdown(overview.states, overview.monthly, overview.period, groups, plan)
		group_columns = [c for c in table.columns if c.startswith("group:")]
		has_plan = "planned_churn" in table
		data = [self.row(record, group_columns) for record in table.to_dict("records")]
		rates = period_rates(overview.monthly, overview.period)
		return (
			self.columns(group_columns, has_plan),
			data,
			None,
			self.chart(data, has_plan),
			self.summary(table, rates),
		)

	def row(self, record: dict, group_columns: list[str]) -> dict:
		row = {
			"month": month_label(record["month"]),
			"start_active": int(record["start_active"]),
			"churned": int(record["churned"]),
			"rate": percent(record["rate"]),
			"voluntary": int(record["voluntary"]),
			"involuntary": int(record["involuntary"]),
			"primary": int(record["primary"]),
			"secondary": int(record["secondary"]),
			"start_mrr": float(record["start_mrr"]),
			"lost_mrr": float(record["lost_mrr"]),
			"mrr_rate": percent(record["mrr_rate"]),
		}
		for index, name in enumerate(group_columns):
			row[f"group_{index}"] = int(record[name])
		if "planned_churn" in record:
			planned = record["planned_churn"]
			row["planned_churn"] = None if pd.isna(planned) else float(planned)
			row["against_plan"] = None if pd.isna(planned) else float(record["against_plan"])
		return row

	def columns(self, group_columns: list[str], has_plan: bool) -> list[dict]:
		columns = [
			column("month", _("Month"), "Data", 90),
			column("start_active", _("Active at Month Start"), "Int", 130),
			column("churned", _("Churned"), "Int", 90),
			column("rate", _("Churn Rate %"), "Percent", 110),
			column("voluntary", _("Voluntary"), "Int", 90),
			column("involuntary", _("Involuntary"), "Int", 100),
			column("primary", _("Primary", context="Churn Record"), "Int", 90),
			column("secondary", _("Secondary"), "Int", 100),
		]
		for index, name in enumerate(group_columns):
			columns.append(column(f"group_{index}", _(name.removeprefix("group:")), "Int", 120))
		columns += [
			column("start_mrr", _("Monthly Revenue at Start"), "Currency", 150),
			column("lost_mrr", _("Monthly Revenue Lost"), "Currency", 140),
			column("mrr_rate", _("Revenue Churn %"), "Percent", 120),
		]
		if has_plan:
			columns += [
				column("planned_churn", _("Planned Churn"), "Float", 110),
				column("against_plan", _("Churned over Plan"), "Float", 120),
			]
		return columns

	def chart(self, data: list[dict], has_plan: bool) -> dict | None:
		if not data:
			return None
		datasets = [
			{"name": _("Churned"), "values": [row["churned"] for row in data], "chartType": "bar"},
		]
		if has_plan:
			datasets.append(
				{
					"name": _("Planned Churn"),
					"values": [row["planned_churn"] or 0 for row in data],
					"chartType": "line",
				}
			)
		return {
			"data": {"labels": [row["month"] for row in data], "datasets": datasets},
			"type": "axis-mixed",
			"colors": ["#e24c4c", "#5e64ff"],
		}

	def summary(self, table: pd.DataFrame, rates: dict) -> list[dict]:
		return [
			card(percent(rates["rate"]), _("Average Monthly Churn %"), "Percent", "Red"),
			card(percent(rates["mrr_rate"]), _("Average Monthly Revenue Churn %"), "Percent", "Red"),
			card(int(table["churned"].sum()), _("Churned in the Period")),
			card(int(table["voluntary"].sum()), _("Voluntary")),
			card(int(table["involuntary"].sum()), _("Involuntary")),
			card(int(table["secondary"].sum()), _("Secondary"), indicator="Orange"),
		]
