# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Setting up the retention desk on a site: settings, the Assignment Rule, the Kanban board."""

import frappe
from frappe.permissions import add_permission, update_permission_property

from churn_management.retention.doctype.retention_task.retention_task_assignment import (
	ensure_assignment_rule,
)

KANBAN_BOARD = "Retention Tasks"


def setup_retention() -> None:
	set_retention_defaults()
	ensure_assignment_rule()
	ensure_kanban_board()
	grant_assignment_rule_access()


def set_retention_defaults() -> None:
	"""Fill the settings' defaults once (a single DocType stores nothing until saved)."""
	if frappe.db.get_single_value("Retention Settings", "minutes_per_day"):
		return
	settings = frappe.get_single("Retention Settings")
	for df in settings.meta.fields:
		if df.default and not settings.get(df.fieldname):
			settings.set(df.fieldname, df.default)
	settings.flags.ignore_permissions = True
	settings.save()


def ensure_kanban_board() -> None:
	"""Tasks by status, for the retention managers."""
	if frappe.db.exists("Kanban Board", KANBAN_BOARD):
		return
	board = frappe.get_doc(
		{
			"doctype": "Kanban Board",
			"kanban_board_name": KANBAN_BOARD,
			"reference_doctype": "Retention Task",
			"field_name": "status",
			"private": 0,
			"show_labels": 1,
			"columns": [
				{"column_name": status, "status": "Active", "indicator": color}
				for status, color in (
					("Waiting", "Gray"),
					("Open", "Blue"),
					("In Progress", "Orange"),
					("Closed", "Green"),
				)
			],
		}
	)
	board.insert(ignore_permissions=True)


def grant_assignment_rule_access() -> None:
	"""The Retention Head edits who is in the retention Assignment Rule."""
	role = "Retention Head"
	if not frappe.db.exists("Role", role):
		return
	if frappe.db.exists("Custom DocPerm", {"parent": "Assignment Rule", "role": role, "permlevel": 0}):
		return
	add_permission("Assignment Rule", role, 0)
	update_permission_property("Assignment Rule", role, 0, "write", 1, validate=False)
