# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import unittest

import frappe

from churn_management.management.site_data import ManagementFilterError
from churn_management.tests.churn_report_utils import (
	ANALYST,
	COMPANY,
	ManagementReportTestCase,
)
from churn_management.tests.retention_utils import RETENTION_TEST_IGNORE

test_ignore = RETENTION_TEST_IGNORE
REPORT = "Churn Report"


class TestChurnReport(ManagementReportTestCase):
	report = REPORT

	def months(self, result: dict) -> dict:
		return {row["month"]: row for row in result["result"]}

	def test_monthly_churn_and_revenue_churn_as_the_head(self):
		months = self.months(self.result())
		self.assertEqual(list(months), [f"2026-{m:02d}" for m in range(1, 11)])
		self.assertEqual([months[m]["start_active"] for m in months], [5, 6, 6, 5, 5, 3, 2, 2, 2, 2])
		self.assertEqual([months[m]["churned"] for m in months], [0, 0, 1, 0, 2, 1, 0, 0, 0, 0])
		self.assertAlmostEqual(months["2026-05"]["rate"], 40.0)
		self.assertEqual(months["2026-06"]["start_mrr"], 2500)
		self.assertEqual(months["2026-05"]["lost_mrr"], 3000)
		self.assertAlmostEqual(months["2026-05"]["mrr_rate"], 54.55, places=2)

	def test_kinds_orders_and_reason_groups_per_month_as_the_analyst(self):
		result = self.result(ANALYST)
		months = self.months(result)
		may, june = months["2026-05"], months["2026-06"]
		self.assertEqual((may["voluntary"], may["involuntary"]), (1, 1))
		self.assertEqual((june["primary"], june["secondary"]), (0, 1))
		labels = {c["fieldname"]: c["label"] for c in result["columns"]}
		groups = {labels[k]: v for k, v in june.items() if k.startswith("group_")}
		self.assertEqual(groups["_Test Reports Price"], 1)
		self.assertEqual(groups["_Test Reports Life"], 0)

	def test_summary_gives_the_period_averages(self):
		cards = {card["label"]: card["value"] for card in self.result()["report_summary"]}
		self.assertAlmostEqual(cards["Average Monthly Churn %"], round(4 / 38 * 100, 2))
		self.assertAlmostEqual(cards["Average Monthly Revenue Churn %"], round(5000 / 38500 * 100, 2))
		self.assertEqual(cards["Churned in the Period"], 4)
		self.assertEqual((cards["Voluntary"], cards["Involuntary"], cards["Secondary"]), (3, 1, 1))

	def test_chart_shows_churned_per_month(self):
		chart = self.result()["chart"]
		self.assertEqual(chart["data"]["datasets"][0]["values"], [0, 0, 1, 0, 2, 1, 0, 0, 0, 0])

	def test_tariff_and_customer_type_filters(self):
		only_c = self.months(self.result(tariff="_Test Churn Monthly 2000"))
		self.assertEqual(only_c["2026-05"]["churned"], 1)
		self.assertEqual(only_c["2026-01"]["start_active"], 1)
		b2b = self.months(self.result(customer_type="B2B"))
		self.assertEqual(b2b["2026-05"]["involuntary"], 1)
		self.assertEqual(sum(row["churned"] for row in b2b.values()), 1)

	def test_no_plan_columns_without_a_submitted_plan(self):
		fieldnames = {column["fieldname"] for column in self.result()["columns"]}
		self.assertNotIn("planned_churn", fieldnames)

	@unittest.skipUnless(frappe.db.table_exists("Retention Plan Month"), "needs i17-plan's Retention Plan")
	def test_months_against_the_submitted_plan(self):
		plan = frappe.get_doc(
			{
				"doctype": "Retention Plan",
				"name": "_Test Reports Plan 2026",
				"company": COMPANY,
				"year": 2026,
				"docstatus": 1,
				"months": [{"month": 5, "forecast_churn": 1.5}, {"month": 6, "forecast_churn": 2}],
			}
		)
		plan.db_insert()  # as submitted, without generating it from the history
		self.addCleanup(frappe.db.delete, "Retention Plan", {"name": plan.name})
		self.addCleanup(frappe.db.delete, "Retention Plan Month", {"parent": plan.name})
		for row in plan.months:
			row.update({"parent": plan.name, "parenttype": "Retention Plan", "parentfield": "months"})
			row.db_insert()
		result = self.result()
		months = self.months(result)
		self.assertEqual((months["2026-05"]["planned_churn"], months["2026-05"]["against_plan"]), (1.5, 0.5))
		self.assertEqual((months["2026-06"]["planned_churn"], months["2026-06"]["against_plan"]), (2, -1))
		self.assertIsNone(months["2026-07"]["planned_churn"])
		self.assertEqual(result["chart"]["data"]["datasets"][1]["values"][4:6], [1.5, 2])
		self.assertNotIn("planned_churn", self.months(self.result(customer_type="B2C"))["2026-05"])

	def test_other_roles_are_refused(self):
		self.assert_refused()

	def test_bad_filters_say_what_is_wrong(self):
		for filters, words in (
			({"from_date": "2026-11-01"}, "after its end"),
			({"to_date": "2999-01-01"}, "has not come yet"),
			({"customer_type": "Martian"}, "B2B or B2C"),
			({"territory": "_No Such Territory"}, "Territory _No Such Territory does not exist"),
			({"tariff": "_No Such Plan"}, "Tariff _No Such Plan does not exist"),
			({"company": "_No Such Company"}, "does not exist"),
		):
			with self.subTest(filters=filters):
				with self.assertRaisesRegex(ManagementFilterError, words):
					self.result(**filters)

	def test_a_company_the_user_may_not_see_is_refused(self):
		frappe.get_doc(
			{"doctype": "User Permission", "user": ANALYST, "allow": "Company", "for_value": COMPANY}
		).insert(ignore_permissions=True)
		other = frappe.db.get_value("Company", {"name": ("!=", COMPANY)}, "name")
		self.assertRaises(frappe.PermissionError, self.result, ANALYST, company=other)
		self.assertTrue(self.result(ANALYST)["result"])
