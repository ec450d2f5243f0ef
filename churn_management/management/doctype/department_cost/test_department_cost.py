# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Department Cost: the ledger fetch, the month's saves, entered costs and every bad input."""

import frappe
from frappe.utils import add_days, add_months, getdate

from churn_management.management.doctype.department_cost.department_cost import (
	DepartmentCostError,
	DuplicateDepartmentCostError,
	ExchangeRateMissingError,
)
from churn_management.tests.management_utils import (
	HEAD,
	MANAGEMENT_TEST_IGNORE,
	ManagementTestCase,
	account,
	invoice_on,
	make_cost_center,
	make_journal_entry,
	make_save,
)
from churn_management.tests.utils import make_customer

test_ignore = MANAGEMENT_TEST_IGNORE


def new_cost(company: str, month, **values):
	return frappe.get_doc({"doctype": "Department Cost", "company": company, "month": month, **values})


class TestDepartmentCost(ManagementTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.center = make_cost_center(cls.company, "_Test Retention Desk")
		day = add_days(cls.month, 14)
		make_journal_entry(cls.company, account(cls.company, "Salary"), 6000, day)
		make_journal_entry(cls.company, account(cls.company, "Marketing Expenses"), 80_000, day)
		make_journal_entry(
			cls.company, account(cls.company, "Office Rent"), 1000, day, cost_center=cls.center
		)
		make_journal_entry(
			cls.company, account(cls.company, "Salary"), 999, add_days(cls.month, -3)
		)  # month before
		make_save(cls.company, add_days(cls.month, 3), offer_cost=500, revenue=1000)
		make_save(cls.company, add_days(cls.month, 5), offer_cost=500, revenue=1000, status="Lost")
		for _ in range(2):
			invoice_on(make_customer(), add_days(cls.month, 7), cls.company)

	def setUp(self):
		super().setUp()
		frappe.set_user(HEAD)

	def ledger_cost(self):
		return new_cost(
			self.company,
			add_days(self.month, 10),
			sources=[
				{"category": "Staff", "account": account(self.company, "Salary")},
				{"category": "Marketing", "account": account(self.company, "Marketing Expenses")},
				{"category": "Overhead", "cost_center": self.center},
			],
		).insert()

	def test_fetch_from_ledger_reads_the_month_of_each_line(self):
		cost = self.ledger_cost()
		self.assertEqual(getdate(cost.month), self.month)  # kept as the first day
		cost.fetch_from_ledger()
		cost.reload()
		# salary 6,000 (the 999 of the month before is left out); the cost center alone: its rent 1,000
		self.assertEqual([row.amount for row in cost.sources], [6000, 80_000, 1000])
		self.assertEqual(cost.staff_cost, 6000)
		self.assertEqual(cost.overhead, 1000)
		self.assertEqual(cost.marketing_cost, 80_000)
		self.assertEqual(cost.acquisition_cost, 80_000)
		# two saves gave offers of 500 each; one turned out lost, so one customer retained
		self.assertEqual(cost.offers_given, 1000)
		self.assertEqual(cost.offer_cost, 1000)
		self.assertEqual(cost.returned_customers, 1)
		self.assertEqual(cost.retention_cost, 8000)  # 6,000 + 1,000 + 1,000
		self.assertEqual(cost.new_customers, 2)
		self.assertTrue(cost.fetched_on)

	def test_a_new_month_reads_the_same_accounts(self):
		self.ledger_cost()
		following = new_cost(self.company, add_months(self.month, 1)).insert()
		self.assertEqual(
			[(row.category, row.account, row.cost_center) for row in following.sources],
			[
				("Staff", account(self.company, "Salary"), None),
				("Marketing", account(self.company, "Marketing Expenses"), None),
				("Overhead", None, self.center),
			],
		)

	def test_entered_costs_in_another_currency_need_a_rate(self):
		currency = frappe.db.get_value("Company", self.company, "default_currency")
		foreign = "EUR" if currency != "EUR" else "USD"
		entry = {"category": "Sales", "description": "Fair stand", "amount": 100, "currency": foreign}
		with self.assertRaises(ExchangeRateMissingError):
			new_cost(self.company, self.month, entries=[entry]).insert()
		self.assertFalse(frappe.db.exists("Department Cost", {"company": self.company}))  # nothing saved
		cost = new_cost(
			self.company,
			self.month,
			new_customers=4,
			entries=[{**entry, "exchange_rate": 1.1}, {"category": "Connection", "amount": 50}],
		).insert()
		self.assertEqual(cost.entries[0].base_amount, 110)
		self.assertEqual(cost.entries[1].exchange_rate, 1)
		self.assertEqual(cost.acquisition_cost, 160)
		self.assertEqual(cost.new_customers, 4)  # entered, not overwritten on insert

	def test_bad_input_is_refused(self):
		new_cost(self.company, self.month).insert()
		with self.assertRaises(DuplicateDepartmentCostError):
			new_cost(self.company, add_days(self.month, 20)).insert()
		other_month = add_months(self.month, -1)
		with self.assertRaises(DepartmentCostError):
			new_cost(self.company, other_month, sources=[{"category": "Staff"}]).insert()
		with self.assertRaises(DepartmentCostError):
			new_cost(
				self.company,
				other_month,
				sources=[{"category": "Staff", "account": account(self.other, "Salary")}],
			).insert()
		with self.assertRaises(DepartmentCostError):
			new_cost(self.company, other_month, entries=[{"category": "Staff", "amount": -5}]).insert()
