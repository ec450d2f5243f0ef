# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Factories for the motivation tests: schemes, and one document per KPI dated where a test needs it."""

import frappe
from frappe.utils import add_months, get_first_day, nowdate

from churn_management.tests.debt_utils import make_advance
from churn_management.tests.retention_utils import (
	HEAD,
	RETENTION_TEST_IGNORE,
	make_churn_record,
	make_retention_users,
	make_task,
)
from churn_management.tests.utils import get_company, make_customer, make_user

MOTIVATION_TEST_IGNORE = [
	*RETENTION_TEST_IGNORE,
	"Debt Case",
	"Employee",
	"Motivation Scheme",
	"Motivation Statement",
	"Role",
]
# fresh employees: other tests leave returns and tasks on the retention managers
EMPLOYEE = "motivation.employee1@example.com"
EMPLOYEE_2 = "motivation.employee2@example.com"
HR = "motivation.hr@example.com"
ACCOUNTS = "motivation.accounts@example.com"
ANALYST = "motivation.analyst@example.com"
SYSTEM_ONLY = "motivation.sysman@example.com"


def make_motivation_users() -> None:
	"""The employees under the scheme, the head, and the roles that read statements or must not."""
	make_retention_users()
	make_user(EMPLOYEE, ["Retention Manager"])
	make_user(EMPLOYEE_2, ["Retention Manager"])
	make_user(HR, ["HR Manager"])
	make_user(ACCOUNTS, ["Accounts Manager"])
	make_user(ANALYST, ["Churn Analyst"])
	make_user(SYSTEM_ONLY, ["System Manager"])
	make_user(HEAD, ["Retention Head"])


def clear_motivation() -> None:
	"""No scheme or statement left by an earlier test of the class (they roll back only at its end)."""
	for doctype in (
		"Motivation Scheme",
		"Motivation Scheme Component",
		"Motivation Statement",
		"Motivation Statement Line",
		"Motivation Statement Source",
	):
		frappe.db.delete(doctype)


def month_start(months_ago: int):
	"""First day of a month before this one (1: last month)."""
	return get_first_day(add_months(nowdate(), -months_ago))


def make_scheme(name: str, role: str = "Retention Manager", components=(), **values):
	"""A scheme; components as (kpi, rate_type, threshold_from, threshold_to, rate) tuples."""
	doc = frappe.get_doc(
		{
			"doctype": "Motivation Scheme",
			"scheme_name": name,
			"role": role,
			"company": values.pop("company", None) or get_company(),
			"valid_from": values.pop("valid_from", month_start(12)),
			"fixed_amount": values.pop("fixed_amount", 30000),
			"components": [
				dict(zip(("kpi", "rate_type", "threshold_from", "threshold_to", "rate"), row, strict=True))
				for row in components
			],
			**values,
		}
	)
	doc.insert()
	return doc


def make_statement(user: str, month, company: str | None = None, submit: bool = False):
	"""A statement of the user for the month (any day of it), computed from the data."""
	doc = frappe.get_doc(
		{
			"doctype": "Motivation Statement",
			"employee_user": user,
			"company": company or get_company(),
			"period_start": month,
		}
	).insert()
	if submit:
		doc.submit()
	return doc


def won_back(user: str, day, company: str | None = None, lost_mrr: float = 990) -> str:
	"""A Churn Record won back by the user on the day."""
	record = make_churn_record(days_ago=90, lost_mrr=lost_mrr, company=company or get_company())
	record.db_set({"status": "Won Back", "won_back_by": user, "won_back_date": day})
	return record.name


def closed_task(user: str, day, task_type: str = "Win-back", outcome: str = "Returned", **values) -> str:
	"""A task of the user closed on the day with the outcome (written as the desk leaves it)."""
	task = make_task(task_type=task_type, **values)
	task.db_set(
		{"assignee": user, "status": "Closed", "outcome": outcome, "closed_on": day, "closed_by": user}
	)
	return task.name


def judged_save(
	source_doctype: str, source_name: str, status: str, day, saved_by: str = "Administrator"
) -> str:
	"""A save in the register, judged Stuck or Lost on the day."""
	doc = frappe.get_doc(
		{
			"doctype": "Retention Save",
			"customer": make_customer(),
			"company": get_company(),
			"saved_on": add_months(day, -2),
			"saved_by": saved_by,
			"source_doctype": source_doctype,
			"source_name": source_name,
			"status": status,
			"judged_on": day,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def collected(user: str, day, amount: float) -> str:
	"""A payment posted on the day by a customer whose Debt Case the user collects."""
	customer = make_customer()
	case = frappe.get_doc(
		{
			"doctype": "Debt Case",
			"customer": customer,
			"company": get_company(),
			"status": "Open",
			"collector": user,
			"opened_on": add_months(day, -1),
		}
	)
	case.db_insert()
	payment = make_advance(customer, amount)
	frappe.db.set_value("Payment Entry", payment, "posting_date", day)
	return payment
