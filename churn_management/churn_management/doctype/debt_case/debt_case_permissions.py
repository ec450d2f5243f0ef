# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Row-level access for debt work: a Debt Collector sees only the cases assigned to them, and only the
Sales Invoices of those cases' customers. Anyone with a finance, retention or analyst role sees all."""

import frappe

COLLECTOR_ROLE = "Debt Collector"
UNRESTRICTED_ROLES = {
	"Accounts Manager",
	"Accounts User",
	"Retention Head",
	"Retention Manager",
	"Termination Desk",
	"Churn Analyst",
	"Sales User",
	"Sales Manager",
	"System Manager",
	"Administrator",
}


def is_restricted_collector(user: str | None = None) -> bool:
	"""A user whose only way into debt work is the Debt Collector role."""
	user = user or frappe.session.user
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	return COLLECTOR_ROLE in roles and not roles & UNRESTRICTED_ROLES


def assigned_customers(user: str) -> list[str]:
	"""Customers of the open cases a collector works."""
	case = frappe.qb.DocType("Debt Case")
	rows = (
		frappe.qb.from_(case)
		.select(case.customer)
		.distinct()
		.where((case.status == "Open") & ((case.collector == user) | (case._assign.like(f'%"{user}"%'))))
		.run()
	)
	return [row[0] for row in rows]


def debt_case_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if not is_restricted_collector(user):
		return ""
	escaped = frappe.db.escape(user)
	assign = frappe.db.escape(f'%"{user}"%')
	return f"(`tabDebt Case`.collector = {escaped} or `tabDebt Case`._assign like {assign})"


def has_debt_case_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	user = user or frappe.session.user
	if not is_restricted_collector(user):
		return None
	assigned = frappe.parse_json(doc.get("_assign") or "[]") or []
	return doc.get("collector") == user or user in assigned


def sales_invoice_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if not is_restricted_collector(user):
		return ""
	customers = assigned_customers(user)
	if not customers:
		return "1=0"
	return "`tabSales Invoice`.customer in ({})".format(", ".join(frappe.db.escape(c) for c in customers))


def has_sales_invoice_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	user = user or frappe.session.user
	if not is_restricted_collector(user):
		return None
	return doc.get("customer") in assigned_customers(user)
