# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Row-level access for debt work: a Debt Collector sees only the cases assigned to them, and only the
Customers, Sales Invoices and Dunnings of those cases. Anyone with a finance, retention or analyst role
sees all, and so does a collector whose other role reads the DocType anyway (a Club Manager reads every
Customer)."""

import frappe
from frappe.core.doctype.user_permission.user_permission import get_user_permissions
from frappe.permissions import get_allowed_docs_for_doctype, get_valid_perms

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


def is_restricted_collector(user: str | None = None, doctype: str | None = None) -> bool:
	"""A user whose only way into debt work (into the DocType, when given) is the Debt Collector role."""
	user = user or frappe.session.user
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	if COLLECTOR_ROLE not in roles or roles & UNRESTRICTED_ROLES:
		return False
	return not doctype or not reads_through_other_roles(doctype, user)


def reads_through_other_roles(doctype: str, user: str) -> bool:
	"""Another of the user's roles reads the DocType, so the collector's limits do not narrow it."""
	return any(perm.read and perm.role != COLLECTOR_ROLE for perm in get_valid_perms(doctype, user))


def may_work_company(user: str, company: str) -> bool:
	"""No User Permission on Company limits the user's debt cases, or one lets them into this company."""
	permitted = get_user_permissions(user).get("Company", [])
	allowed = get_allowed_docs_for_doctype(permitted, "Debt Case")
	return not allowed or company in allowed


def own_cases(user: str, company: str | None = None):
	"""The open cases a collector works (in the company, when given), as a query."""
	case = frappe.qb.DocType("Debt Case")
	query = frappe.qb.from_(case).where(
		(case.status == "Open") & ((case.collector == user) | (case._assign.like(f'%"{user}"%')))
	)
	return query.where(case.company == company) if company else query


def assigned_customers(user: str, company: str | None = None) -> list[str]:
	"""Customers of the open cases a collector works (in the company, when given)."""
	case = frappe.qb.DocType("Debt Case")
	return [row[0] for row in own_cases(user, company).select(case.customer).distinct().run()]


def own_cases_condition(user: str, customer_column: str, company_column: str | None = None) -> str:
	"""SQL condition: the row's customer (and company) has an open case of the collector."""
	escaped = frappe.db.escape(user)
	assign = frappe.db.escape(f'%"{user}"%')
	same_company = f" and own_case.company = {company_column}" if company_column else ""
	return (
		"exists (select 1 from `tabDebt Case` own_case"
		f" where own_case.customer = {customer_column}{same_company} and own_case.status = 'Open'"
		f" and (own_case.collector = {escaped} or own_case._assign like {assign}))"
	)


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
	if not is_restricted_collector(user, "Sales Invoice"):
		return ""
	customers = assigned_customers(user)
	if not customers:
		return "1=0"
	return "`tabSales Invoice`.customer in ({})".format(", ".join(frappe.db.escape(c) for c in customers))


def has_sales_invoice_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	user = user or frappe.session.user
	if not is_restricted_collector(user, "Sales Invoice"):
		return None
	return doc.get("customer") in assigned_customers(user)


def customer_query(user: str | None = None) -> str:
	"""A collector reads the Customer cards of their debtors, no others."""
	user = user or frappe.session.user
	if not is_restricted_collector(user, "Customer"):
		return ""
	return own_cases_condition(user, "`tabCustomer`.name")


def has_customer_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	user = user or frappe.session.user
	if not is_restricted_collector(user, "Customer"):
		return None
	return doc.get("name") in assigned_customers(user)


def dunning_query(user: str | None = None) -> str:
	"""A collector reads the Dunnings of their cases: their debtors' letters in the case's company."""
	user = user or frappe.session.user
	if not is_restricted_collector(user, "Dunning"):
		return ""
	return own_cases_condition(user, "`tabDunning`.customer", "`tabDunning`.company")


def has_dunning_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	user = user or frappe.session.user
	if not is_restricted_collector(user, "Dunning"):
		return None
	return doc.get("customer") in assigned_customers(user, doc.get("company"))
