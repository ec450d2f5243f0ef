# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Who sees which statement: the employee their own, the head, HR and accounts all (within the companies
their User Permissions allow), nobody else; in two companies."""

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.management.report.staff_motivation.staff_motivation import execute
from churn_management.tests.motivation_utils import (
	ACCOUNTS,
	ANALYST,
	EMPLOYEE,
	EMPLOYEE_2,
	HR,
	MOTIVATION_TEST_IGNORE,
	SYSTEM_ONLY,
	clear_motivation,
	make_motivation_users,
	make_scheme,
	make_statement,
	month_start,
)
from churn_management.tests.retention_utils import DESK, HEAD, MANAGER, OUTSIDER
from churn_management.tests.utils import get_company, make_company

test_ignore = MOTIVATION_TEST_IGNORE
OTHER_COMPANY = "_Test Motivation Co B"


class TestMotivationStatementPermissions(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_motivation_users()
		clear_motivation()
		frappe.db.delete("User Permission", {"user": ("in", (HR, ACCOUNTS)), "allow": "Company"})
		cls.company = get_company()
		cls.other = make_company(OTHER_COMPANY, "TMCB")
		frappe.set_user(HEAD)
		make_scheme("_Test Managers A", fixed_amount=30000)
		make_scheme("_Test Managers B", company=cls.other, fixed_amount=25000)
		cls.mine = cls.statement(EMPLOYEE, cls.company)
		cls.theirs = cls.statement(EMPLOYEE_2, cls.company)
		cls.in_other = cls.statement(EMPLOYEE, cls.other)
		frappe.set_user("Administrator")

	@classmethod
	def statement(cls, user: str, company: str) -> str:
		month = month_start(2 if company == cls.other else 1)
		return make_statement(user, month, company=company, submit=True).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def visible(self, user: str) -> set[str]:
		frappe.set_user(user)
		return set(frappe.get_list("Motivation Statement", pluck="name"))

	def test_the_employee_sees_only_their_own(self):
		self.assertEqual(self.visible(EMPLOYEE), {self.mine, self.in_other})
		self.assertTrue(frappe.has_permission("Motivation Statement", "read", self.mine))
		self.assertFalse(frappe.has_permission("Motivation Statement", "read", self.theirs))
		self.assertFalse(frappe.has_permission("Motivation Statement", "write", self.mine))

	def test_a_second_manager_cannot_see_the_firsts(self):
		self.assertEqual(self.visible(EMPLOYEE_2), {self.theirs})
		self.assertFalse(frappe.has_permission("Motivation Statement", "read", self.mine))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Motivation Statement", self.mine).check_permission("read")

	def test_a_manager_without_statements_sees_none(self):
		self.assertEqual(self.visible(MANAGER), set())

	def test_head_hr_and_accounts_see_all(self):
		every = {self.mine, self.theirs, self.in_other}
		for user in (HEAD, HR, ACCOUNTS):
			self.assertEqual(self.visible(user), every, user)

	def test_company_user_permissions_keep_the_other_company_out(self):
		for user, company in ((HR, self.company), (ACCOUNTS, self.other)):
			permission = frappe.get_doc(
				{"doctype": "User Permission", "user": user, "allow": "Company", "for_value": company}
			).insert(ignore_permissions=True)
			self.addCleanup(permission.delete, ignore_permissions=True)
		self.assertEqual(self.visible(HR), {self.mine, self.theirs})
		self.assertEqual(self.visible(ACCOUNTS), {self.in_other})
		self.assertFalse(frappe.has_permission("Motivation Statement", "read", self.mine))

	def test_nobody_else_sees_statements(self):
		for user in (ANALYST, DESK, OUTSIDER, SYSTEM_ONLY):
			frappe.set_user(user)
			self.assertFalse(frappe.has_permission("Motivation Statement", "read", self.mine), user)
		frappe.set_user(DESK)
		self.assertEqual(frappe.get_list("Motivation Statement", pluck="name"), [])
		frappe.set_user(OUTSIDER)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_list("Motivation Statement")
		self.assertEqual(self.visible(SYSTEM_ONLY), set())

	def test_the_report_shows_each_role_what_it_may_see(self):
		filters = {"from_date": month_start(2), "to_date": month_start(0)}
		frappe.set_user(HEAD)
		_columns, data, *_rest = execute(filters)
		self.assertEqual({row["statement"] for row in data}, {self.mine, self.theirs, self.in_other})
		frappe.set_user(EMPLOYEE_2)
		_columns, data, *_rest = execute(filters)
		self.assertEqual([row["statement"] for row in data], [self.theirs])
