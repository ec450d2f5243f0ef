# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.desk.query_report import run

from churn_management.tests.churn_report_utils import (
	ANALYST,
	EXPENSIVE,
	HEAD,
	LIFE_GROUP,
	MOVED,
	PRICE_GROUP,
	ManagementReportTestCase,
	report_filters,
)
from churn_management.tests.retention_utils import RETENTION_TEST_IGNORE

test_ignore = RETENTION_TEST_IGNORE
REPORT = "Churn by Reason"


class TestChurnByReason(ManagementReportTestCase):
	report = REPORT

	def rows(self, user: str = HEAD) -> dict:
		return {row["reason"]: row for row in self.result(user)["result"]}

	def test_share_against_target_and_excess_as_the_head(self):
		rows = self.rows()
		expensive = rows[EXPENSIVE]  # 2 of 4 churned against a 10 % target: 1.6 customers too many
		self.assertEqual(
			(expensive["churned"], expensive["share"], expensive["target_share"]), (2, 50.0, 10.0)
		)
		self.assertEqual(expensive["deviation"], 40.0)
		self.assertEqual(expensive["excess"], 1.6)
		self.assertEqual(expensive["lost_mrr"], 2000)
		self.assertEqual(expensive["excess_mrr"], 1600)
		moved = rows[MOVED]  # 1 of 4 against 50 %: nothing over target
		self.assertEqual((moved["share"], moved["excess"], moved["excess_mrr"]), (25.0, 0.0, 0.0))
		self.assertEqual(rows["Non-payment"]["managed"], "Unknown")

	def test_groups_roll_up_their_reasons_as_the_analyst(self):
		rows = self.rows(ANALYST)
		self.assertEqual((rows[PRICE_GROUP]["indent"], rows[EXPENSIVE]["indent"]), (0, 1))
		self.assertEqual(rows[PRICE_GROUP]["churned"], 2)
		self.assertEqual(rows[LIFE_GROUP]["managed"], "No")

	def test_summary_gives_managed_share_and_potential(self):
		cards = {card["label"]: card["value"] for card in self.result()["report_summary"]}
		self.assertEqual(cards["Churned in the Period"], 4)
		self.assertAlmostEqual(cards["Managed Share of Classified Churn %"], 66.67)
		self.assertEqual(cards["Managed Churn over Target"], 1.6)
		self.assertEqual(cards["Its Monthly Revenue"], 1600)

	def test_a_shorter_period_counts_only_its_churn(self):
		frappe.set_user(HEAD)
		result = run(
			REPORT, report_filters(from_date="2026-05-01", to_date="2026-05-31"), ignore_prepared_report=True
		)
		rows = {row["reason"]: row for row in result["result"]}
		self.assertEqual((rows[MOVED]["churned"], rows[EXPENSIVE]["churned"]), (1, 0))

	def test_other_roles_are_refused(self):
		self.assert_refused()
