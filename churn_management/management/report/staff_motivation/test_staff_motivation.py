# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days

from churn_management.management.report.staff_motivation.staff_motivation import execute
from churn_management.tests.debt_utils import hold_debt_commits
from churn_management.tests.motivation_utils import (
	EMPLOYEE,
	EMPLOYEE_2,
	MOTIVATION_TEST_IGNORE,
	clear_motivation,
	collected,
	judged_save,
	make_motivation_users,
	make_scheme,
	make_statement,
	month_start,
	won_back,
)
from churn_management.tests.retention_utils import HEAD
from churn_management.tests.utils import get_company

test_ignore = MOTIVATION_TEST_IGNORE
PER_UNIT = "Per unit above threshold"
COMPONENTS = [("Customers returned", PER_UNIT, 0, 0, 400), ("Debt collected", "Percent of amount", 0, 0, 10)]


class TestStaffMotivation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		hold_debt_commits(cls)
		make_motivation_users()
		clear_motivation()
		frappe.set_user(HEAD)
		make_scheme("_Test Report Scheme", components=COMPONENTS, fixed_amount=20000)
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_fixed_variable_kpis_and_take_backs_per_employee_and_month(self):
		before, last = month_start(2), month_start(1)
		record = won_back(EMPLOYEE, add_days(before, 1))
		won_back(EMPLOYEE, add_days(before, 2))
		collected(EMPLOYEE_2, add_days(last, 3), 3000)
		frappe.set_user(HEAD)
		first = make_statement(EMPLOYEE, before, submit=True).name
		frappe.set_user("Administrator")
		save = judged_save("Churn Record", record, "Lost", add_days(last, 1))
		self.assertTrue(save)
		frappe.set_user(HEAD)
		second = make_statement(EMPLOYEE, last, submit=True).name
		third = make_statement(EMPLOYEE_2, last, submit=True).name

		columns, data, _message, chart, summary = execute(
			{"company": get_company(), "from_date": before, "to_date": last}
		)
		rows = {row["statement"]: row for row in data}
		fields = {column["fieldname"] for column in columns}
		self.assertTrue(
			{"fixed_amount", "variable_amount", "taken_back", "total_amount", "qty_0", "pay_0"} <= fields
		)
		# month 1: 2 returned × 400
		self.assertEqual(
			(rows[first]["qty_0"], rows[first]["pay_0"], rows[first]["total_amount"]), (2, 800, 20800)
		)
		# month 2: nothing earned, 400 taken back for the save that did not stick
		self.assertEqual((rows[second]["taken_back"], rows[second]["total_amount"]), (-400, 19600))
		# debt: 10 % of 3,000
		self.assertEqual(
			(rows[third]["qty_5"], rows[third]["pay_5"], rows[third]["variable_amount"]),
			(1, 300, 300),
		)
		self.assertEqual(chart["data"]["labels"], [EMPLOYEE, EMPLOYEE_2])
		self.assertEqual(chart["data"]["datasets"][1]["values"], [400, 300])
		self.assertEqual(summary[0]["value"], 3)

	def test_drafts_only_on_request(self):
		frappe.set_user(HEAD)
		make_statement(EMPLOYEE_2, month_start(3))
		filters = {"from_date": month_start(3), "to_date": month_start(3)}
		self.assertEqual(execute(filters)[1], [])
		self.assertEqual(len(execute({**filters, "include_drafts": 1})[1]), 1)
