# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Small factories for the bench tests: real ERPNext customers, invoices and users."""

import frappe
from frappe.utils import add_days, getdate, nowdate

from churn_management.churn_management.doctype.churn_record.churn_record_utils import active_subscriptions
from churn_management.churn_management.doctype.churn_settings.classifier_preset import ensure_root_reason

TEST_ITEM = "_Test Churn Service"

# ERPNext and Frappe DocTypes our DocTypes link to: our tests make their records with the factories
# below, so the test runner must not chase their test-record dependencies (it would reach
# DocTypes of apps that are not installed, such as Payment Gateway).
TEST_IGNORE = [
	"Company",
	"Competitor",
	"Currency",
	"Customer",
	"DocType",
	"Item",
	"Sales Invoice",
	"Serial No",
	"Subscription",
	"Subscription Plan",
	"Branch",
	"Department",
	"Payment Gateway",
	"Payment Gateway Account",
	"Journal Entry",
	"Payment Entry",
	"Dunning",
	"Dunning Type",
	"Sales Person",
	"Territory",
	"User",
]


def get_company() -> str:
	company = frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {}, "name")
	if not company:
		raise RuntimeError(
			"the test site has no Company: run the tests with bench run-tests (before_tests sets one up)"
		)
	return company


def make_customer(name: str | None = None, customer_type: str = "Individual") -> str:
	name = name or f"_Test Churn Customer {frappe.generate_hash(length=8)}"
	if frappe.db.exists("Customer", name):
		return name
	doc = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": name,
			"customer_type": customer_type,
			"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
			"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"),
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def make_reason_group(name: str, managed: int = 1):
	if frappe.db.exists("Churn Reason", name):
		return frappe.get_doc("Churn Reason", name)
	root = ensure_root_reason()
	doc = frappe.get_doc(
		{
			"doctype": "Churn Reason",
			"reason_name": name,
			"is_group": 1,
			"managed": managed,
			"parent_churn_reason": root,
		}
	)
	return doc.insert(ignore_permissions=True)


def make_reason(name: str, group: str | None = None, **values):
	if frappe.db.exists("Churn Reason", name):
		return frappe.get_doc("Churn Reason", name)
	group = group or make_reason_group("_Test Group General").name
	doc = frappe.get_doc(
		{
			"doctype": "Churn Reason",
			"reason_name": name,
			"is_group": 0,
			"parent_churn_reason": group,
			**values,
		}
	)
	return doc.insert(ignore_permissions=True)


def make_retention_method(name: str, offer_type: str = "Discount", cost: float = 500):
	if frappe.db.exists("Retention Method", name):
		return frappe.get_doc("Retention Method", name)
	doc = frappe.get_doc(
		{
			"doctype": "Retention Method",
			"method_name": name,
			"offer_type": offer_type,
			"cost": cost,
			"planned_conversion": 20,
		}
	)
	return doc.insert(ignore_permissions=True)


def make_competitor(name: str = "_Test Rival Security") -> str:
	if not frappe.db.exists("Competitor", name):
		frappe.get_doc({"doctype": "Competitor", "competitor_name": name}).insert(ignore_permissions=True)
	return name


def make_termination_application(save: bool = True, **values):
	"""A draft application with sensible defaults; any field can be given."""
	reason = (
		values.pop("churn_reason", None)
		or make_reason("_Test Too expensive", managed=1, target_share=10).name
	)
	customer = values.pop("customer", None) or make_customer()
	if "subscription" in values:
		values["subscriptions"] = [{"subscription": values.pop("subscription"), "end_subscription": 1}]
	elif "subscriptions" not in values:
		values["subscriptions"] = [
			{
				"subscription": s["subscription"],
				"monthly_revenue": s["monthly_revenue"],
				"end_subscription": 1,
			}
			for s in active_subscriptions(customer, get_company())
		]
	doc = frappe.get_doc(
		{
			"doctype": "Termination Application",
			"customer": customer,
			"company": get_company(),
			"application_date": nowdate(),
			"effective_date": nowdate(),
			"channel": "Office",
			"customer_words": "Your price went up again and the neighbours pay less.",
			"churn_reason": reason,
			**values,
		}
	)
	if save:
		doc.insert()
	return doc


def ensure_fiscal_year(date, company: str) -> None:
	from erpnext.accounts.utils import FiscalYearError, get_fiscal_year

	try:
		get_fiscal_year(date, company=company)
	except FiscalYearError:
		year = getdate(date).year
		if not frappe.db.exists("Fiscal Year", f"{year} Churn Test"):
			frappe.get_doc(
				{
					"doctype": "Fiscal Year",
					"year": f"{year} Churn Test",
					"year_start_date": f"{year}-01-01",
					"year_end_date": f"{year}-12-31",
					"companies": [{"company": company}],
				}
			).insert(ignore_permissions=True)
		frappe.cache.delete_value("fiscal_years")  # ERPNext caches the years it knows, per company


def make_item() -> str:
	if not frappe.db.exists("Item", TEST_ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": TEST_ITEM,
				"item_name": TEST_ITEM,
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return TEST_ITEM


def make_sales_invoice(
	customer: str, days_past_due: int, amount: float = 1000, paid: bool = False, company: str | None = None
) -> str:
	"""A submitted invoice whose due date lies the given number of days before today."""
	company = company or get_company()
	due = add_days(nowdate(), -days_past_due)
	ensure_fiscal_year(due, company)
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": company,
			"set_posting_time": 1,
			"posting_date": due,
			"due_date": due,
			"items": [{"item_code": make_item(), "qty": 1, "rate": amount}],
		}
	)
	invoice.insert(ignore_permissions=True)
	invoice.submit()
	if paid:
		pay_invoice(invoice.name)
	return invoice.name


