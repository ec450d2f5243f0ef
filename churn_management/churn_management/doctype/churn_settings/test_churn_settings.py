# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.analytics.churn.presets import load_preset, reason_rows
from churn_management.churn_management.doctype.churn_reason.churn_reason import ReasonInUseError
from churn_management.churn_management.doctype.churn_settings.churn_settings import ThresholdError
from churn_management.churn_management.doctype.churn_settings.classifier_preset import PresetConflictError
from churn_management.tests.utils import CHURN_ANALYST as ANALYST
from churn_management.tests.utils import CHURN_DESK as DESK
from churn_management.tests.utils import CHURN_HEAD as HEAD
from churn_management.tests.utils import (
	TEST_IGNORE,
	make_churn_users,
	make_customer,
	make_termination_application,
)

test_ignore = TEST_IGNORE


class TestChurnSettings(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_churn_users()

	def setUp(self):
		frappe.db.savepoint("preset_test")
		# each test starts from a site without a loaded preset (a site keeps one classifier)
		reason = frappe.qb.DocType("Churn Reason")
		frappe.qb.update(reason).set(reason.preset_key, None).run()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="preset_test")

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

	def test_a_renamed_reason_is_not_created_again(self):
		settings = frappe.get_single("Churn Settings")
		settings.load_classifier_preset("Security monitoring", "English")
		first = reason_rows(load_preset("security"))[0]
		frappe.rename_doc("Churn Reason", first["reason_name"], "_Test Our own wording", force=True)
		count = frappe.db.count("Churn Reason")
		created = frappe.get_single("Churn Settings").load_classifier_preset("Security monitoring", "English")
		self.assertNotIn("Churn Reason", created)
		self.assertEqual(frappe.db.count("Churn Reason"), count)
		self.assertFalse(frappe.db.exists("Churn Reason", first["reason_name"]))

	def test_the_second_language_gives_no_second_classifier(self):
		settings = frappe.get_single("Churn Settings")
		settings.load_classifier_preset("Security monitoring", "English")
		counts = {d: frappe.db.count(d) for d in ("Churn Reason", "Retention Method", "Speech Module")}
		preview = frappe.get_single("Churn Settings").preview_classifier_preset(
			"Security monitoring", "Russian"
		)
		self.assertEqual(sum(c.get("create", 0) for c in preview.values()), 0)
		frappe.get_single("Churn Settings").load_classifier_preset("Security monitoring", "Russian")
		self.assertEqual(counts, {d: frappe.db.count(d) for d in counts})
		self.assertEqual(
			frappe.db.count("Churn Reason", {"is_non_payment": 1, "preset_key": ("is", "set")}), 1
		)

	def test_a_second_vertical_is_refused(self):
		frappe.get_single("Churn Settings").load_classifier_preset("Security monitoring", "English")
		with self.assertRaises(PresetConflictError):
			frappe.get_single("Churn Settings").load_classifier_preset("Fitness club", "English")

	def test_a_reason_in_use_cannot_become_a_group(self):
		app = make_termination_application(customer=make_customer())
		reason = frappe.get_doc("Churn Reason", app.churn_reason)
		reason.is_group = 1
		with self.assertRaises(ReasonInUseError):
			reason.save()

	def test_the_analyst_cannot_load_presets(self):
		frappe.set_user(ANALYST)
		self.assertFalse(frappe.has_permission("Churn Settings", "write"))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_single("Churn Settings").preview_classifier_preset("Security monitoring", "English")
