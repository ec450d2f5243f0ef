# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Lifecycle Segmentation: how many members are in each stage on a date, per club or department.

Members no stage rule takes are shown in the stage that catches the rest (Other), so a gap in
the rules is visible rather than hidden.
"""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from churn_management.analytics.lifecycle.segmentation import OTHER, at_risk_dates, stage_counts
from churn_management.clubs.doctype.lifecycle_stage.lifecycle_stage import stage_label
from churn_management.clubs.report.lifecycle_data import segment_on, stage_order

GROUPS = {"Stage": [], "Club": ["club"], "Department": ["department"]}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	as_of = getdate(filters.get("date") or nowdate())
	segmented = segment_on(as_of, filters)
	by = GROUPS.get(filters.get("group_by") or "Stage", [])
	stages = stage_order()
	columns = get_columns(by)
	if segmented.empty:
		return columns, [], None, None, []
	counts = stage_counts(segmented, by=by, stages=stages)
	data = [
		{
			**{column: (row[column] or _("Not set")) for column in by},
			"stage": row["stage"],
			"members": int(row["members"]),
			"share": round(100 * float(row["share"]), 1),
		}
		for row in counts.to_dict("records")
	]
	overall = stage_counts(segmented, stages=stages)
	chart = {
		"data": {
			"labels": [stage_label(s) for s in overall["stage"]],
			"datasets": [{"name": _("Members"), "values": overall["members"].astype(int).tolist()}],
		},
		"type": "bar",
	}
	at_risk = int(at_risk_dates(segmented, as_of)["at_risk"].sum())
	unmatched = int((segmented["stage"] == OTHER).sum())
	summary = [
		{"value": len(segmented), "label": _("Members"), "indicator": "Blue", "datatype": "Int"},
		{"value": at_risk, "label": _("Past Their At-Risk Date"), "indicator": "Red", "datatype": "Int"},
		{"value": unmatched, "label": _("In No Stage (Other)"), "indicator": "Orange", "datatype": "Int"},
	]
	return columns, data, None, chart, summary


def get_columns(by: list[str]) -> list[dict]:
	columns = []
	if "club" in by:
		columns.append(
			{"label": _("Club"), "fieldname": "club", "fieldtype": "Link", "options": "Branch", "width": 180}
		)
	if "department" in by:
		columns.append(
			{"label": _("Department"), "fieldname": "department", "fieldtype": "Data", "width": 180}
		)
	return [
		*columns,
		{
			"label": _("Stage"),
			"fieldname": "stage",
			"fieldtype": "Link",
			"options": "Lifecycle Stage",
			"width": 220,
		},
		{"label": _("Members"), "fieldname": "members", "fieldtype": "Int", "width": 110},
		{"label": _("Share, %"), "fieldname": "share", "fieldtype": "Float", "precision": 1, "width": 110},
	]