def make_debtor(days_past_due: int, amount: float = 1000, email: bool = True) -> tuple[str, str]:
	"""A customer (with an e-mail address) owing one invoice due the given number of days ago."""
	customer = make_customer()
	if email:
		frappe.db.set_value("Customer", customer, "email_id", f"{frappe.scrub(customer)}@example.com")
	return customer, make_sales_invoice(customer, days_past_due, amount)


def pay_invoice(invoice: str, on: str | None = None, reference: str = "TEST") -> None:
	"""Pay the invoice in full with a submitted Payment Entry, today or on the given date."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	entry = get_payment_entry("Sales Invoice", invoice)
	if on:
		ensure_fiscal_year(on, get_company())
		entry.posting_date = on
	entry.reference_no = reference
	entry.reference_date = on or nowdate()
	entry.insert(ignore_permissions=True)
	entry.submit()


def make_user(email: str, roles: list[str]) -> str:
	"""A user holding exactly these roles (a test of a role's rights gives one)."""
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		)
		user.insert(ignore_permissions=True)
	# no notification mail: sending it (an assignment's, say) commits, and tests leave nothing behind
	if frappe.db.exists("Notification Settings", email):
		frappe.db.set_value("Notification Settings", email, "enable_email_notifications", 0)
	user = frappe.get_doc("User", email)
	user.flags.ignore_permissions = True
	user.set("roles", [])
	user.add_roles(*roles)
	return email


def make_subscription_plan(cost: float = 990, interval: str = "Month") -> str:
	"""A fixed-rate plan billed every month (or year) at the given cost."""
	plan = (
		f"_Test Churn {interval}ly {int(cost)}" if interval != "Month" else f"_Test Churn Monthly {int(cost)}"
	)
	if not frappe.db.exists("Subscription Plan", plan):
		frappe.get_doc(
			{
				"doctype": "Subscription Plan",
				"plan_name": plan,
				"item": make_item(),
				"price_determination": "Fixed Rate",
				"cost": cost,
				"billing_interval": interval,
				"billing_interval_count": 1,
				"currency": frappe.db.get_value("Company", get_company(), "default_currency"),
			}
		).insert(ignore_permissions=True)
	return plan


def make_subscription(
	customer: str,
	monthly_cost: float = 990,
	days_ago: int = 40,
	end_date: str | None = None,
	interval: str = "Month",
	**values,
):
	"""An ERPNext Subscription on a monthly (or yearly) plan, started ``days_ago`` days ago.

	Returns its name; given more Subscription fields (``values``), returns the document."""
	subscription = frappe.get_doc(
		{
			"doctype": "Subscription",
			"party_type": "Customer",
			"party": customer,
			"company": get_company(),
			"start_date": add_days(nowdate(), -days_ago),
			"end_date": end_date,
			"plans": [{"plan": make_subscription_plan(monthly_cost, interval), "qty": 1}],
			**values,
		}
	)
	subscription.insert(ignore_permissions=True)
	return subscription if values else subscription.name


def mark_disputed(invoice: str) -> None:
	"""Tick "disputed" on a submitted Sales Invoice as the desk does (a field allowed on submit)."""
	doc = frappe.get_doc("Sales Invoice", invoice)
	doc.churn_disputed = 1
	doc.save()


def make_company(name: str, abbr: str) -> str:
	"""A second company (with ERPNext's default chart of accounts) for tests that must not mix them."""
	if not frappe.db.exists("Company", name):
		base = frappe.get_doc("Company", get_company())
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": name,
				"abbr": abbr,
				"default_currency": base.default_currency,
				"country": base.country,
				"chart_of_accounts": base.chart_of_accounts or "Standard",
			}
		).insert(ignore_permissions=True)
	return name


def make_advance(customer: str, amount: float, company: str | None = None) -> str:
	"""A submitted Payment Entry received from the customer and allocated to nothing."""
	from erpnext.accounts.party import get_party_account

	company = company or get_company()
	ensure_fiscal_year(nowdate(), company)
	paid_to = frappe.db.get_value("Company", company, "default_cash_account") or frappe.db.get_value(
		"Account", {"company": company, "account_type": "Cash", "is_group": 0}, "name"
	)
	entry = frappe.get_doc(
		{
			"doctype": "Payment Entry",
			"payment_type": "Receive",
			"party_type": "Customer",
			"party": customer,
			"company": company,
			"posting_date": nowdate(),
			"paid_from": get_party_account("Customer", customer, company),
			"paid_to": paid_to,
			"paid_amount": amount,
			"received_amount": amount,
			"source_exchange_rate": 1,
			"target_exchange_rate": 1,
			"reference_no": "ADVANCE",
			"reference_date": nowdate(),
		}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()
	return entry.name


CHURN_DESK = "churn.desk@example.com"
CHURN_MANAGER = "churn.manager@example.com"
CHURN_ANALYST = "churn.analyst@example.com"
CHURN_HEAD = "churn.head@example.com"
CHURN_OUTSIDER = "churn.outsider@example.com"


def make_churn_users() -> None:
	"""The users of the churn core's tests, each with one role."""
	for email, role in (
		(CHURN_DESK, "Termination Desk"),
		(CHURN_MANAGER, "Retention Manager"),
		(CHURN_ANALYST, "Churn Analyst"),
		(CHURN_HEAD, "Retention Head"),
		(CHURN_OUTSIDER, "Sales User"),
	):
		make_user(email, [role])
