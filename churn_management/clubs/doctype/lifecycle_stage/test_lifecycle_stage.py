# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.clubs.doctype.lifecycle_stage.lifecycle_stage import (
	StageRuleError,
	ensure_preset_stages,
	get_rules,
)
from churn_management.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


def make_stage(name, order, save=True, **rule):
	doc = frappe.get_doc({"doctype": "Lifecycle Stage", "stage_name": name, "stage_order": order, **rule})
	if save:
		doc.insert(ignore_permissions=True)
	return doc


class TestLifecycleStage(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_preset_stages()

	def test_presets_in_order_with_zero_kept_as_a_bound(self):
		rules = [r for r in get_rules() if not r.stage.startswith("_Test")]
		self.assertEqual(
			[r.stage for r in rules],
			[
				"Lapsed",
				"Newcomer",
				"Recently renewed",
				"Starter package in progress",
				"Inactive",
				"Reactivated",
				"Renewal window",
				"Engaged",
			],
		)
		window = next(r for r in rules if r.stage == "Renewal window")
		self.assertEqual((window.days_to_end_min, window.days_to_end_max), (0, 30))
		newcomer = next(r for r in rules if r.stage == "Newcomer")
		self.assertIs(newcomer.renewed, False)
		self.assertIsNone(newcomer.days_since_start_min)

	def test_a_shared_order_is_refused(self):
		doc = make_stage("_Test Busy", 80, save=False, visit_window_days="7", visits_min="5")
		with self.assertRaises(StageRuleError) as caught:
			doc.insert()
		self.assertIn("share the order 80", str(caught.exception))

	def test_bounds_no_member_can_meet_are_refused(self):
		doc = make_stage("_Test Odd", 85, save=False, days_since_start_min="30", days_since_start_max="10")
		self.assertRaises(StageRuleError, doc.insert)

	def test_a_bound_must_be_a_whole_number(self):
		doc = make_stage("_Test Words", 86, save=False, visits_min="two")
		self.assertRaises(StageRuleError, doc.insert)

	def test_a_rule_taking_everyone_before_others_is_refused(self):
		doc = make_stage("_Test Everyone", 5, save=False)
		with self.assertRaises(StageRuleError) as caught:
			doc.insert()
		self.assertIn("can never be reached", str(caught.exception))

	def test_visits_need_a_window(self):
		doc = make_stage("_Test No Window", 87, save=False, visits_min="3")
		self.assertRaises(StageRuleError, doc.insert)

	def test_the_catch_all_has_no_rule_and_is_alone(self):
		doc = make_stage("_Test Rest", 2000, save=False, is_catch_all=1, visits_min="1")
		self.assertRaises(StageRuleError, doc.insert)
		second = make_stage("_Test Rest 2", 2001, save=False, is_catch_all=1)
		self.assertRaises(StageRuleError, second.insert)

	def test_a_new_stage_in_order_is_read(self):
		make_stage("_Test Regulars", 75, visit_window_days="28", visits_min="12")
		self.assertIn("_Test Regulars", [r.stage for r in get_rules()])

	def test_only_heads_edit_stages(self):
		for role, write in (("Retention Head", True), ("Club Manager", False), ("Churn Analyst", False)):
			user = f"{role.lower().replace(' ', '.')}.stages@example.com"
			from churn_management.tests.utils import make_user

			make_user(user, [role])
			frappe.set_user(user)
			self.assertTrue(frappe.has_permission("Lifecycle Stage", "read", "Newcomer"), role)
			self.assertEqual(frappe.has_permission("Lifecycle Stage", "write", "Newcomer"), write, role)
			frappe.set_user("Administrator")
