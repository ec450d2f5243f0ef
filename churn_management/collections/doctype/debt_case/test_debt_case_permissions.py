# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What a Debt Collector reads, tried as the collector: their debtors' cards and letters, the Debtors
report, and only the company a User Permission allows."""

import frappe
from frappe.desk.form.load import getdoc
from frappe.desk.query_report import run as run_report
from frappe.permissions import add_user_permission
from frappe.utils import nowdate

from churn_management.collections.doctype.debt_case.debt_case_setup import collector_users
from churn_management.tests.debt_utils import DebtTestCase, open_case_of, run_debt_job
from churn_management.tests.utils import (
	TEST_IGNORE,
	get_company,
	make_company,
	make_customer,
	make_sales_invoice,
	make_user,
)

test_ignore = TEST_IGNORE

COLLECTOR = "perm.collector@example.com"
COLLECTOR_2 = "perm.collector2@example.com"
ANALYST = "perm.analyst@example.com"
SECOND_COMPANY = "_Test Churn Second Company"


def give_case(customer: str, user: str, company: str | None = None) -> str:
	"""Hand the customer's open case (in the company) to the collector, as a reassignment on the desk does."""
	case = frappe.db.get_value(
		"Debt Case", {"customer": customer, "company": company or get_company(), "status": "Open"}
	)
	frappe.db.set_value("Debt Case", case, {"collector": user, "_assign": frappe.as_json([user])})
	return case


def dunning_of(customer: str) -> str:
	return frappe.db.get_value("Dunning", {"customer": customer})


class TestCollectorPermissions(DebtTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(COLLECTOR, ["Debt Collector"])
		make_user(COLLECTOR_2, ["Debt Collector"])
		make_user(ANALYST, ["Churn Analyst"])
		cls.second_company = make_company(SECOND_COMPANY, "_TCS")
		# two debtors in the reminder stage (a Dunning each), one per collector
		cls.mine, cls.theirs = make_customer(), make_customer()
		make_sales_invoice(cls.mine, 3, 700)
		make_sales_invoice(cls.theirs, 3, 900)
		run_debt_job()
		give_case(cls.mine, COLLECTOR)
		give_case(cls.theirs, COLLECTOR_2)

	def limit_to_company(self, user: str, company: str) -> None:
		"""A User Permission on Company, as the administrator sets it; removed after the test."""
		add_user_permission("Company", company, user, ignore_permissions=True)
		name = frappe.db.get_value(
			"User Permission", {"user": user, "allow": "Company", "for_value": company}
		)
		self.addCleanup(frappe.delete_doc, "User Permission", name, ignore_permissions=True, force=True)

	def report_customers(self, company: str | None = None) -> list[str]:
		filters = {"company": company or get_company(), "report_date": nowdate(), "exclude_disputed": 1}
		result = run_report("Debtors", filters=filters)["result"]
		return [row["customer"] for row in result if isinstance(row, dict) and row.get("customer")]

	def test_a_collector_reads_only_the_dunnings_of_their_cases(self):
		mine, theirs = dunning_of(self.mine), dunning_of(self.theirs)
		self.assertTrue(mine and theirs)
		frappe.set_user(COLLECTOR)
		visible = frappe.get_list("Dunning", pluck="name")
		self.assertIn(mine, visible)
		self.assertNotIn(theirs, visible)
		self.assertTrue(frappe.has_permission("Dunning", "read", mine))
		self.assertFalse(frappe.has_permission("Dunning", "read", theirs))

	def test_a_collector_opens_their_debtors_customer_card_and_no_other(self):
		frappe.set_user(COLLECTOR)
		getdoc("Customer", self.mine)
		self.assertEqual(frappe.response.docs[-1].name, self.mine)
		self.assertRaises(frappe.PermissionError, getdoc, "Customer", self.theirs)
		visible = frappe.get_list("Customer", pluck="name")
		self.assertIn(self.mine, visible)
		self.assertNotIn(self.theirs, visible)

	def test_the_debtors_report_opens_for_a_collector_with_their_debtors(self):
		frappe.set_user(COLLECTOR)
		customers = self.report_customers()
		self.assertIn(self.mine, customers)
		self.assertNotIn(self.theirs, customers)

	def test_the_debtors_report_keeps_to_the_company_a_user_permission_allows(self):
		# my debtor owes in the second company too: that debt is not the collector's to see
		make_sales_invoice(self.mine, 20, 400, company=self.second_company)
		self.limit_to_company(COLLECTOR, get_company())
		self.limit_to_company(ANALYST, get_company())
		for user in (ANALYST, COLLECTOR):
			frappe.set_user(user)
			self.assertIn(self.mine, self.report_customers())
			self.assertRaises(frappe.PermissionError, self.report_customers, self.second_company)

	def test_a_collector_limited_to_one_company_is_never_given_another_companys_case(self):
		# only these two collectors work, each limited to their company
		others = [user for user in collector_users() if user not in (COLLECTOR, COLLECTOR_2)]
		if others:
			frappe.db.set_value("User", {"name": ("in", others)}, "enabled", 0)
			self.addCleanup(frappe.db.set_value, "User", {"name": ("in", others)}, "enabled", 1)
		self.limit_to_company(COLLECTOR, get_company())
		self.limit_to_company(COLLECTOR_2, self.second_company)
		home = [make_customer() for _i in range(2)]
		away = [make_customer() for _i in range(2)]
		for customer in home:
			make_sales_invoice(customer, 8, 500)
		for customer in away:
			make_sales_invoice(customer, 8, 500, company=self.second_company)
		run_debt_job()
		for customers, company, collector in (
			(home, get_company(), COLLECTOR),
			(away, self.second_company, COLLECTOR_2),
		):
			for customer in customers:
				case = frappe.db.get_value(
					"Debt Case",
					{"customer": customer, "company": company, "status": "Open"},
					["collector", "_assign"],
					as_dict=True,
				)
				self.assertEqual(case.collector, collector, customer)
				self.assertEqual(frappe.parse_json(case._assign), [collector])
		self.assertTrue(open_case_of(away[0]))
