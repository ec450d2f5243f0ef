# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Who sees which retention task.

A Retention Manager sees and changes only the tasks assigned to them; the Retention Head, the Churn
Analyst and the System Manager see all (their DocPerms decide what they may change); the
Termination Desk sees, read-only, the tasks of the customers whose termination application is open
in front of them.
"""

import json

import frappe

SEE_ALL_ROLES = ("Retention Head", "Churn Analyst", "System Manager")


def _scope(user: str) -> tuple[bool, bool, bool]:
	"""(sees all, sees assigned, sees the desk's customers) for a user."""
	roles = set(frappe.get_roles(user))
	if user == "Administrator" or roles & set(SEE_ALL_ROLES):
		return True, False, False
	return False, "Retention Manager" in roles, "Termination Desk" in roles


def desk_customers(user: str) -> list[str]:
	"""Customers whose open termination application this user is handling."""
	application = frappe.qb.DocType("Termination Application")
	rows = (
		frappe.qb.from_(application)
		.select(application.customer)
		.distinct()
		.where(
			(application.docstatus == 0) & ((application.handled_by == user) | (application.owner == user))
		)
		.run()
	)
	return [row[0] for row in rows]


def get_permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	sees_all, sees_assigned, sees_desk = _scope(user)
	if sees_all:
		return ""
	conditions = []
	if sees_assigned:
		pattern = frappe.db.escape(f'%"{user}"%')
		conditions.append(
			f"(`tabRetention Task`.`_assign` like {pattern} or `tabRetention Task`.`assignee` = {frappe.db.escape(user)})"
		)
	if sees_desk:
		customers = desk_customers(user)
		if customers:
			listed = ", ".join(frappe.db.escape(c) for c in customers)
			conditions.append(f"`tabRetention Task`.`customer` in ({listed})")
	return "(" + " or ".join(conditions) + ")" if conditions else "1=0"


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False) -> bool:
	user = user or frappe.session.user
	sees_all, sees_assigned, sees_desk = _scope(user)
	if sees_all:
		return True
	if ptype == "create" or doc.is_new():
		return sees_assigned
	if sees_assigned and (doc.assignee == user or user in json.loads(doc.get("_assign") or "[]")):
		return True
	if sees_desk and ptype in ("read", "print", "email", "export", "report"):
		return doc.customer in desk_customers(user)
	return False
