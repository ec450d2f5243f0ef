# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Factories for the retention tests: managers, the assignment rule, churn records, tasks, pauses."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from churn_management.retention.doctype.retention_task.retention_task_assignment import RULE_NAME
from churn_management.tests.utils import (
	TEST_IGNORE,
	get_company,
	make_customer,
	make_reason,
	make_retention_method,
	make_subscription,
	make_user,
)

# our tests make records with factories; the test runner must not chase test records through links
RETENTION_TEST_IGNORE = [
	*TEST_IGNORE,
	"Assignment Rule",
	"Churn Reason",
	"Churn Record",
	"Resumption Application",
	"Retention Campaign",
	"Retention Method",
	"Retention Save",
	"Retention Task",
	"Retention Task Rule",
	"Sales Invoice",
	"Suspension Application",
	"Termination Application",
]

MANAGER = "retention.manager1@example.com"
MANAGER_2 = "retention.manager2@example.com"
HEAD = "retention.head@example.com"
ANALYST = "retention.analyst@example.com"
DESK = "retention.desk@example.com"
OUTSIDER = "retention.outsider@example.com"


def make_retention_users() -> None:
	make_user(MANAGER, ["Retention Manager"])
	make_user(MANAGER_2, ["Retention Manager"])
	make_user(HEAD, ["Retention Head"])
	make_user(ANALYST, ["Churn Analyst"])
	make_user(DESK, ["Termination Desk"])
	make_user(OUTSIDER, ["Sales User"])
	if not frappe.db.exists("Assignment Rule", RULE_NAME):
		make_assignment_rule([MANAGER, MANAGER_2])


def make_assignment_rule(users: list[str] | None = None) -> str:
	"""The load-balancing rule over the given managers (replacing whatever users it had)."""
	users = users or [MANAGER, MANAGER_2]
	if frappe.db.exists("Assignment Rule", RULE_NAME):
		rule = frappe.get_doc("Assignment Rule", RULE_NAME)
		rule.set("users", [{"user": u} for u in users])
		rule.disabled = 0
		rule.save(ignore_permissions=True)
	else:
		from churn_management.retention.doctype.retention_task.retention_task_assignment import (
			ensure_assignment_rule,
		)

		ensure_assignment_rule()
		return make_assignment_rule(users)
	frappe.db.set_single_value("Retention Settings", "assignment_rule", RULE_NAME)
	frappe.clear_cache(doctype="Retention Settings")
	return RULE_NAME


def set_retention_settings(**values) -> None:
	settings = frappe.get_single("Retention Settings")
	settings.update(values)
	settings.flags.ignore_permissions = True
	settings.save()
	frappe.clear_document_cache("Retention Settings", "Retention Settings")


def make_churn_record(customer: str | None = None, days_ago: int = 5, **values):
	customer = customer or make_customer()
	doc = frappe.get_doc(
		{
			"doctype": "Churn Record",
			"customer": customer,
			"company": get_company(),
			"churn_date": add_days(nowdate(), -days_ago),
			"churn_kind": values.pop("churn_kind", "Voluntary"),
			"churn_reason": values.pop(
				"churn_reason", make_reason("_Test Too expensive", managed=1, target_share=10).name
			),
			"lost_mrr": values.pop("lost_mrr", 990),
			**values,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc


def make_task(save: bool = True, **values):
	"""A task; pass status="Open" to have it handed out by the assignment rule on save."""
	customer = values.pop("customer", None) or make_customer()
	doc = frappe.get_doc(
		{
			"doctype": "Retention Task",
			"task_type": "Win-back",
			"customer": customer,
			"company": get_company(),
			"due_date": nowdate(),
			"monthly_revenue": 990,
			**values,
		}
	)
	if save:
		doc.insert(ignore_permissions=True)
	return doc


def add_attempt(task, result: str = "Agreed", minutes: int = 5, **values):
	task.append(
		"attempts",
		{
			"attempt_on": frappe.utils.now_datetime(),
			"channel": "Phone",
			"result": result,
			"minutes": minutes,
			**values,
		},
	)
	return task


def make_method(name: str = "_Test Two free months") -> str:
	return make_retention_method(name, offer_type="Free Months", cost=1980).name


def make_suspension(
	customer: str | None = None, subscription: str | None = None, save: bool = True, **values
):
	customer = customer or make_customer()
	subscription = subscription or make_subscription(customer)
	doc = frappe.get_doc(
		{
			"doctype": "Suspension Application",
			"customer": customer,
			"company": get_company(),
			"subscription": subscription,
			"from_date": values.pop("from_date", nowdate()),
			"to_date": values.pop("to_date", add_days(nowdate(), 29)),
			"reason": "Going abroad for the summer",
			**values,
		}
	)
	if save:
		doc.insert(ignore_permissions=True)
	return doc


class RetentionTestCase(FrappeTestCase):
	"""A test class with the retention users and rule, back to the Administrator after each test."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_retention_users()

	def tearDown(self):
		frappe.set_user("Administrator")
