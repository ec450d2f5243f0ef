# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import unittest
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_last_day, nowdate

from churn_management.management.api import motivation as motivation_api
from churn_management.management.api.motivation import hrms_installed
from churn_management.management.doctype.motivation_statement.motivation_statement import (
	DuplicateStatementError,
	HRMSNotInstalledError,
	PeriodNotClosedError,
)
from churn_management.management.doctype.motivation_statement.motivation_statement_data import paid_before
from churn_management.management.jobs.motivation_statements import make_month_statements
from churn_management.tests.debt_utils import hold_debt_commits
from churn_management.tests.motivation_utils import (
	EMPLOYEE,
	EMPLOYEE_2,
	MOTIVATION_TEST_IGNORE,
	SYSTEM_ONLY,
	clear_motivation,
	closed_task,
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
COMPONENTS = [
	("Customers returned", PER_UNIT, 0, 1, 0),
	("Customers returned", PER_UNIT, 1, 0, 500),
	("Saves that stuck", PER_UNIT, 0, 0, 200),
	("Debt collected", "Percent of amount", 0, 0, 5),
	("Members reactivated", PER_UNIT, 0, 0, 300),
	("Conversion against plan", "Step bonus", 100, 0, 1000),
]


class TestMotivationStatement(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		hold_debt_commits(cls)

	def setUp(self):
		make_motivation_users()
		clear_motivation()
		self.last = month_start(1)
		self.before = month_start(2)
		frappe.set_user(HEAD)
		self.scheme = make_scheme("_Test Managers", components=COMPONENTS, planned_conversion=50).name
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_each_kpi_line_lists_the_documents_that_earned_it(self):
		day = add_days(self.last, 9)
		returned = [won_back(EMPLOYEE, day), won_back(EMPLOYEE, day)]
		won_back(EMPLOYEE, add_days(self.last, -1))  # the month before: not this month's
		won_back(EMPLOYEE_2, day)  # someone else's
		worked = [
			closed_task(EMPLOYEE, day),
			closed_task(EMPLOYEE, day),
			closed_task(EMPLOYEE, day, outcome="Refused"),
		]
		stuck = judged_save("Retention Task", worked[0], "Stuck", day)
		payment = collected(EMPLOYEE, day, 1000)
		reactivated = closed_task(EMPLOYEE, day, task_type="Reactivation")
		frappe.set_user(HEAD)
		statement = make_statement(EMPLOYEE, add_days(self.last, 14))

		self.assertEqual(statement.period_start, self.last)
		self.assertEqual(str(statement.period_end), str(get_last_day(self.last)))
		self.assertEqual(statement.scheme, self.scheme)
		lines = {line.kpi: (line.quantity, line.amount, line.source_count) for line in statement.lines}
		# 2 returned: the first unit is in the 0-1 band (0), the second earns 500
		self.assertEqual(lines["Customers returned"], (2, 500, 2))
		self.assertEqual(lines["Saves that stuck"], (1, 200, 1))
		# 5 % of 1,000 collected
		self.assertEqual(lines["Debt collected"], (1, 50, 1))
		self.assertEqual(lines["Members reactivated"], (1, 300, 1))
		# 2 returned of 3 worked = 66.7 %, plan 50 %: 133 % of plan, in the 100+ band
		self.assertAlmostEqual(lines["Conversion against plan"][0], 133.33, places=2)
		self.assertEqual(lines["Conversion against plan"][1:], (1000, 3))
		self.assertEqual(
			(statement.fixed_amount, statement.variable_amount, statement.total_amount), (30000, 2050, 32050)
		)
		sources = {(s.kpi, s.reference_doctype, s.reference_name): s.amount for s in statement.sources}
		self.assertEqual({k[2] for k in sources if k[0] == "Customers returned"}, set(returned))
		self.assertEqual(sources[("Saves that stuck", "Retention Save", stuck)], 200)
		self.assertEqual(sources[("Debt collected", "Payment Entry", payment)], 50)
		self.assertEqual(sources[("Members reactivated", "Retention Task", reactivated)], 300)
		self.assertEqual({k[2] for k in sources if k[0] == "Conversion against plan"}, set(worked))

	def test_a_save_that_did_not_stick_is_taken_back_next_month(self):
		day = add_days(self.before, 4)
		task = closed_task(EMPLOYEE, day)
		record = won_back(EMPLOYEE, day)
		frappe.db.set_value("Retention Task", task, "churn_record", record)
		won_back(EMPLOYEE, day)
		frappe.set_user(HEAD)
		first = make_statement(EMPLOYEE, self.before)
		first.submit()
		# two returned made 500; each carries 250
		self.assertEqual(first.variable_amount, 500 + 1000)
		frappe.set_user("Administrator")
		judged_save("Retention Task", task, "Lost", add_days(self.last, 2))
		frappe.set_user(HEAD)
		second = make_statement(EMPLOYEE, self.last)

		back = [line for line in second.lines if line.takes_back]
		self.assertEqual(
			[(b.kpi, b.quantity, b.amount, b.takes_back) for b in back],
			[("Customers returned", -1, -250, first.name)],
		)
		sources = [(s.reference_doctype, s.reference_name, s.amount) for s in second.sources if s.takes_back]
		self.assertIn(("Churn Record", record, -250), sources)
		second.save()
		self.assertEqual(len([line for line in second.lines if line.takes_back]), 1)
		second.submit()
		# taken back once: nothing is left to take back in a later month
		self.assertTrue(paid_before([EMPLOYEE], month_start(0), [record]).empty)

	def test_a_month_not_yet_ended_is_refused(self):
		frappe.set_user(HEAD)
		with self.assertRaises(PeriodNotClosedError):
			make_statement(EMPLOYEE, nowdate())
		self.assertFalse(
			frappe.db.exists(
				"Motivation Statement", {"employee_user": EMPLOYEE, "period_start": month_start(0)}
			)
		)

	def test_a_second_statement_for_the_month_is_refused(self):
		frappe.set_user(HEAD)
		make_statement(EMPLOYEE, self.last)
		with self.assertRaises(DuplicateStatementError):
			make_statement(EMPLOYEE, add_days(self.last, 3))

	def test_only_the_retention_head_approves(self):
		frappe.set_user(HEAD)
		statement = make_statement(EMPLOYEE, self.last)
		frappe.set_user(EMPLOYEE)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Motivation Statement", statement.name).submit()
		frappe.set_user(SYSTEM_ONLY)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Motivation Statement", statement.name).submit()
		frappe.set_user(HEAD)
		statement = frappe.get_doc("Motivation Statement", statement.name)
		statement.submit()
		self.assertEqual((statement.docstatus, statement.approved_by), (1, HEAD))

	def test_the_months_statements_are_made_once_for_everyone_under_the_scheme(self):
		month = month_start(3)  # a month no other test of the class uses
		won_back(EMPLOYEE_2, add_days(month, 1))
		won_back(EMPLOYEE_2, add_days(month, 2))
		frappe.set_user(HEAD)
		first = make_month_statements(self.scheme, month, commit=False)
		made = frappe.get_all(
			"Motivation Statement",
			filters={"period_start": month, "employee_user": ("in", [EMPLOYEE, EMPLOYEE_2])},
			fields=["employee_user", "variable_amount"],
		)
		self.assertEqual(
			{row.employee_user: row.variable_amount for row in made}, {EMPLOYEE: 0, EMPLOYEE_2: 500}
		)
		self.assertFalse(first["failed"])
		# the bulk run writes the sources in one insert: the statement still lists both returns
		made_for_2 = frappe.get_doc(
			"Motivation Statement", {"employee_user": EMPLOYEE_2, "period_start": month}
		)
		self.assertEqual([s.reference_doctype for s in made_for_2.sources], ["Churn Record", "Churn Record"])
		self.assertEqual(sum(s.amount for s in made_for_2.sources), 500)
		again = make_month_statements(self.scheme, month, commit=False)
		self.assertEqual(again["made"], [])
		self.assertEqual(again["skipped"], len(first["made"]))

	def test_the_heads_button_queues_one_job_per_scheme_and_month(self):
		frappe.set_user(EMPLOYEE)
		with self.assertRaises(frappe.PermissionError):
			motivation_api.make_month_statements(self.scheme, str(self.last))
		frappe.set_user(HEAD)
		with self.assertRaises(PeriodNotClosedError):
			motivation_api.make_month_statements(self.scheme, nowdate())
		with patch("frappe.enqueue") as enqueue:
			motivation_api.make_month_statements(self.scheme, str(add_days(self.last, 5)))
		kwargs = enqueue.call_args.kwargs
		self.assertEqual(
			(kwargs["scheme"], kwargs["month"], kwargs["queue"]), (self.scheme, str(self.last), "long")
		)
		self.assertTrue(kwargs["deduplicate"])
		self.assertEqual(kwargs["job_id"], f"motivation-statements::{self.scheme}::{self.last}")

	def test_additional_salary_needs_hrms(self):
		self.assertNotIn("hrms", frappe.get_installed_apps())
		self.assertFalse(hrms_installed())
		frappe.set_user(HEAD)
		statement = make_statement(EMPLOYEE, self.last)
		statement.submit()
		with self.assertRaises(HRMSNotInstalledError):
			statement.make_additional_salary()
		frappe.set_user(EMPLOYEE)
		with self.assertRaises(frappe.PermissionError):
			statement.make_additional_salary()
		frappe.set_user(HEAD)
		with patch("frappe.get_installed_apps", return_value=["frappe", "erpnext", "hrms"]):
			self.assertTrue(hrms_installed())
			# past the guard, an Employee and a Salary Component are asked for
			with self.assertRaises(frappe.ValidationError) as raised:
				statement.make_additional_salary()
			self.assertNotIsInstance(raised.exception, HRMSNotInstalledError)


@unittest.skipUnless(
	frappe.db and frappe.db.table_exists("Annual Contract") and frappe.db.table_exists("Bonus Card"),
	"Annual Contract and Bonus Card come with i16-contracts",
)
class TestMotivationContractsAndCards(FrappeTestCase):
	def test_contracts_sold_and_cards_issued_are_paid(self):
		make_motivation_users()
		clear_motivation()
		last = month_start(1)
		day = add_days(last, 3)
		components = [
			("Annual contracts sold", "Percent of amount", 0, 0, 10),
			("Bonus cards issued", PER_UNIT, 0, 0, 50),
		]
		make_scheme("_Test Contracts", components=components)
		contract = frappe.new_doc("Annual Contract")
		contract.update({"company": get_company(), "start_date": day, "amount": 12000, "sold_by": EMPLOYEE})
		contract.db_insert()
		frappe.db.set_value("Annual Contract", contract.name, "docstatus", 1)
		card = frappe.new_doc("Bonus Card")
		card.update({"issued_by": EMPLOYEE, "issued_on": day, "company": get_company()})
		card.db_insert()
		statement = make_statement(EMPLOYEE, last)
		lines = {line.kpi: (line.quantity, line.amount) for line in statement.lines}
		self.assertEqual(lines["Annual contracts sold"], (1, 1200))
		self.assertEqual(lines["Bonus cards issued"], (1, 50))


@unittest.skipUnless(
	frappe.db and frappe.db.table_exists("Retention Plan"), "Retention Plan comes with i17-plan"
)
class TestMotivationAgainstThePlan(FrappeTestCase):
	def test_the_submitted_plans_conversion_replaces_the_schemes(self):
		make_motivation_users()
		clear_motivation()
		last = month_start(1)
		day = add_days(last, 3)
		make_scheme("_Test Plan Scheme", components=COMPONENTS, planned_conversion=50)
		plan = frappe.new_doc("Retention Plan")
		plan.update({"company": get_company(), "year": last.year, "planned_conversion": 200, "docstatus": 1})
		plan.db_insert()
		won_back(EMPLOYEE, day)
		closed_task(EMPLOYEE, day)
		statement = make_statement(EMPLOYEE, last)
		lines = {line.kpi: (line.quantity, line.amount) for line in statement.lines}
		# 1 returned of 1 worked = 100 %, plan 200 %: 50 % of plan, below the 100 % step (the scheme's
		# 50 % would have made it 200 % and paid 1,000)
		self.assertEqual(lines["Conversion against plan"], (50, 0))
