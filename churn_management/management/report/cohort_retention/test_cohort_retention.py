# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.desk.query_report import run

from churn_management.tests.churn_report_utils import (
	ANALYST,
	HEAD,
	ManagementReportTestCase,
	report_filters,
)
from churn_management.tests.retention_utils import RETENTION_TEST_IGNORE

test_ignore = RETENTION_TEST_IGNORE
REPORT = "Cohort Retention"


class TestCohortRetention(ManagementReportTestCase):
	report = REPORT

	def cohorts(self, user: str, **filters) -> dict:
		frappe.set_user(user)
		result = run(REPORT, report_filters(**filters), ignore_prepared_report=True)
		return {row["cohort"]: row for row in result["result"]}

	def test_november_cohort_as_the_head(self):
		november = self.cohorts(HEAD, from_date="2025-11-01")["2025-11"]
		# A, B, C, E started in November: B leaves in month 4 (March), C in 6 (May), E in 7 (June)
		self.assertEqual(november["customers"], 4)
		self.assertEqual([november[f"m{k}"] for k in (0, 4, 5, 6, 7, 8, 11)], [100, 100, 75, 75, 50, 25, 25])
		self.assertIsNone(november["m12"])  # not yet observable at the end of October 2026

	def test_cohorts_of_the_period_only_as_the_analyst(self):
		cohorts = self.cohorts(ANALYST)
		self.assertEqual(list(cohorts), ["2026-01"])
		self.assertEqual((cohorts["2026-01"]["customers"], cohorts["2026-01"]["m9"]), (1, 100))

	def test_is_a_prepared_report_for_the_three_roles_only(self):
		report = frappe.get_doc("Report", REPORT)
		self.assertTrue(report.prepared_report)
		self.assertEqual(
			{r.role for r in report.roles}, {"Retention Head", "Churn Analyst", "System Manager"}
		)
		self.assert_refused()
