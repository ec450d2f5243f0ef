# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Factories for the customer service tests: complaint categories, complaints (ERPNext Issues), surveys."""

import frappe
from frappe.utils import add_days, nowdate

from churn_management.customer_service.setup import ensure_root_category
from churn_management.tests.retention_utils import RETENTION_TEST_IGNORE
from churn_management.tests.utils import get_company, make_customer, make_subscription, make_user

CUSTOMER_SERVICE_TEST_IGNORE = [
	*RETENTION_TEST_IGNORE,
	"Issue",
	"Complaint Category",
	"Satisfaction Survey",
	"Survey Invitation",
	"Survey Response",
	"Customer Group",
]
SUPPORT = "cs.support@example.com"


def make_category(name: str = "_Test Slow speed", days: int = 3, reason_group: str | None = None) -> str:
	"""A group under the root (with the days and reason group) and a leaf category under it."""
	root = ensure_root_category()
	group = f"{name} group"
	if not frappe.db.exists("Complaint Category", group):
		frappe.get_doc(
			{
				"doctype": "Complaint Category",
				"category_name": group,
				"parent_complaint_category": root,
				"is_group": 1,
				"unresolved_days": days,
				"reason_group": reason_group,
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Complaint Category", name):
		frappe.get_doc(
			{"doctype": "Complaint Category", "category_name": name, "parent_complaint_category": group}
		).insert(ignore_permissions=True)
	return name


def make_complaint(customer: str | None = None, days_ago: int = 5, category: str | None = None, **values):
	"""An ERPNext Issue with a complaint category, opened ``days_ago`` days ago."""
	issue = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": "Internet drops every evening",
			"customer": customer or make_customer(),
			"company": get_company(),
			"complaint_category": category or make_category(),
			"opening_date": add_days(nowdate(), -days_ago),
			**values,
		}
	)
	issue.insert(ignore_permissions=True)
	return issue


def make_rule(trigger: str, name: str | None = None, **values) -> str:
	name = name or f"_Test {trigger}"
	if not frappe.db.exists("Retention Task Rule", name):
		frappe.get_doc(
			{
				"doctype": "Retention Task Rule",
				"rule_name": name,
				"trigger": trigger,
				"task_type": "Prevention",
				"due_days": 2,
				"max_attempts": 3,
				"repeat_after_days": 30,
				**values,
			}
		).insert(ignore_permissions=True)
	return name


def make_survey_customer(company: str | None = None, email: str | None = None, **values) -> str:
	"""A customer with an e-mail and a running monthly subscription in the company."""
	customer = make_customer()
	frappe.db.set_value(
		"Customer",
		customer,
		{"email_id": f"{frappe.generate_hash(length=8)}@example.com" if email is None else email, **values},
	)
	make_subscription(customer, company=company or get_company()) if company else make_subscription(customer)
	return customer


def make_survey(company: str | None = None, **values):
	survey = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey",
			"survey_title": "_Test How are we doing?",
			"company": company or get_company(),
			"validity_days": 14,
			"questions": [
				{"question": "What should we improve?"},
				{"question": "Would you stay another year?"},
			],
			**values,
		}
	)
	survey.insert(ignore_permissions=True)
	return survey


def make_support_user() -> str:
	return make_user(SUPPORT, ["Support Team"])
