# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Factories for annual contracts and bonus cards: real ERPNext subscriptions, invoices and loyalty programs."""

from unittest.mock import patch

import frappe
from frappe.permissions import add_user_permission
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, getdate, nowdate

from churn_management.tests.retention_utils import RETENTION_TEST_IGNORE
from churn_management.tests.utils import (
	ensure_fiscal_year,
	get_company,
	make_customer,
	make_subscription,
	make_user,
)

CONTRACT_TEST_IGNORE = [
	*RETENTION_TEST_IGNORE,
	"Annual Contract",
	"Bonus Card",
	"Bonus Card Type",
	"Loyalty Program",
]
IN_ADVANCE = "Beginning of the current subscription period"
DESK = "contracts.desk@example.com"
HEAD = "contracts.head@example.com"
MANAGER = "contracts.manager@example.com"
ACCOUNTS = "contracts.accounts@example.com"
ACCOUNTS_MANAGER = "contracts.accounts.manager@example.com"
OUTSIDER = "contracts.outsider@example.com"
CARD_TYPE = "_Test Gold Card"
PLAIN_CARD_TYPE = "_Test Partner Card"


def make_contract_users() -> None:
	make_user(DESK, ["Termination Desk"])
	make_user(HEAD, ["Retention Head"])
	make_user(MANAGER, ["Retention Manager"])
	make_user(ACCOUNTS, ["Accounts User"])
	make_user(ACCOUNTS_MANAGER, ["Accounts Manager"])
	make_user(OUTSIDER, ["Sales User"])


class ContractTestCase(FrappeTestCase):
	"""Tests of contracts and cards: their users exist, and each test runs as the given role's user."""

	user = DESK

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_contract_users()

	def setUp(self):
		frappe.set_user(self.user)

	def tearDown(self):
		frappe.set_user("Administrator")


def limit_to_company(case, user: str, company: str) -> None:
	"""A User Permission on Company, as the administrator sets it; removed after the test."""
	add_user_permission("Company", company, user, ignore_permissions=True)
	name = frappe.db.get_value("User Permission", {"user": user, "allow": "Company", "for_value": company})
	case.addCleanup(frappe.delete_doc, "User Permission", name, ignore_permissions=True, force=True)


def on_day(day):
	"""ERPNext's daily subscription processing as it runs on the given day."""
	return patch("erpnext.accounts.doctype.subscription.subscription.nowdate", return_value=str(getdate(day)))


def make_contract_subscription(
	customer: str | None = None, monthly_cost: float = 1000, days_ago: int = 0, company: str | None = None
) -> str:
	"""A monthly subscription billed in advance, started ``days_ago`` days ago and never billed yet."""
	customer = customer or make_customer()
	values = {"generate_invoice_at": IN_ADVANCE, "days_until_due": 30}
	if company:
		values["company"] = company
	return make_subscription(customer, monthly_cost, days_ago, **values).name


def make_contract(submit: bool = True, discount: float = 10, **values):
	"""An annual contract starting where its subscription's billing stands."""
	subscription = values.pop("subscription", None) or make_contract_subscription(
		values.get("customer"), days_ago=values.pop("days_ago", 0), company=values.get("company")
	)
	sub = frappe.db.get_value(
		"Subscription", subscription, ["party", "company", "current_invoice_start"], as_dict=True
	)
	start = values.pop("start_date", None) or sub.current_invoice_start
	ensure_fiscal_year(nowdate(), sub.company)
	doc = frappe.get_doc(
		{
			"doctype": "Annual Contract",
			"customer": sub.party,
			"company": sub.company,
			"subscription": subscription,
			"start_date": start,
			"discount_percentage": discount,
			**values,
		}
	)
	doc.insert()
	if submit:
		doc.submit()
	return doc


def make_card_type(name: str = CARD_TYPE, has_points: int = 1, **values):
	if frappe.db.exists("Bonus Card Type", name):
		return frappe.get_doc("Bonus Card Type", name)
	return frappe.get_doc(
		{
			"doctype": "Bonus Card Type",
			"type_name": name,
			"company": get_company(),
			"validity_months": 12,
			"discount_percentage": 5,
			"benefits": "Free engineer visit",
			"has_points": has_points,
			"collection_factor": 100,
			"conversion_factor": 1,
			"expiry_days": 365,
			**values,
		}
	).insert(ignore_permissions=True)


def make_card(customer: str | None = None, card_type: str | None = None, **values):
	return frappe.get_doc(
		{
			"doctype": "Bonus Card",
			"customer": customer or make_customer(),
			"card_type": card_type or make_card_type().name,
			"issued_on": nowdate(),
			**values,
		}
	).insert()


def months_of_term(start) -> list:
	"""The first day of each month of a term that starts on ``start``: ERPNext's monthly billing days."""
	return [add_months(getdate(start), month) for month in range(12)]


def last_day_of_term(start):
	return add_days(add_months(getdate(start), 12), -1)
