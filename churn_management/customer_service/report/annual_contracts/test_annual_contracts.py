# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The Annual Contracts report: contracts ending per month and per seller, renewed, lapsed, the renewal
rate, only the companies the user may read."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from churn_management.customer_service.report.annual_contracts.annual_contracts import execute
from churn_management.tests.contract_utils import (
	CONTRACT_TEST_IGNORE,
	DESK,
	HEAD,
	limit_to_company,
	make_contract,
	make_contract_users,
)
from churn_management.tests.utils import get_company, make_company

SECOND_COMPANY = "_Test Churn Second Company"

test_ignore = CONTRACT_TEST_IGNORE


class TestAnnualContractsReport(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_contract_users()
		make_company(SECOND_COMPANY, "_TCS")
		frappe.set_user(DESK)
		# three contracts ending the same day: one renewed, one lapsed, one still running
		cls.renewed = make_contract(days_ago=200)
		cls.lapsed = make_contract(days_ago=200)
		cls.running = make_contract(days_ago=200)
		frappe.get_doc("Annual Contract", cls.renewed.renew()).submit()
		frappe.set_user("Administrator")
		frappe.get_doc("Annual Contract", cls.lapsed.name).lapse()
		cls.end = getdate(cls.renewed.end_date)

	def tearDown(self):
		frappe.set_user("Administrator")

	def report(self, group_by: str = "Month"):
		return execute(
			{"company": get_company(), "from_date": self.end, "to_date": self.end, "group_by": group_by}
		)

	def test_contracts_ending_per_month_with_the_renewal_rate(self):
		frappe.set_user(HEAD)
		columns, data, _message, chart, summary = self.report()
		self.assertEqual(len(data), 1)
		row = data[0]
		self.assertEqual(row["month"], self.end.strftime("%Y-%m"))
		self.assertGreaterEqual(row["contracts"], 3)
		self.assertGreaterEqual(row["renewed"], 1)
		self.assertGreaterEqual(row["lapsed"], 1)
		self.assertEqual(chart["data"]["labels"], [row["month"]])
		self.assertEqual(next(c["fieldname"] for c in columns), "month")
		self.assertEqual(summary[0]["value"], row["contracts"])

	def test_the_rate_counts_renewed_of_decided(self):
		frappe.set_user(DESK)
		_c, data, *_rest = self.report()
		row = data[0]
		self.assertEqual(
			row["renewal_rate"], round(100 * row["renewed"] / (row["renewed"] + row["lapsed"]), 1)
		)

	def test_contracts_per_seller(self):
		_c, data, *_rest = self.report("Seller")
		sellers = {row["sold_by"]: row for row in data}
		self.assertIn(DESK, sellers)
		self.assertGreaterEqual(sellers[DESK]["contracts"], 3)

	def test_a_user_limited_to_another_company_sees_none_of_them(self):
		limit_to_company(self, HEAD, SECOND_COMPANY)
		frappe.set_user(HEAD)
		_c, data, *_rest = self.report()
		self.assertEqual(data, [])
