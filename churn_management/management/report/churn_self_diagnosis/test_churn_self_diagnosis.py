# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import contextlib
import io
import json
import tempfile
from pathlib import Path

from openpyxl import load_workbook

import frappe

from churn_management import cli
from churn_management.management.api.diagnosis_workbook import download_workbook
from churn_management.management.site_data import export_tables
from churn_management.management.site_data import report_filters as checked_filters
from churn_management.tests.churn_report_utils import (
	ANALYST,
	AS_OF,
	EXPENSIVE,
	FROM_DATE,
	ManagementReportTestCase,
	report_filters,
)
from churn_management.tests.retention_utils import RETENTION_TEST_IGNORE

test_ignore = RETENTION_TEST_IGNORE
REPORT = "Churn Self-Diagnosis"


class TestChurnSelfDiagnosis(ManagementReportTestCase):
	report = REPORT

	def items(self, result: dict) -> dict:
		return {row["item"]: row for row in result["result"] if row.get("indent")}

	def test_headline_figures_as_the_head(self):
		items = self.items(self.result())
		self.assertEqual(items["Customers"]["customers"], 6)
		self.assertEqual(items["With Us"]["customers"], 2)
		self.assertEqual(items["Overdue"]["customers"], 1)
		self.assertEqual(items["Churned"]["customers"], 4)
		self.assertEqual((items["Involuntary"]["customers"], items["Secondary"]["customers"]), (1, 1))
		self.assertAlmostEqual(items["Average Monthly Churn"]["share"], round(4 / 38 * 100, 2))
		self.assertAlmostEqual(items["Managed Share of Classified Churn"]["share"], 66.67)
		self.assertEqual(items["Managed Churn over Target"]["excess"], 1.6)
		self.assertEqual(items[EXPENSIVE]["target"], 10.0)

	def test_sections_of_the_whole_diagnosis_as_the_analyst(self):
		sections = [row["item"] for row in self.result(ANALYST)["result"] if not row.get("indent")]
		self.assertEqual(
			sections,
			[
				"Summary",
				"Reasons",
				"Reason Groups",
				"Seasonality",
				"Cohorts",
				"Lifetime",
				"What Lifetime Depends On",
			],
		)

	def test_same_figures_as_churn_analytics_diagnose_on_an_export_of_the_site(self):
		"""Export the site's data as the CLI's CSV files, run `churn-analytics diagnose`, compare."""
		report = self.result()
		items = self.items(report)
		cards = {card["label"]: card["value"] for card in report["report_summary"]}
		thresholds = frappe.get_cached_doc("Churn Settings")
		with tempfile.TemporaryDirectory() as folder:
			exports = Path(folder) / "exports"
			exports.mkdir()
			export_tables(checked_filters(report_filters()), exports)
			argv = [
				"diagnose",
				str(exports),
				"--as-of",
				AS_OF,
				"--period",
				f"{FROM_DATE}..{AS_OF}",
				"--out",
				f"{folder}/diagnosis.xlsx",
				"--json",
				f"{folder}/diagnosis.json",
				"--churn-after-months",
				str(thresholds.churn_after_months or 3),
				"--pre-churn-days",
				str(thresholds.pre_churn_days or 30),
				"--lang",
				"en",
				"--quiet",
			]
			with contextlib.redirect_stdout(io.StringIO()):
				self.assertEqual(cli.main(argv), 0)
			cli_result = json.loads(Path(folder, "diagnosis.json").read_text())

		def pct(value):
			return None if value is None else round(value * 100, 2)

		self.assertEqual(items["Customers"]["customers"], cli_result["customers"])
		self.assertEqual(items["With Us"]["customers"], cli_result["active"])
		self.assertEqual(items["Churned"]["customers"], cli_result["churned"])
		for state in ("overdue", "pre_churn"):
			label = {"overdue": "Overdue", "pre_churn": "Pre-churn"}[state]
			self.assertEqual(items[label]["customers"], cli_result["states"][state])
		for kind, label in (("voluntary", "Voluntary"), ("involuntary", "Involuntary")):
			self.assertEqual(items[label]["customers"], cli_result["churn_kinds"].get(kind, 0))
		for order, label in (("primary", "Primary"), ("secondary", "Secondary")):
			self.assertEqual(items[label]["customers"], cli_result["churn_orders"].get(order, 0))
		self.assertEqual(
			items["Average Monthly Churn"]["share"], pct(cli_result["average_monthly_churn_rate"])
		)
		self.assertEqual(
			items["Average Monthly Revenue Churn"]["share"], pct(cli_result["average_monthly_mrr_churn_rate"])
		)
		self.assertEqual(
			items["Managed Share of Classified Churn"]["share"], pct(cli_result["managed_share"])
		)
		self.assertAlmostEqual(
			items["Managed Churn over Target"]["excess"], cli_result["managed"]["potential_customers"]
		)
		self.assertAlmostEqual(
			items["Managed Churn over Target"]["revenue"], cli_result["managed"]["potential_mrr"]
		)
		for reason in cli_result["reasons"]:
			row = items[reason["reason"]]
			self.assertEqual((row["customers"], row["share"]), (reason["churned"], pct(reason["share"])))
			self.assertEqual(row["excess"], reason["excess"])
		for cohort, values in cli_result["cohorts"].items():
			self.assertEqual(items[cohort]["customers"], values["customers"])
		overall = cli_result["segments"]["(all)"]["(all)"]
		self.assertEqual(cards["Median Lifetime, Months"], overall["median_lifetime_months"])
		self.assertEqual(items["All Customers"]["after_12"], pct(overall["survival_12m"]))
		self.assertEqual(
			[row["share"] for row in report["result"] if row.get("item") == "March"],
			[pct(cli_result["seasonal_index"][2]["mean_rate"])],
		)

	def test_workbook_download_is_the_cli_workbook_in_the_users_language(self):
		frappe.set_user(ANALYST)
		frappe.local.lang = "ru"
		download_workbook(json.dumps(report_filters()))
		self.assertEqual(frappe.response.type, "binary")
		book = load_workbook(io.BytesIO(frappe.response.filecontent))
		self.assertIn("Причины", book.sheetnames)
		self.assertEqual(book.properties.creator, "churn-analytics")

	def test_other_roles_get_neither_report_nor_workbook(self):
		self.assert_refused()
		self.assertRaises(frappe.PermissionError, download_workbook, json.dumps(report_filters()))

	def test_is_a_prepared_report(self):
		self.assertTrue(frappe.db.get_value("Report", REPORT, "prepared_report"))
