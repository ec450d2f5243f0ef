# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Who sees which Motivation Statement: the employee it pays sees their own and nobody else's; the
Retention Head, the HR Manager and the Accounts Manager see all, within the companies their User
Permissions allow. Nobody else does, a System Manager included: pay is personal."""

import frappe

SEE_ALL_ROLES = {"Retention Head", "HR Manager", "Accounts Manager"}
READ_TYPES = ("read", "print", "email", "export", "report")


def sees_all(user: str) -> bool:
	return user == "Administrator" or bool(SEE_ALL_ROLES & set(frappe.get_roles(user)))


def statement_query(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if sees_all(user):
		return ""
	return f"`tabMotivation Statement`.`employee_user` = {frappe.db.escape(user)}"


def has_statement_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool:
	user = user or frappe.session.user
	if sees_all(user):
		return True
	return ptype in READ_TYPES and not doc.is_new() and doc.employee_user == user
