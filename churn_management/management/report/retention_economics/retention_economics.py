# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Retention economics (DOMAIN.md §6, §9): what a retained customer costs against a new one (the
methodology expects 30-50 % cheaper), what the returns are worth (monthly revenue × expected
lifetime from the survival curve) and the department's return, per month of the period."""

import pandas as pd

import frappe
from frappe import _
from frappe.utils import add_days, cint, flt, get_first_day, getdate

from churn_management.analytics.churn.survival import kaplan_meier
from churn_management.analytics.management.economics import (
	department_economics,
	expected_lifetime,
	period_total,
)
from churn_management.analytics.retention.work import DEFAULT_MAX_LIFETIME_MONTHS
from churn_management.management.company_access import check_company
from churn_management.management.history import lifetimes, saves
from churn_management.utils.report_filters import company_and_period

COST_FIELDS = ["month", "staff_cost", "offer_cost", "overhead", "acquisition_cost", "new_customers"]


def execute(filters: dict | None = None):
	return RetentionEconomics(company_and_period(filters)).run()


class RetentionEconomics:
	def __init__(self, filters):
		check_company(filters.company)
		self.company = filters.company
		self.to_date = filters.to_date
		self.since = getdate(get_first_day(filters.from_date))
		self.until = getdate(add_days(self.to_date, 1))

	def run(self):
		self.lifetime = self.expected_lifetime()
		economics = department_economics(self.costs(), self.returns(), self.lifetime)
		total = period_total(economics, self.lifetime)
		data = [self.row(record) for record in economics.to_dict("records")]
		return self.columns(), data, self.verdict(total), self.chart(data), self.summary(total)

	def costs(self) -> pd.DataFrame:
		rows = frappe.get_all(
			"Department Cost",
			filters={"company": self.company, "month": ("between", [self.since, self.to_date])},
			fields=COST_FIELDS,
			as_list=True,
		)
		frame = pd.DataFrame.from_records(rows, columns=COST_FIELDS)
		frame["month"] = pd.to_datetime(frame["month"])
		return frame

	def returns(self) -> pd.DataFrame:
		kept = saves(self.company, self.since, self.until)
		kept = kept[kept["status"] != "Lost"]
		month = kept["saved_on"].dt.to_period("M").dt.to_timestamp()
		return (
			kept.assign(month=month)
			.groupby("month", as_index=False)
			.agg(returned=("save", "size"), returned_revenue=("revenue", "sum"))
		)

	def expected_lifetime(self) -> float:
		"""Mean lifetime of the company's customers from their survival curve, up to the settings' cap."""
		horizon = cint(frappe.db.get_single_value("Retention Settings", "max_lifetime_months"))
		frame = lifetimes(self.company, self.until)
		curve = kaplan_meier(frame["duration"].to_numpy(), frame["churned"].to_numpy())
		value = expected_lifetime(curve, horizon or DEFAULT_MAX_LIFETIME_MONTHS)
		return flt(value if value is not None else 0, 2)

	def row(self, record: dict) -> dict:
		def number(value):
			return None if pd.isna(value) else flt(value, 2)

		def percent(value):
			return None if pd.isna(value) else flt(value * 100, 1)

		return {
			"month": getdate(record["month"]),
			"staff_cost": record["staff_cost"],
			"offer_cost": record["offer_cost"],
			"overhead": record["overhead"],
			"retention_cost": record["retention_cost"],
			"returned": int(record["returned"]),
			"cost_per_return": number(record["cost_per_return"]),
			"acquisition_cost": record["acquisition_cost"],
			"new_customers": int(record["new_customers"]),
			"cost_per_acquisition": number(record["cost_per_acquisition"]),
			"saving": percent(record["saving"]),
			"returned_revenue": record["returned_revenue"],
			"return_value": record["return_value"],
			"return_on_cost": percent(record["return_on_cost"]),
		}

	def verdict(self, total: dict) -> str:
		"""Where retention stands against the methodology's 30-50 % cheaper, in one sentence."""
		verdict = total["verdict"]
		shown = 0 if pd.isna(total["saving"]) else flt(abs(total["saving"]) * 100, 1)
		if verdict == "as_expected":
			text = _(
				"Retention is {0} % cheaper than acquisition: within the 30-50 % the methodology expects."
			)
		elif verdict == "better_than_expected":
			text = _(
				"Retention is {0} % cheaper than acquisition: better than the 30-50 % the methodology expects."
			)
		elif verdict == "not_cheap_enough":
			text = _("Retention is only {0} % cheaper than acquisition: the methodology expects 30-50 %.")
		elif verdict == "dearer":
			text = _(
				"A retained customer costs {0} % more than a new one: the methodology expects retention 30-50 % cheaper."
			)
		else:
			text = _(
				"Cost per retained customer and per new customer cannot be compared: enter the month's costs and new customers in Department Cost."
			)
		return text.format(shown)

	def columns(self) -> list[dict]:
		def money(fieldname, label, width=120):
			return {"fieldname": fieldname, "label": label, "fieldtype": "Currency", "width": width}

		return [
			{"fieldname": "month", "label": _("Month"), "fieldtype": "Date", "width": 100},
			money("staff_cost", _("Retention Staff Cost")),
			money("offer_cost", _("Offer Cost")),
			money("overhead", _("Overhead")),
			money("retention_cost", _("Retention Cost")),
			{"fieldname": "returned", "label": _("Customers Retained"), "fieldtype": "Int", "width": 100},
			money("cost_per_return", _("Cost per Retained Customer"), 140),
			money("acquisition_cost", _("Acquisition Cost")),
			{"fieldname": "new_customers", "label": _("New Customers"), "fieldtype": "Int", "width": 100},
			money("cost_per_acquisition", _("Cost per New Customer"), 140),
			{
				"fieldname": "saving",
				"label": _("Cheaper than Acquisition %"),
				"fieldtype": "Percent",
				"width": 120,
			},
			money("returned_revenue", _("Monthly Revenue Retained"), 140),
			money("return_value", _("Value of the Returns"), 140),
			{
				"fieldname": "return_on_cost",
				"label": _("Return on the Department %"),
				"fieldtype": "Percent",
				"width": 120,
			},
		]

	def chart(self, data: list[dict]) -> dict:
		return {
			"data": {
				"labels": [row["month"].strftime("%m.%Y") for row in data],
				"datasets": [
					{
						"name": _("Cost per Retained Customer"),
						"values": [row["cost_per_return"] or 0 for row in data],
					},
					{
						"name": _("Cost per New Customer"),
						"values": [row["cost_per_acquisition"] or 0 for row in data],
					},
				],
			},
			"type": "bar",
			"fieldtype": "Currency",
		}

	def summary(self, total: dict) -> list[dict]:
		indicator = {
			"as_expected": "Green",
			"better_than_expected": "Green",
			"not_cheap_enough": "Orange",
			"dearer": "Red",
			"unknown": "Grey",
		}[total["verdict"]]

		def value(key, scale=1.0):
			return None if pd.isna(total[key]) else flt(total[key] * scale, 2)

		return [
			{
				"value": value("cost_per_return"),
				"label": _("Cost per Retained Customer"),
				"datatype": "Currency",
			},
			{
				"value": value("cost_per_acquisition"),
				"label": _("Cost per New Customer"),
				"datatype": "Currency",
			},
			{
				"value": value("saving", 100),
				"label": _("Cheaper than Acquisition %"),
				"datatype": "Percent",
				"indicator": indicator,
			},
			{
				"value": flt(total["return_value"], 2),
				"label": _("Value of the Returns"),
				"datatype": "Currency",
			},
			{
				"value": value("return_on_cost", 100),
				"label": _("Return on the Department %"),
				"datatype": "Percent",
			},
			{"value": self.lifetime, "label": _("Expected Lifetime, Months"), "datatype": "Float"},
		]
