# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe

from churn_management.retention.doctype.retention_settings.retention_settings import (
	AssigneeRoleError,
	RetentionSettingsError,
	load_task_rule_preset,
	minutes_per_task,
	value_and_priority,
)
from churn_management.tests.retention_utils import (
	HEAD,
	MANAGER,
	OUTSIDER,
	RETENTION_TEST_IGNORE,
	RetentionTestCase,
)
from churn_management.tests.utils import TEST_IGNORE

test_ignore = RETENTION_TEST_IGNORE


class TestRetentionSettings(RetentionTestCase):
	def settings(self, **values):
		doc = frappe.get_single("Retention Settings")
		doc.update(values)
		return doc

	def test_negative_minutes_are_refused(self):
		self.assertRaises(RetentionSettingsError, self.settings(minutes_win_back=-5).save)

	def test_medium_priority_below_high(self):
		self.assertRaises(
			RetentionSettingsError, self.settings(high_priority_from=1000, medium_priority_from=5000).save
		)

	def test_only_retention_staff_have_capacity(self):
		doc = self.settings()
		doc.set("managers", [{"user": OUTSIDER, "minutes_per_day": 300}])
		self.assertRaises(AssigneeRoleError, doc.save)

	def test_value_priority_and_minutes(self):
		self.settings(
			monthly_churn_rate=5,
			max_lifetime_months=120,
			high_priority_from=20000,
			medium_priority_from=5000,
			minutes_prevention=12,
		).save()
		frappe.clear_document_cache("Retention Settings", "Retention Settings")
		# 5 % monthly churn -> 20 months; 600 x 20 = 12,000 -> Medium
		self.assertEqual(value_and_priority(600), (12000, "Medium"))
		self.assertEqual(minutes_per_task("Prevention"), 12)

	def test_preset_rules_load_once_per_vertical(self):
		frappe.set_user(HEAD)
		created = load_task_rule_preset("Fitness club", "English")
		self.assertEqual(created, 9)
		self.assertEqual(load_task_rule_preset("Fitness club", "English"), 0)
		rule = frappe.get_doc("Retention Task Rule", "Reactivation of an inactive member")
		self.assertEqual((rule.trigger, rule.days, rule.customer_type), ("Member inactive N days", 21, "B2C"))
		self.assertEqual(load_task_rule_preset("Security monitoring", "Russian"), 9)
		rule = frappe.get_doc("Retention Task Rule", "Профилактический звонок по нерешённой жалобе")
		self.assertEqual((rule.trigger, rule.task_type), ("Complaint unresolved N days", "Prevention"))
		self.assertTrue(frappe.db.exists("Retention Task Rule", "Звонок на возврат после ухода"))

	def test_a_manager_cannot_change_settings(self):
		self.assertFalse(frappe.has_permission("Retention Settings", "write", user=MANAGER))
		self.assertTrue(frappe.has_permission("Retention Settings", "write", user=HEAD))
