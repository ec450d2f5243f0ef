# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The 12-month retention plan of a company (DOMAIN.md §6): forecast churn with seasonality, target
returns, the tasks, hours and staff they take, and the budget.

"Generate" fills the months from the history; every figure a person changes by hand is remembered
(it differs from the value generated for it) and kept when the plan is generated again, unless the
user asks to overwrite. One submitted plan per company and year.
"""

import json

import pandas as pd

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, getdate, now_datetime

from churn_management.analytics.management.plan import goal_status
from churn_management.management.doctype.retention_plan.retention_plan_generation import (
	default_roles,
	plan_figures,
)

# child table -> (key fields, fields a person may change)
TABLES = {
	"months": (("month",), ("forecast_churn", "managed_churn", "target_returns", "staff_needed", "budget")),
	"workload": (("month", "task_type"), ("tasks", "attempts", "minutes")),
	"staff": (("month", "role"), ("hours", "staff", "staff_cost")),
	"territories": (("month", "territory"), ()),
}
GOALS = {"below": "Below 10 %", "within": "Within 10-20 %", "above": "Above 20 %", "unknown": ""}
MIN_YEAR = 2000


class RetentionPlanError(frappe.ValidationError):
	pass


class DuplicateRetentionPlanError(RetentionPlanError):
	pass


class RetentionPlan(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.management.doctype.retention_plan_month.retention_plan_month import (
			RetentionPlanMonth,
		)
		from churn_management.management.doctype.retention_plan_role.retention_plan_role import (
			RetentionPlanRole,
		)
		from churn_management.management.doctype.retention_plan_staff.retention_plan_staff import (
			RetentionPlanStaff,
		)
		from churn_management.management.doctype.retention_plan_territory.retention_plan_territory import (
			RetentionPlanTerritory,
		)
		from churn_management.management.doctype.retention_plan_workload.retention_plan_workload import (
			RetentionPlanWorkload,
		)

		amended_from: DF.Link | None
		company: DF.Link
		cost_per_return: DF.Currency
		currency: DF.Link | None
		generated_on: DF.Datetime | None
		history_from: DF.Date | None
		history_to: DF.Date | None
		managed_share: DF.Percent
		months: DF.Table[RetentionPlanMonth]
		notes: DF.SmallText | None
		offer_cost_per_return: DF.Currency
		overhead_per_month: DF.Currency
		planned_conversion: DF.Percent
		roles: DF.Table[RetentionPlanRole]
		staff: DF.Table[RetentionPlanStaff]
		target_share: DF.Percent
		territories: DF.Table[RetentionPlanTerritory]
		total_budget: DF.Currency
		total_forecast_churn: DF.Float
		total_hours: DF.Float
		total_target_returns: DF.Float
		workload: DF.Table[RetentionPlanWorkload]
		year: DF.Int
	# end: auto-generated types

	def before_insert(self):
		self.validate_year()
		if not self.months:
			self.set_plan()

	def validate(self):
		self.validate_year()
		self.validate_unique()
		self.validate_roles()
		self.validate_figures()
		self.set_derived()
		self.track_edits()

	def before_submit(self):
		self.validate_twelve_months()

	def validate_year(self):
		latest = getdate().year + 5
		if not MIN_YEAR <= cint(self.year) <= latest:
			frappe.throw(
				_("The year must lie between {0} and {1}.").format(MIN_YEAR, latest), RetentionPlanError
			)

	def validate_unique(self):
		other = frappe.db.exists(
			"Retention Plan",
			{"company": self.company, "year": self.year, "docstatus": 1, "name": ("!=", self.name)},
		)
		if other:
			frappe.throw(
				_("{0} already has the submitted plan {1} for {2}; cancel it and amend it instead.").format(
					frappe.bold(self.company), frappe.bold(other), self.year
				),
				DuplicateRetentionPlanError,
				title=_("Plan already submitted"),
			)

	def validate_roles(self):
		for row in self.roles:
			if flt(row.productive_hours) <= 0 or not 0 <= flt(row.share) <= 100 or flt(row.monthly_cost) < 0:
				frappe.throw(
					_(
						"Row {0} of the roles: productive hours must be above 0, the share between 0 and 100 % and the cost not negative."
					).format(row.idx),
					RetentionPlanError,
				)
		total = sum(flt(row.share) for row in self.roles)
		if self.roles and abs(total - 100) > 0.01:
			frappe.throw(
				_("The roles' shares of the call hours add up to {0} %, not 100 %.").format(flt(total, 2)),
				RetentionPlanError,
			)

	def validate_figures(self):
		for table, (_keys, editable) in TABLES.items():
			for row in self.get(table):
				for fieldname in editable:
					if flt(row.get(fieldname)) < 0:
						frappe.throw(
							_("Row {0} of {1}: {2} cannot be negative.").format(
								row.idx, _(self.meta.get_label(table)), _(row.meta.get_label(fieldname))
							),
							RetentionPlanError,
						)

	def validate_twelve_months(self):
		if sorted(cint(row.month) for row in self.months) != list(range(1, 13)):
			frappe.throw(
				_("A plan has one row for each of the twelve months; generate it."), RetentionPlanError
			)

	def set_derived(self):
		"""Hours, sums per month, shares and costs per return follow the figures above them."""
		by_month: dict[int, list] = {}
		for row in self.workload:
			row.hours = flt(flt(row.minutes) / 60, 2)
			by_month.setdefault(cint(row.month), []).append(row)
		for row in self.months:
			rows = by_month.get(cint(row.month), [])
			row.tasks = flt(sum(flt(r.tasks) for r in rows), 1)
			row.attempts = flt(sum(flt(r.attempts) for r in rows), 1)
			row.hours = flt(sum(flt(r.hours) for r in rows), 2)
			row.target_share = _share(row.target_returns, row.forecast_churn)
			row.goal = GOALS[goal_status(row.target_share / 100 if flt(row.forecast_churn) else None)]
			row.cost_per_return = flt(row.budget) / flt(row.target_returns) if flt(row.target_returns) else 0
		self.total_forecast_churn = flt(sum(flt(r.forecast_churn) for r in self.months), 1)
		self.total_target_returns = flt(sum(flt(r.target_returns) for r in self.months), 1)
		self.total_hours = flt(sum(flt(r.hours) for r in self.months), 1)
		self.total_budget = flt(sum(flt(r.budget) for r in self.months), 2)
		self.target_share = _share(self.total_target_returns, self.total_forecast_churn)
		self.cost_per_return = (
			flt(self.total_budget / self.total_target_returns, 2) if self.total_target_returns else 0
		)

	def track_edits(self):
		"""Name in each row the figures that differ from what was generated for them."""
		for table, (_keys, editable) in TABLES.items():
			for row in self.get(table):
				edited = _edited(row, editable)
				row.edited_fields = ", ".join(_(row.meta.get_label(f)) for f in edited) if edited else None

	@frappe.whitelist()
	def generate(self, overwrite: bool | int = False) -> None:
		"""Generate the months from the history again; hand-made changes stay unless overwrite."""
		self.check_permission("write")
		if self.docstatus != 0:
			frappe.throw(_("Only a draft plan can be generated again."), RetentionPlanError)
		self.set_plan(overwrite=cint(overwrite))
		self.save()

	def set_plan(self, overwrite: bool = False):
		if not self.roles:
			self.set("roles", default_roles())
		figures = plan_figures(
			self.company,
			cint(self.year),
			[
				{
					"role": row.role,
					"productive_hours": flt(row.productive_hours),
					"share": flt(row.share),
					"monthly_cost": flt(row.monthly_cost),
				}
				for row in self.roles
			],
			flt(self.offer_cost_per_return) or None,
			flt(self.overhead_per_month),
		)
		self.history_from, self.history_to = figures.history_from, figures.history_to
		self.offer_cost_per_return = figures.offer_cost_per_return
		self.managed_share = flt(figures.managed_share * 100, 2)
		self.planned_conversion = flt(figures.conversion * 100, 2)
		months = figures.months.drop(columns=["goal", "target_share"]).assign(
			month_start=[getdate(f"{self.year}-{m:02d}-01") for m in figures.months["month"]]
		)
		territories = figures.territories.rename(columns={"index": "seasonal_index"})
		for table, frame in (
			("months", months),
			("workload", figures.workload),
			("staff", figures.staff),
			("territories", territories),
		):
			self.merge_rows(table, frame, overwrite)
		self.generated_on = now_datetime()
		self.notes = self.plan_notes(figures)

	def merge_rows(self, table: str, frame: pd.DataFrame, overwrite: bool):
		"""Replace the table's rows with the generated ones, keeping hand-edited figures unless overwrite."""
		keys, editable = TABLES[table]
		old = {tuple(str(row.get(k)) for k in keys): row for row in self.get(table)}
		meta = frappe.get_meta(self.meta.get_field(table).options)
		rows = []
		for record in frame.to_dict("records"):
			values = {f: _plain(record[f]) for f in record if meta.has_field(f)}
			previous = old.get(tuple(str(values.get(k)) for k in keys))
			generated = {f: values.get(f) for f in editable}
			if previous and not overwrite:
				for fieldname in _edited(previous, editable):
					values[fieldname] = previous.get(fieldname)
			values["generated_values"] = json.dumps(generated) if editable else None
			rows.append(values)
		self.set(table, rows)

	def plan_notes(self, figures) -> str:
		groups = sorted(set(figures.territories["territory"]))
		return "\n".join(
			[
				_("Learnt from {0} to {1}.").format(
					frappe.format(figures.history_from, "Date"), frappe.format(figures.history_to, "Date")
				),
				_("Forecast per territory group: {0}.").format(", ".join(groups)),
				_(
					"Managed share of churn {0} %; the plan returns {1} % of all churn (the goal is 10-20 % a month)."
				).format(flt(figures.managed_share * 100, 1), flt(figures.conversion * 100, 1)),
			]
		)


def _plain(value):
	"""Numpy numbers and timestamps as plain Python values for the document."""
	if isinstance(value, pd.Timestamp):
		return value.date()
	if hasattr(value, "item"):
		return value.item()
	return value


def _edited(row, editable: tuple[str, ...]) -> list[str]:
	if not editable or not row.get("generated_values"):
		return []
	generated = row.generated_values
	generated = json.loads(generated) if isinstance(generated, str) else generated
	return [
		f for f in editable if flt(row.get(f), row.precision(f)) != flt(generated.get(f), row.precision(f))
	]


def _share(part, whole) -> float:
	return flt(flt(part) / flt(whole) * 100, 2) if flt(whole) else 0.0
