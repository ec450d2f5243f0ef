# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Factories for the customer application tests: settings, territories, users, billed subscriptions."""

import frappe
from frappe.permissions import add_user_permission
from frappe.utils import add_days, nowdate

from churn_management.tests.utils import (
	TEST_IGNORE,
	ensure_fiscal_year,
	get_company,
	make_company,
	make_customer,
	make_item,
	make_subscription,
	make_user,
)

# what our application tests make with the factories: the runner must not chase their test records
APPLICATION_TEST_IGNORE = [
	*TEST_IGNORE,
	"Address",
	"Churn Reason",
	"Concession Application",
	"Country",
	"Customer Service Settings",
	"Recalculation Application",
	"Relocation Application",
	"Retention Task Rule",
	"Service Outage",
	"Tariff Change Application",
	"Termination Application",
]

DESK = "_test_cs_desk@example.com"
HEAD = "_test_cs_head@example.com"
ACCOUNTS = "_test_cs_accounts@example.com"
COLLECTOR = "_test_cs_collector@example.com"
SECOND_COMPANY = ("_Test Churn Second Company", "_TCS")
COVERED = "_Test Covered City"
COVERED_DISTRICT = "_Test Covered District"
FAR_AWAY = "_Test Far Away Town"
FEE_ITEM = "_Test Transfer Fee"


def make_cs_users() -> None:
	make_user(DESK, ["Termination Desk"])
	make_user(HEAD, ["Retention Head"])
	make_user(ACCOUNTS, ["Accounts User"])
	make_user(COLLECTOR, ["Debt Collector"])


def make_territory(name: str, parent: str | None = None) -> str:
	if not frappe.db.exists("Territory", name):
		frappe.get_doc(
			{
				"doctype": "Territory",
				"territory_name": name,
				"parent_territory": parent or "All Territories",
				"is_group": 1 if parent is None else 0,
			}
		).insert(ignore_permissions=True)
	return name


def make_fee_item() -> str:
	if not frappe.db.exists("Item", FEE_ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": FEE_ITEM,
				"item_name": FEE_ITEM,
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return FEE_ITEM


def set_cs_settings(**values) -> None:
	"""The coverage area (a city and a district under it) and the limits, with any value given."""
	make_territory(COVERED)
	make_territory(COVERED_DISTRICT, COVERED)
	make_territory(FAR_AWAY)
	settings = frappe.get_single("Customer Service Settings")
	settings.set("coverage_territories", [{"territory": COVERED}])
	settings.update(
		{
			"max_concession_months": 6,
			"downgrade_pre_churn_days": 30,
			"relocation_fee_item": make_fee_item(),
			"relocation_fee_amount": 0,
			"out_of_coverage_reason": None,
			**values,
		}
	)
	settings.flags.ignore_permissions = True
	settings.save()
	frappe.clear_document_cache("Customer Service Settings", "Customer Service Settings")


def make_billed_subscription(customer: str | None = None, monthly_cost: float = 900, days_ago: int = 10):
	"""A monthly subscription started days_ago, and the invoice ERPNext makes for its current period."""
	customer = customer or make_customer()
	subscription = make_subscription(
		customer,
		monthly_cost,
		days_ago=days_ago,
		generate_invoice_at="Beginning of the current subscription period",
	)
	ensure_fiscal_year(subscription.current_invoice_start, get_company())
	invoice = subscription.create_invoice()
	return subscription, invoice


def make_plain_invoice(customer: str, amount: float, company: str | None = None) -> str:
	"""A submitted invoice dated today, with no subscription."""
	company = company or get_company()
	ensure_fiscal_year(nowdate(), company)
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": company,
			"posting_date": nowdate(),
			"due_date": add_days(nowdate(), 10),
			"items": [{"item_code": make_item(), "qty": 1, "rate": amount}],
		}
	)
	invoice.insert(ignore_permissions=True)
	invoice.submit()
	return invoice.name


def make_proof() -> str:
	"""A File to attach as the proof of a benefit."""
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "pension_certificate.txt",
			"content": b"certificate",
			"is_private": 1,
		}
	)
	file.insert(ignore_permissions=True)
	return file.file_url


def limit_to_company(test, user: str, company: str) -> None:
	"""A User Permission on Company, as the administrator sets it; removed after the test."""
	add_user_permission("Company", company, user, ignore_permissions=True)
	name = frappe.db.get_value("User Permission", {"user": user, "allow": "Company", "for_value": company})
	test.addCleanup(frappe.delete_doc, "User Permission", name, ignore_permissions=True, force=True)


def second_company() -> str:
	return make_company(*SECOND_COMPANY)


def assert_role_matrix(test, doc, ptypes: tuple[str, ...], matrix: dict[str, tuple[int, ...]]) -> None:
	"""What each user may do with the document (create: with its DocType), as the matrix says."""
	for user, expected in matrix.items():
		actual = tuple(
			int(
				bool(frappe.has_permission(doc.doctype, ptype, None if ptype == "create" else doc, user=user))
			)
			for ptype in ptypes
		)
		test.assertEqual(actual, expected, f"{user}: {ptypes}")


def assert_hidden_from_other_company(test, doc, user: str = ACCOUNTS) -> None:
	"""A user limited to the second company neither opens nor lists the document."""
	limit_to_company(test, user, second_company())
	frappe.set_user(user)
	test.assertFalse(frappe.has_permission(doc.doctype, "read", doc))
	test.assertNotIn(doc.name, frappe.get_list(doc.doctype, pluck="name"))
