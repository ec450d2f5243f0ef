# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import unittest

import frappe

from churn_management.tests.churn_report_utils import (
	ANALYST,
	HEAD,
	ManagementReportTestCase,
)
from churn_management.tests.retention_utils import RETENTION_TEST_IGNORE

test_ignore = RETENTION_TEST_IGNORE
REPORT = "Subscriber Lifetime"


class TestSubscriberLifetime(ManagementReportTestCase):
	report = REPORT

	def rows(self, result: dict) -> dict:
		return {(row["segment"], row["value"]): row for row in result["result"]}

	def test_lifetime_per_customer_type_as_the_head(self):
		rows = self.rows(self.result())
		overall = rows[("All Customers", None)]
		self.assertEqual((overall["customers"], overall["churned"]), (6, 4))
		b2b = rows[("Customer Type", "B2B")]  # D: 5 months (01.12.25 - 01.05.26), then non-payment
		self.assertEqual((b2b["customers"], b2b["churned"], b2b["churn_share"]), (1, 1, 100.0))
		self.assertAlmostEqual(b2b["median"], 151 / (365.25 / 12), places=4)
		b2c = rows[("Customer Type", "B2C")]
		self.assertEqual((b2c["customers"], b2c["churned"]), (5, 3))

	def test_sales_channel_is_a_factor_and_curves_follow_the_choice_as_the_analyst(self):
		partner = frappe.get_doc(
			{"doctype": "Sales Partner", "partner_name": "_Test Reports Dealer", "commission_rate": 0}
		)
		partner = partner.insert(ignore_permissions=True, ignore_if_duplicate=True)
		frappe.db.set_value("Customer", self.customers["A"], "default_sales_partner", partner.name)
		result = self.result(ANALYST, curves_by="sales_channel")
		rows = self.rows(result)
		self.assertEqual(rows[("Sales Channel", partner.name)]["customers"], 1)
		self.assertEqual(rows[("Sales Channel", "(blank)")]["customers"], 5)
		names = [d["name"] for d in result["chart"]["data"]["datasets"]]
		self.assertEqual(sorted(names), sorted(["(blank)", partner.name]))
		self.assertEqual(result["chart"]["data"]["datasets"][0]["values"][0], 100.0)

	def test_too_few_churned_for_the_model_is_said_in_words(self):
		self.assertIn("differs reliably", self.result()["message"])

	@unittest.skipUnless(frappe.db.table_exists("Annual Contract"), "needs i16-contracts")
	def test_contract_type_is_a_factor_when_contracts_exist(self):
		values = {row["value"] for row in self.result()["result"] if row["segment"] == "Contract Type"}
		self.assertIn("Monthly", values)

	@unittest.skipUnless(
		frappe.db.has_column("Issue", "complaint_category") and frappe.db.table_exists("Service Outage"),
		"needs i16-complaints and i16-applications",
	)
	def test_complaints_and_outages_are_factors_when_kept(self):
		rows = self.rows(self.result())
		self.assertEqual(rows[("Complaints in 12 Months", "none")]["customers"], 6)
		self.assertEqual(rows[("Outages in 12 Months", "none")]["customers"], 6)

	def test_bad_curve_choice_and_other_roles_are_refused(self):
		self.assertRaises(frappe.ValidationError, self.result, HEAD, curves_by="shoe_size")
		self.assert_refused()
