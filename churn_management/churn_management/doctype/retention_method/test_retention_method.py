# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.tests.utils import TEST_IGNORE, make_retention_method, make_user

test_ignore = TEST_IGNORE


class TestRetentionMethod(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_cost_and_conversion_are_checked(self):
		method = frappe.get_doc({"doctype": "Retention Method", "method_name": "_Test Bad cost", "cost": -1})
		with self.assertRaises(frappe.ValidationError):
			method.insert()
		method = frappe.get_doc(
			{"doctype": "Retention Method", "method_name": "_Test Bad conv", "planned_conversion": 120}
		)
		with self.assertRaises(frappe.ValidationError):
			method.insert()

	def test_desk_reads_methods_but_only_the_head_edits(self):
		method = make_retention_method("_Test Tariff change")
		frappe.set_user(make_user("churn.desk@example.com", ["Termination Desk"]))
		self.assertTrue(frappe.has_permission("Retention Method", "read", doc=method))
		self.assertFalse(frappe.has_permission("Retention Method", "write", doc=method))
		frappe.set_user(make_user("churn.head@example.com", ["Retention Head"]))
		self.assertTrue(frappe.has_permission("Retention Method", "write", doc=method))
