# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Retention monitoring (DOMAIN.md §9): conversion to return per reason, method, employee or month,
raw and "still active after N days", against the planned conversion, with the revenue returned and
the share of paused customers who came back."""

import pandas as pd

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce
from frappe.utils import flt

from churn_management.analytics.retention.work import conversion_table, share_came_back
from churn_management.retention.report.task_filters import own_tasks_for_manager, task_filter_columns
from churn_management.utils.report_filters import where_equal, where_in_period

GROUPS = {
	"Reason": ("churn_reason", "Link", "Churn Reason"),
	"Reason Group": ("reason_group", "Link", "Churn Reason"),
	"Method": ("method", "Link", "Retention Method"),
	"Manager": ("assignee", "Link", "User"),
	"Month": ("month", "Data", None),
}
TASK_COLUMNS = [
	"name",
	"churn_reason",
	"reason_group",
	"method",
	"assignee",
	"closed_on",
	"outcome",
	"save_status",
	"revenue",
]


def execute(filters: dict | None = None):
	return RetentionMonitoring(frappe._dict(filters or {})).run()


class RetentionMonitoring:
	def __init__(self, filters):
		# a retention manager sees their own conversion
		self.filters = own_tasks_for_manager(filters)
		self.group_by = filters.get("group_by") or "Reason"

	def run(self):
		tasks = self.tasks()
		fieldname = GROUPS[self.group_by][0]
		table = conversion_table(tasks, [fieldname])
		data = [self.row(record, fieldname) for record in table.to_dict("records")]
		return self.columns(), data, None, self.chart(data, fieldname), self.summary(tasks)

	def tasks(self) -> pd.DataFrame:
		"""Closed tasks as tuples (fast), with the planned conversion of the method used mapped on."""
		task = frappe.qb.DocType("Retention Task")
		used = Coalesce(task.retention_method, task.planned_method)
		query = (
			frappe.qb.from_(task)
			.select(
				task.name,
				task.churn_reason,
				task.reason_group,
				used.as_("method"),
				task.assignee,
				task.closed_on,
				task.outcome,
				task.save_status,
				task.monthly_revenue.as_("revenue"),
			)
			.where(task.status == "Closed")
		)
		filters = self.filters
		query = where_in_period(query, filters, task.closed_on)
		query = where_equal(query, filters, task_filter_columns(task))
		frame = pd.DataFrame.from_records(query.run(), columns=TASK_COLUMNS)
		frame["planned"] = self.planned(frame) / 100
		if self.group_by == "Month":
			frame["month"] = pd.to_datetime(frame["closed_on"]).dt.strftime("%Y-%m")
		return frame

	def planned(self, frame: pd.DataFrame) -> pd.Series:
		"""The reason's planned conversion for the method, else the method's own."""
		methods = dict(
			frappe.get_all("Retention Method", fields=["name", "planned_conversion"], as_list=True)
		)
		link = frappe.qb.DocType("Churn Reason Method")
		by_reason = {
			(reason, method): flt(planned)
			for reason, method, planned in frappe.qb.from_(link)
			.select(link.parent, link.retention_method, link.planned_conversion)
			.where((link.parenttype == "Churn Reason") & (link.planned_conversion > 0))
			.run()
		}
		keys = pd.Series(list(zip(frame["churn_reason"], frame["method"], strict=True)), index=frame.index)
		from_reason = keys.map(by_reason)
		return from_reason.fillna(frame["method"].map(methods)).astype(float)

	def row(self, record: dict, fieldname: str) -> dict:
		def percent(value):
			return None if pd.isna(value) else round(flt(value) * 100, 1)

		return {
			"group": record[fieldname] or _("Not set"),
			"tasks": int(record["tasks"]),
			"returned": int(record["returned"]),
			"conversion": percent(record["conversion"]),
			"conversion_low": percent(record["conversion_low"]),
			"conversion_high": percent(record["conversion_high"]),
			"stuck": int(record["stuck"]),
			"lost": int(record["lost"]),
			"pending": int(record["pending"]),
			"sticky_conversion": percent(record["sticky_conversion"]),
			"planned_conversion": percent(record["planned_conversion"]),
			"revenue_returned": flt(record["revenue_returned"]),
		}

	def columns(self) -> list[dict]:
		_fieldname, fieldtype, options = GROUPS[self.group_by]
		group = {"fieldname": "group", "label": _(self.group_by), "fieldtype": fieldtype, "width": 220}
		if options:
			group["options"] = options
		return [
			group,
			{"fieldname": "tasks", "label": _("Tasks Closed"), "fieldtype": "Int", "width": 100},
			{"fieldname": "returned", "label": _("Returned"), "fieldtype": "Int", "width": 90},
			{"fieldname": "conversion", "label": _("Conversion %"), "fieldtype": "Percent", "width": 110},
			{
				"fieldname": "conversion_low",
				"label": _("95% Interval From"),
				"fieldtype": "Percent",
				"width": 120,
			},
			{
				"fieldname": "conversion_high",
				"label": _("95% Interval To"),
				"fieldtype": "Percent",
				"width": 120,
			},
			{"fieldname": "stuck", "label": _("Stuck"), "fieldtype": "Int", "width": 80},
			{
				"fieldname": "lost",
				"label": _("Lost", context="Retention Save"),
				"fieldtype": "Int",
				"width": 80,
			},
			{
				"fieldname": "pending",
				"label": _("Pending", context="Retention Save"),
				"fieldtype": "Int",
				"width": 80,
			},
			{
				"fieldname": "sticky_conversion",
				"label": _("Still Active After N Days"),
				"fieldtype": "Percent",
				"width": 150,
			},
			{
				"fieldname": "planned_conversion",
				"label": _("Planned Conversion"),
				"fieldtype": "Percent",
				"width": 130,
			},
			{
				"fieldname": "revenue_returned",
				"label": _("Monthly Revenue Returned"),
				"fieldtype": "Currency",
				"width": 150,
			},
		]

	def chart(self, data: list[dict], fieldname: str) -> dict | None:
		if not data:
			return None
		rows = data[:20]
		return {
			"data": {
				"labels": [str(row["group"]) for row in rows],
				"datasets": [
					{"name": _("Conversion %"), "values": [row["conversion"] or 0 for row in rows]},
					{
						"name": _("Still Active After N Days"),
						"values": [row["sticky_conversion"] or 0 for row in rows],
					},
					{
						"name": _("Planned Conversion"),
						"values": [row["planned_conversion"] or 0 for row in rows],
					},
				],
			},
			"type": "bar",
		}

	def summary(self, tasks: pd.DataFrame) -> list[dict]:
		overall = conversion_table(tasks, [])
		raw = sticky = None
		returned = revenue = 0
		if not overall.empty:
			raw = overall.loc[0, "conversion"]
			sticky = overall.loc[0, "sticky_conversion"]
			returned = int(overall.loc[0, "returned"])
			revenue = flt(overall.loc[0, "revenue_returned"])
		pauses = self.pause_share()
		return [
			{"value": returned, "label": _("Returned"), "indicator": "Green", "datatype": "Int"},
			{
				"value": None if raw is None or pd.isna(raw) else round(raw * 100, 1),
				"label": _("Conversion %"),
				"indicator": "Blue",
				"datatype": "Percent",
			},
			{
				"value": None if sticky is None or pd.isna(sticky) else round(sticky * 100, 1),
				"label": _("Still Active After N Days"),
				"indicator": "Blue",
				"datatype": "Percent",
			},
			{
				"value": revenue,
				"label": _("Monthly Revenue Returned"),
				"indicator": "Green",
				"datatype": "Currency",
			},
			{
				"value": None if pd.isna(pauses["share"]) else round(pauses["share"] * 100, 1),
				"label": _("Paused Customers Who Came Back"),
				"indicator": "Orange",
				"datatype": "Percent",
			},
		]

	def pause_share(self) -> dict:
		application = frappe.qb.DocType("Suspension Application")
		query = (
			frappe.qb.from_(application)
			.select(application.came_back)
			.where((application.docstatus == 1) & application.came_back.isin(["Yes", "No"]))
		)
		if self.filters.company:
			query = query.where(application.company == self.filters.company)
		if self.filters.from_date:
			query = query.where(application.resumed_on >= self.filters.from_date)
		if self.filters.to_date:
			query = query.where(application.resumed_on <= self.filters.to_date)
		pauses = pd.DataFrame({"came_back": [row[0] == "Yes" for row in query.run()]})
		return share_came_back(pauses)
