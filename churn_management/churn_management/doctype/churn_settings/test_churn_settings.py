# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.analytics.presets import load_preset, reason_rows
from churn_management.churn_management.doctype.churn_settings.churn_settings import ThresholdError
from churn_management.tests.utils import TEST_IGNORE, make_user

test_ignore = TEST_IGNORE

HEAD = "churn.head@example.com"
DESK = "churn.desk@example.com"


class TestChurnSettings(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(HEAD, ["Retention Head"])
		make_user(DESK, ["Termination Desk"])

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_preset_creates_the_classifier_once_and_keeps_user_changes(self):
		preset = load_preset("security")
		settings = frappe.get_single("Churn Settings")
		settings.load_classifier_preset("Security monitoring", "English")
		reasons = reason_rows(preset)
		for reason in reasons:
			self.assertTrue(frappe.db.exists("Churn Reason", reason["reason_name"]), reason["reason_name"])
			self.assertFalse(frappe.db.get_value("Churn Reason", reason["reason_name"], "is_group"))
		for group in preset["groups"]:
			self.assertTrue(frappe.db.get_value("Churn Reason", group["group_name"], "is_group"))
			module = frappe.get_doc("Speech Module", group["speech_module"]["title"])
			self.assertGreaterEqual(len(module.steps), 5)
		for method in preset["methods"]:
			self.assertTrue(frappe.db.exists("Retention Method", method["method_name"]))
		first = reasons[0]["reason_name"]
		frappe.db.set_value("Churn Reason", first, "target_share", 42)
		counts = {
			d: frappe.db.count(d) for d in ("Churn Reason", "Retention Method", "Speech Module", "Competitor")
		}
		again = frappe.get_single("Churn Settings").load_classifier_preset("Security monitoring", "English")
		self.assertEqual({k: v for k, v in again.items() if k != "non_payment_reason"}, {})
		self.assertEqual(counts, {d: frappe.db.count(d) for d in counts})
		self.assertEqual(frappe.db.get_value("Churn Reason", first, "target_share"), 42)
		non_payment = frappe.db.get_single_value("Churn Settings", "non_payment_reason")
		self.assertTrue(frappe.db.get_value("Churn Reason", non_payment, "is_non_payment"))

	def test_methods_of_a_reason_come_with_planned_conversion(self):
		frappe.get_single("Churn Settings").load_classifier_preset("Internet & cable TV", "English")
		preset = load_preset("isp")
		managed = next(r for r in reason_rows(preset) if r["methods"])
		reason = frappe.get_doc("Churn Reason", managed["reason_name"])
		self.assertEqual(
			{row.retention_method: row.planned_conversion for row in reason.methods},
			{m["method_name"]: m["planned_conversion"] for m in managed["methods"]},
		)

	def test_russian_preset(self):
		frappe.get_single("Churn Settings").load_classifier_preset("Fitness club", "Russian")
		preset = load_preset("fitness", "ru")
		self.assertTrue(frappe.db.exists("Churn Reason", preset["groups"][0]["group_name"]))

	def test_thresholds_are_validated(self):
		settings = frappe.get_single("Churn Settings")
		settings.churn_after_months = 0
		with self.assertRaises(ThresholdError):
			settings.save()
		settings.reload()
		settings.pre_churn_days = 200
		with self.assertRaises(ThresholdError):
			settings.save()

	def test_only_the_head_changes_settings(self):
		frappe.set_user(DESK)
		self.assertFalse(frappe.has_permission("Churn Settings", "write"))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_single("Churn Settings").load_classifier_preset("Security monitoring", "English")
		self.assertFalse(frappe.has_permission("Churn Reason", "create"))
		frappe.set_user(HEAD)
		self.assertTrue(frappe.has_permission("Churn Settings", "write"))
		self.assertTrue(frappe.has_permission("Churn Reason", "create"))
