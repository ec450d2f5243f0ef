# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Factories for the management tests: a small company with a year of history, costs and saves.

Dates are relative to the first day of the current month (``month_start(k)`` is k months back), so
the hand-computed figures hold whatever day the tests run."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, date_diff, get_first_day, getdate, nowdate

from churn_management.tests.retention_utils import RETENTION_TEST_IGNORE, make_churn_record, make_task
from churn_management.tests.utils import (
	make_company,
	make_customer,
	make_reason,
	make_retention_method,
	make_sales_invoice,
	make_user,
)

MANAGEMENT_TEST_IGNORE = [
	*RETENTION_TEST_IGNORE,
	"Department Cost",
	"Retention Plan",
	"Account",
	"Cost Center",
]
PLAN_COMPANY = "_Test Plan Company"
OTHER_COMPANY = "_Test Plan Other Company"
HEAD = "plan.head@example.com"
ANALYST = "plan.analyst@example.com"
MANAGER = "plan.manager@example.com"
ACCOUNTANT = "plan.accountant@example.com"
OUTSIDER = "plan.outsider@example.com"


def make_management_users() -> None:
	make_user(HEAD, ["Retention Head"])
	make_user(ANALYST, ["Churn Analyst"])
	make_user(MANAGER, ["Retention Manager"])
	make_user(ACCOUNTANT, ["Accounts User"])
	make_user(OUTSIDER, ["Sales User"])


def month_start(months_back: int):
	"""First day of the month ``months_back`` months before the current one."""
	return getdate(add_months(get_first_day(nowdate()), -months_back))


def make_plan_companies() -> tuple[str, str]:
	return make_company(PLAN_COMPANY, "_TPC"), make_company(OTHER_COMPANY, "_TPO")


def invoice_on(customer: str, day, company: str, amount: float = 1000) -> str:
	"""A submitted invoice posted (and due) on the given day."""
	return make_sales_invoice(customer, date_diff(nowdate(), day), amount=amount, company=company)


def plan_reasons() -> tuple[str, str]:
	"""A managed reason whose best method plans 20 % conversion, and an unmanaged one."""
	method = make_retention_method("_Test Plan Discount", cost=500).name
	price = make_reason("_Test Plan Price", managed=1, target_share=40)
	if not price.methods:
		price.append("methods", {"retention_method": method, "planned_conversion": 20})
		price.save(ignore_permissions=True)
	moved = make_reason("_Test Plan Moved Away", managed=0, target_share=10)
	return price.name, moved.name


def make_year_of_history(company: str) -> list[str]:
	"""Ten customers who started 13 months ago; in each of the last 12 months one of them churns on
	the 10th (9 for a managed reason, 3 for an unmanaged one) and is won back on the 20th. So each of
	those months starts with 10 active customers and loses 1: a churn rate of 10 %."""
	price, moved = plan_reasons()
	customers = [make_customer() for _ in range(10)]
	for customer in customers:
		invoice_on(customer, add_days(month_start(13), 4), company)
	for k in range(12, 0, -1):
		churned = add_days(month_start(k), 9)
		make_churn_record(
			customers[k % 10],
			company=company,
			churn_date=churned,
			churn_reason=moved if k <= 3 else price,
			status="Won Back",
			won_back_date=add_days(churned, 10),
		)
	return customers


def make_save(company: str, saved_on, offer_cost: float, revenue: float, status: str = "Pending") -> str:
	"""A save returned by a retention task that gave an offer of the given cost."""
	task = make_task(company=company, offer_cost=offer_cost, monthly_revenue=revenue)
	save = frappe.get_doc(
		{
			"doctype": "Retention Save",
			"customer": task.customer,
			"company": company,
			"saved_on": saved_on,
			"source_doctype": "Retention Task",
			"source_name": task.name,
			"status": status,
		}
	).insert(ignore_permissions=True)
	return save.name


def make_journal_entry(company: str, account: str, amount: float, day, cost_center: str | None = None) -> str:
	"""A submitted expense paid in cash: debit the account, credit the company's cash account."""
	from churn_management.tests.utils import ensure_fiscal_year

	ensure_fiscal_year(day, company)
	cash = frappe.db.get_value("Company", company, "default_cash_account")
	center = cost_center or frappe.db.get_value("Company", company, "cost_center")
	entry = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"company": company,
			"posting_date": day,
			"accounts": [
				{"account": account, "debit_in_account_currency": amount, "cost_center": center},
				{"account": cash, "credit_in_account_currency": amount, "cost_center": center},
			],
		}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()
	return entry.name


def account(company: str, name: str) -> str:
	return f"{name} - {frappe.get_cached_value('Company', company, 'abbr')}"


def make_cost_center(company: str, name: str) -> str:
	"""A cost center under the company's root one."""
	abbr = frappe.get_cached_value("Company", company, "abbr")
	full = f"{name} - {abbr}"
	if not frappe.db.exists("Cost Center", full):
		root = frappe.db.get_value(
			"Cost Center", {"company": company, "is_group": 1, "parent_cost_center": ("is", "not set")}
		)
		frappe.get_doc(
			{
				"doctype": "Cost Center",
				"cost_center_name": name,
				"company": company,
				"parent_cost_center": root,
			}
		).insert(ignore_permissions=True)
	return full


class ManagementTestCase(FrappeTestCase):
	"""The users, the two companies and month M (two months back) for the class; each test's records
	are rolled back to a savepoint."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_management_users()
		cls.company, cls.other = make_plan_companies()
		cls.month = month_start(2)

	def setUp(self):
		super().setUp()
		frappe.db.savepoint("management_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="management_test")
		super().tearDown()


def make_department_cost(company: str, month, **values) -> str:
	"""A Department Cost of the month with the given entries and figures."""
	doc = frappe.get_doc({"doctype": "Department Cost", "company": company, "month": month, **values})
	return doc.insert(ignore_permissions=True).name
