# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, nowdate

from erpnext.accounts.report.accounts_receivable.accounts_receivable import execute as accounts_receivable

from churn_management.collections.report.debtors.debtors import execute as debtors
from churn_management.tests.debt_utils import (
	DebtTestCase,
	make_advance,
	make_credit_note,
	open_case_of,
	run_debt_job,
)
from churn_management.tests.utils import (
	TEST_IGNORE,
	get_company,
	make_customer,
	make_sales_invoice,
	make_user,
	mark_disputed,
	pay_invoice,
)

test_ignore = TEST_IGNORE

COLLECTOR = "debtors.collector@example.com"
ANALYST = "debtors.analyst@example.com"


class TestDebtors(DebtTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(COLLECTOR, ["Debt Collector"])
		make_user(ANALYST, ["Churn Analyst"])
		cls.two_ages = make_customer()
		make_sales_invoice(cls.two_ages, 10, 1000)
		make_sales_invoice(cls.two_ages, 45, 500)
		cls.credited = make_customer()
		old = make_sales_invoice(cls.credited, 100, 800)
		make_credit_note(old, 300)
		make_sales_invoice(cls.credited, 130, 200)
		cls.in_advance = make_customer()
		make_sales_invoice(cls.in_advance, 5, 600)
		make_advance(cls.in_advance, 1000)
		cls.disputed = make_customer()
		make_sales_invoice(cls.disputed, 70, 900)
		run_debt_job()

	def filters(self, **extra):
		return {"company": get_company(), "report_date": nowdate(), **extra}

	def test_totals_and_buckets_equal_erpnext_accounts_receivable(self):
		ours = {row["customer"]: row for row in debtors(self.filters(exclude_disputed=0))[1]}
		_columns, theirs = accounts_receivable(
			self.filters(
				ageing_based_on="Due Date",
				calculate_ageing_with="Report Date",
				range="30, 60, 90, 120",
				party_type="Customer",
			)
		)[:2]
		erpnext = {}
		for row in theirs:
			if not row.get("party"):
				continue
			totals = erpnext.setdefault(row["party"], {"outstanding": 0, "b1": 0, "b2": 0, "b3": 0, "b4": 0})
			totals["outstanding"] += row["outstanding"]
			totals["b1"] += row["range1"]
			totals["b2"] += row["range2"]
			totals["b3"] += row["range3"]
			totals["b4"] += row["range4"] + row["range5"]
		erpnext = {party: t for party, t in erpnext.items() if abs(t["outstanding"]) > 0.005}
		self.assertEqual(set(ours), set(erpnext))
		for party, totals in erpnext.items():
			row = ours[party]
			self.assertAlmostEqual(row["outstanding"], totals["outstanding"], places=2, msg=party)
			self.assertAlmostEqual(row["range_0_30"], totals["b1"], places=2, msg=party)
			self.assertAlmostEqual(row["range_31_60"], totals["b2"], places=2, msg=party)
			self.assertAlmostEqual(row["range_61_90"], totals["b3"], places=2, msg=party)
			self.assertAlmostEqual(row["range_90_plus"], totals["b4"], places=2, msg=party)
		# and the hand-made cases, by hand
		self.assertEqual((ours[self.two_ages]["range_0_30"], ours[self.two_ages]["range_31_60"]), (1000, 500))
		# a credit note stands on its own date unless allocated: -300 new, 1000 old
		self.assertEqual(
			(ours[self.credited]["range_90_plus"], ours[self.credited]["outstanding"]), (1000, 700)
		)
		self.assertEqual(ours[self.in_advance]["outstanding"], -400)

	def test_a_debt_paid_after_the_report_date_still_shows_on_that_date(self):
		customer = make_customer()
		pay_invoice(make_sales_invoice(customer, 20, 300))  # paid today
		on_the_eve = {r["customer"]: r for r in debtors(self.filters(report_date=add_days(nowdate(), -1)))[1]}
		self.assertEqual(on_the_eve[customer]["outstanding"], 300)
		self.assertNotIn(customer, [r["customer"] for r in debtors(self.filters())[1]])

	def test_rows_carry_the_case(self):
		row = next(r for r in debtors(self.filters())[1] if r["customer"] == self.two_ages)
		case = open_case_of(self.two_ages)
		self.assertEqual((row["debt_case"], row["stage"]), (case.name, "Pre-churn Work"))
		self.assertIsNotNone(row["net_recovery"])

	def test_disputed_invoices_are_left_out_on_request(self):
		invoice = frappe.get_all("Sales Invoice", filters={"customer": self.disputed}, pluck="name")[0]
		mark_disputed(invoice)
		customers = [r["customer"] for r in debtors(self.filters(exclude_disputed=1))[1]]
		self.assertNotIn(self.disputed, customers)
		customers = [r["customer"] for r in debtors(self.filters(exclude_disputed=0))[1]]
		self.assertIn(self.disputed, customers)

	def test_a_collector_sees_only_their_debtors(self):
		for customer in (self.two_ages, self.credited, self.disputed):
			user = COLLECTOR if customer == self.credited else "Administrator"
			values = {"collector": user, "_assign": frappe.as_json([user])}
			frappe.db.set_value("Debt Case", open_case_of(customer).name, values)
		frappe.set_user(COLLECTOR)
		customers = [r["customer"] for r in debtors(self.filters())[1]]
		self.assertIn(self.credited, customers)
		self.assertNotIn(self.two_ages, customers)
		self.assertNotIn(self.disputed, customers)
		frappe.set_user(ANALYST)
		customers = [r["customer"] for r in debtors(self.filters())[1]]
		self.assertIn(self.two_ages, customers)
		self.assertIn(self.credited, customers)
