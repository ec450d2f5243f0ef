# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Retention tasks are handed out by Frappe's own Assignment Rule (load balancing over the retention
managers); these hooks on ToDo refuse an assignee without a retention role and keep the task's
`assignee` in step with its open ToDo.
"""

import frappe
from frappe import _
from frappe.desk.form import assign_to

from churn_management.retention.doctype.retention_settings.retention_settings import (
	RETENTION_ROLES,
	validate_retention_user,
)
from churn_management.utils.roles import enabled_users_with_role

RULE_NAME = "Retention Tasks"


def validate_todo(doc, method=None) -> None:
	"""ToDo validate hook: only retention staff are given retention tasks."""
	if doc.reference_type == "Retention Task" and doc.status == "Open":
		validate_retention_user(doc.allocated_to)


def sync_assignee(doc, method=None) -> None:
	"""ToDo on_update hook: the task shows who has it now."""
	if doc.reference_type != "Retention Task" or not doc.reference_name:
		return
	if doc.status == "Open":
		assignee = doc.allocated_to
	else:
		assignee = frappe.db.get_value(
			"ToDo",
			{"reference_type": "Retention Task", "reference_name": doc.reference_name, "status": "Open"},
			"allocated_to",
		)
		if not assignee and doc.status == "Closed":
			return  # a closed task keeps the name of who worked it
	frappe.db.set_value("Retention Task", doc.reference_name, "assignee", assignee, update_modified=False)


def retention_managers() -> list[str]:
	"""Enabled users holding the Retention Manager role."""
	return enabled_users_with_role("Retention Manager")


def ensure_assignment_rule() -> str | None:
	"""Create the load-balancing Assignment Rule for retention tasks once; the head edits its users."""
	if frappe.db.exists("Assignment Rule", RULE_NAME):
		return RULE_NAME
	users = retention_managers()
	if not users:
		return None
	rule = frappe.get_doc(
		{
			"doctype": "Assignment Rule",
			"name": RULE_NAME,
			"document_type": "Retention Task",
			"description": _("Retention task {{ customer_name }}: {{ task_type }}"),
			"priority": 1,
			"rule": "Load Balancing",
			"assign_condition": 'status == "Open"',
			"close_condition": 'status == "Closed"',
			"due_date_based_on": "due_date",
			"users": [{"user": u} for u in users],
			"assignment_days": [
				{"day": day}
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
			],
		}
	)
	rule.insert(ignore_permissions=True)
	frappe.db.set_single_value("Retention Settings", "assignment_rule", rule.name)
	return rule.name


def rule_users(rule: str | None = None) -> list[str]:
	"""The users of the retention Assignment Rule that still hold a retention role."""
	rule = rule or RULE_NAME
	if not frappe.db.exists("Assignment Rule", rule):
		return []
	users = frappe.get_all("Assignment Rule User", filters={"parent": rule}, pluck="user", order_by="idx")
	return [u for u in users if set(frappe.get_roles(u)) & set(RETENTION_ROLES)]


def assign_task(doc, user: str, rule: str) -> None:
	"""Put the task on the chosen manager's ToDo as the Assignment Rule would (its text, its due date)."""
	description = frappe.db.get_value("Assignment Rule", rule, "description")
	assign_to.add(
		{
			"assign_to": [user],
			"doctype": doc.doctype,
			"name": doc.name,
			"description": frappe.render_template(description, doc.as_dict()) if description else None,
			"assignment_rule": rule,
			"notify": True,
			"date": doc.due_date,
		},
		ignore_permissions=True,
	)
