# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.churn_management.doctype.churn_reason.churn_reason import (
	ParentNotGroupError,
	ReasonNotLeafError,
	TargetShareError,
	validate_leaf_reason,
)
from churn_management.tests.utils import TEST_IGNORE, make_reason, make_reason_group, make_retention_method

test_ignore = TEST_IGNORE


class TestChurnReason(FrappeTestCase):
	def test_reasons_form_a_tree_under_groups(self):
		group = make_reason_group("_Test Group Service")
		reason = make_reason("_Test Rude staff", group=group.name, managed=1, target_share=3)
		self.assertEqual(reason.parent_churn_reason, group.name)
		group.reload()
		self.assertLess(group.lft, reason.lft)
		self.assertGreater(group.rgt, reason.rgt)

	def test_a_reason_cannot_be_the_parent(self):
		group = make_reason_group("_Test Group Price")
		leaf = make_reason("_Test Too expensive", group=group.name)
		with self.assertRaises(ParentNotGroupError):
			make_reason("_Test Under a leaf", group=leaf.name)

	def test_target_share_is_a_percentage(self):
		group = make_reason_group("_Test Group Price")
		with self.assertRaises(TargetShareError):
			make_reason("_Test Bad share", group=group.name, target_share=140)

	def test_a_method_is_listed_once(self):
		group = make_reason_group("_Test Group Price")
		method = make_retention_method("_Test Discount 10%")
		with self.assertRaises(frappe.ValidationError):
			make_reason(
				"_Test Twice",
				group=group.name,
				methods=[
					{"retention_method": method.name, "planned_conversion": 10},
					{"retention_method": method.name, "planned_conversion": 20},
				],
			)

	def test_leaf_check(self):
		group = make_reason_group("_Test Group Quality")
		leaf = make_reason("_Test False alarms", group=group.name)
		validate_leaf_reason(leaf.name)
		with self.assertRaises(ReasonNotLeafError):
			validate_leaf_reason(group.name)
