# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Data of the role workspaces' charts whose bars are stages: in the stages' order, in the user's words.

Frappe's own Group By chart orders bars by their size and shows a stage by its record name; these
sources keep the order of the stages (the age of a debt, the lifecycle) and name each stage in the
user's language. Both read through frappe.get_list, so each user counts only what they may see.
"""

import frappe
from frappe import _
from frappe.utils.dashboard import cache_source

from churn_management.clubs.doctype.lifecycle_stage.lifecycle_stage import stage_label


@frappe.whitelist()
@cache_source
def members_by_stage(chart_name: str | None = None, filters: str | None = None, **kwargs) -> dict:
	"""Active memberships per lifecycle stage."""
	rows = frappe.get_list(
		"Club Membership",
		fields=["lifecycle_stage as stage", "count(name) as value"],
		filters={"status": "Active", "lifecycle_stage": ("is", "set")},
		group_by="lifecycle_stage",
	)
	order = stage_positions("Lifecycle Stage", "stage_order")
	return bar_chart(rows, order, stage_label, _("Members", context="Club Membership"))


@frappe.whitelist()
@cache_source
def debt_by_age(chart_name: str | None = None, filters: str | None = None, **kwargs) -> dict:
	"""What the open debt cases are owed, per debt stage (the stages are the debt's age bands)."""
	rows = frappe.get_list(
		"Debt Case",
		fields=["stage", "sum(outstanding) as value"],
		filters={"status": ("!=", "Closed"), "stage": ("is", "set")},
		group_by="stage",
	)
	order = stage_positions("Debt Stage", "from_day")
	return bar_chart(rows, order, debt_stage_label, _("Outstanding", context="Debt Case"))


def debt_stage_label(stage: str) -> str:
	return _(stage, context="Debt Stage")


def stage_positions(doctype: str, order_field: str) -> dict[str, int]:
	"""Each stage's place in its sequence."""
	return {
		row.name: row.position or 0
		for row in frappe.get_all(doctype, fields=["name", f"{order_field} as position"])
	}


def bar_chart(rows: list[dict], order: dict[str, int], label, dataset: str) -> dict:
	"""Bars in the stages' order, each named in the user's words."""
	rows = sorted(rows, key=lambda row: (order.get(row.stage, 0), row.stage))
	return {
		"labels": [label(row.stage) for row in rows],
		"datasets": [{"name": dataset, "values": [row.value for row in rows]}],
	}
