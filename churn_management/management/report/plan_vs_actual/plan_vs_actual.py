# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Plan vs actual (DOMAIN.md §6): each month of the year's retention plan against the churn, the
returns, the tasks, the call hours and the department's cost that actually came."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import cint, flt, getdate

from churn_management.management.company_access import check_company
from churn_management.management.history import monthly_totals

FIGURES = ("churn", "returns", "tasks", "hours", "cost")


def execute(filters: dict | None = None):
	return PlanVsActual(frappe._dict(filters or {})).run()


class PlanVsActual:
	def __init__(self, filters):
		check_company(filters.company)
		self.company = filters.company
		self.year = cint(filters.year) or getdate().year

	def run(self):
		plan = self.plan()
		planned = self.planned(plan)
		actual = self.actual()
		data = [self.row(month, planned, actual) for month in range(1, 13)]
		return self.columns(), data, self.message(plan), self.chart(data), self.summary(data)

	def plan(self) -> str | None:
		"""The submitted plan of the year, else its latest draft."""
		for docstatus in (1, 0):
			names = frappe.get_all(
				"Retention Plan",
				filters={"company": self.company, "year": self.year, "docstatus": docstatus},
				order_by="modified desc",
				limit=1,
				pluck="name",
			)
			if names:
				return names[0]
		return None

	def planned(self, plan: str | None) -> dict[str, dict[int, float]]:
		if not plan:
			return {figure: {} for figure in FIGURES}
		rows = frappe.get_all(
			"Retention Plan Month",
			filters={"parent": plan, "parenttype": "Retention Plan"},
			fields=["month", "forecast_churn", "target_returns", "tasks", "hours", "budget"],
		)
		fields = dict(
			zip(FIGURES, ("forecast_churn", "target_returns", "tasks", "hours", "budget"), strict=True)
		)
		return {figure: {row.month: flt(row[field]) for row in rows} for figure, field in fields.items()}

	def actual(self) -> dict[str, dict[int, float]]:
		record = frappe.qb.DocType("Churn Record")
		save = frappe.qb.DocType("Retention Save")
		task = frappe.qb.DocType("Retention Task")
		attempt = frappe.qb.DocType("Retention Task Attempt")
		cost = frappe.qb.DocType("Department Cost")
		hours_table = frappe.qb.from_(attempt).join(task).on(task.name == attempt.parent)
		return {
			"churn": monthly_totals(
				frappe.qb.from_(record),
				record.churn_date,
				Count("*"),
				record.company == self.company,
				self.year,
			),
			"returns": monthly_totals(
				frappe.qb.from_(save),
				save.saved_on,
				Count("*"),
				(save.company == self.company) & (save.status != "Lost"),
				self.year,
			),
			"tasks": monthly_totals(
				frappe.qb.from_(task), task.creation, Count("*"), task.company == self.company, self.year
			),
			"hours": {
				month: minutes / 60
				for month, minutes in monthly_totals(
					hours_table,
					attempt.attempt_on,
					Sum(attempt.minutes),
					(task.company == self.company) & (attempt.parenttype == "Retention Task"),
					self.year,
				).items()
			},
			"cost": monthly_totals(
				frappe.qb.from_(cost),
				cost.month,
				Sum(cost.retention_cost),
				cost.company == self.company,
				self.year,
			),
		}

	def row(self, month: int, planned: dict, actual: dict) -> dict:
		row = {"month": getdate(f"{self.year}-{month:02d}-01")}
		for figure in FIGURES:
			row[f"planned_{figure}"] = flt(planned[figure].get(month, 0), 2)
			row[f"actual_{figure}"] = flt(actual[figure].get(month, 0), 2)
		target = row["planned_returns"]
		row["returns_done"] = flt(row["actual_returns"] / target * 100, 1) if target else None
		return row

	def message(self, plan: str | None) -> str | None:
		if not plan:
			return _("{0} has no retention plan for {1}: the planned figures are empty.").format(
				frappe.bold(self.company), self.year
			)
		if frappe.db.get_value("Retention Plan", plan, "docstatus") == 0:
			return _("The plan {0} is a draft: it is shown until a plan for {1} is submitted.").format(
				frappe.bold(plan), self.year
			)
		return None

	def columns(self) -> list[dict]:
		labels = {
			"churn": (_("Planned Churn"), _("Actual Churn"), "Float"),
			"returns": (_("Target Returns"), _("Actual Returns"), "Float"),
			"tasks": (_("Planned Tasks"), _("Actual Tasks"), "Float"),
			"hours": (_("Planned Hours"), _("Actual Hours"), "Float"),
			"cost": (_("Planned Budget"), _("Actual Retention Cost"), "Currency"),
		}
		columns = [{"fieldname": "month", "label": _("Month"), "fieldtype": "Date", "width": 100}]
		for figure, (planned, actual, fieldtype) in labels.items():
			for fieldname, label in ((f"planned_{figure}", planned), (f"actual_{figure}", actual)):
				columns.append(
					{
						"fieldname": fieldname,
						"label": label,
						"fieldtype": fieldtype,
						"precision": 1,
						"width": 120,
					}
				)
			if figure == "returns":
				columns.append(
					{
						"fieldname": "returns_done",
						"label": _("Returns, % of Plan"),
						"fieldtype": "Percent",
						"width": 110,
					}
				)
		return columns

	def chart(self, data: list[dict]) -> dict:
		return {
			"data": {
				"labels": [row["month"].strftime("%m.%Y") for row in data],
				"datasets": [
					{"name": _("Target Returns"), "values": [row["planned_returns"] for row in data]},
					{"name": _("Actual Returns"), "values": [row["actual_returns"] for row in data]},
				],
			},
			"type": "bar",
		}

	def summary(self, data: list[dict]) -> list[dict]:
		planned = sum(row["planned_returns"] for row in data)
		actual = sum(row["actual_returns"] for row in data)
		done = flt(actual / planned * 100, 1) if planned else None
		return [
			{"value": flt(planned, 1), "label": _("Target Returns"), "datatype": "Float"},
			{"value": actual, "label": _("Actual Returns"), "datatype": "Float"},
			{
				"value": done,
				"label": _("Returns, % of Plan"),
				"datatype": "Percent",
				"indicator": "Green" if done and done >= 100 else "Orange",
			},
		]
