# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Who sees plans and economics: the Retention Head and the Churn Analyst (and the System Manager);
Accounts users read Department Cost only; everyone else nothing. A user limited to one company sees
that company's figures only."""

import frappe
from frappe.desk.query_report import run as run_report
from frappe.permissions import add_user_permission
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_last_day, getdate

from churn_management.tests.management_utils import (
	ACCOUNTANT,
	ANALYST,
	HEAD,
	MANAGEMENT_TEST_IGNORE,
	MANAGER,
	OUTSIDER,
	make_department_cost,
	make_management_users,
	make_plan_companies,
	month_start,
)

test_ignore = MANAGEMENT_TEST_IGNORE
REPORTS = ("Retention Economics", "Plan vs Actual")


def entered_plan(company: str) -> str:
	months = [{"month": m, "forecast_churn": 1, "target_returns": 0.2} for m in range(1, 13)]
	plan = frappe.get_doc(
		{"doctype": "Retention Plan", "company": company, "year": getdate().year, "months": months}
	)
	return plan.insert(ignore_permissions=True).name


class TestManagementPermissions(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_management_users()
		cls.company, cls.other = make_plan_companies()
		cls.plans = {c: entered_plan(c) for c in (cls.company, cls.other)}
		cls.costs = {c: make_department_cost(c, month_start(1)) for c in (cls.company, cls.other)}

	def tearDown(self):
		frappe.set_user("Administrator")

	def filters(self, report: str, company: str) -> dict:
		if report == "Plan vs Actual":
			return {"company": company, "year": getdate().year}
		return {"company": company, "from_date": month_start(1), "to_date": get_last_day(month_start(1))}

	def can(self, user: str, doctype: str, ptype: str) -> bool:
		frappe.set_user(user)
		return bool(frappe.has_permission(doctype, ptype))

	def test_the_role_matrix(self):
		expected = {
			# user: (plan read, plan write, cost read, cost write, reports)
			HEAD: (True, True, True, True, True),
			ANALYST: (True, False, True, False, True),
			ACCOUNTANT: (False, False, True, False, False),
			MANAGER: (False, False, False, False, False),
			OUTSIDER: (False, False, False, False, False),
		}
		for user, (plan_read, plan_write, cost_read, cost_write, reports) in expected.items():
			with self.subTest(user=user):
				self.assertEqual(self.can(user, "Retention Plan", "read"), plan_read)
				self.assertEqual(self.can(user, "Retention Plan", "write"), plan_write)
				self.assertEqual(self.can(user, "Department Cost", "read"), cost_read)
				self.assertEqual(self.can(user, "Department Cost", "write"), cost_write)
				for report in REPORTS:
					frappe.set_user(user)
					if reports:
						result = run_report(report, filters=self.filters(report, self.company))
						self.assertTrue(result["result"] is not None)
					else:
						with self.assertRaises(frappe.PermissionError):
							run_report(report, filters=self.filters(report, self.company))

	def test_only_the_head_submits_and_generates(self):
		frappe.set_user(ANALYST)
		plan = frappe.get_doc("Retention Plan", self.plans[self.company])
		with self.assertRaises(frappe.PermissionError):
			plan.generate()
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Department Cost", self.costs[self.company]).fetch_from_ledger()
		frappe.set_user(HEAD)
		self.assertTrue(frappe.has_permission("Retention Plan", "submit", doc=plan))

	def test_a_user_limited_to_one_company_sees_only_its_figures(self):
		for user in (HEAD, ANALYST, ACCOUNTANT):
			add_user_permission("Company", self.company, user, ignore_permissions=True)
		try:
			for user in (HEAD, ANALYST):
				frappe.set_user(user)
				self.assertEqual(frappe.get_list("Retention Plan", pluck="company"), [self.company])
				self.assertEqual(frappe.get_list("Department Cost", pluck="company"), [self.company])
				self.assertFalse(frappe.has_permission("Retention Plan", doc=self.plans[self.other]))
				for report in REPORTS:
					run_report(report, filters=self.filters(report, self.company))
					with self.assertRaises(frappe.PermissionError):
						run_report(report, filters=self.filters(report, self.other))
			frappe.set_user(ACCOUNTANT)
			self.assertEqual(frappe.get_list("Department Cost", pluck="company"), [self.company])
		finally:
			frappe.set_user("Administrator")
			for user in (HEAD, ANALYST, ACCOUNTANT):
				frappe.db.delete("User Permission", {"user": user, "allow": "Company"})
			frappe.clear_cache()
