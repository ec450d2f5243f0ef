# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.customer_service.doctype.customer_service_settings.customer_service_settings import (
	CustomerServiceSettingsError,
	covered_territories,
	out_of_coverage_reason,
)
from churn_management.tests.application_utils import (
	APPLICATION_TEST_IGNORE,
	COVERED,
	COVERED_DISTRICT,
	DESK,
	FAR_AWAY,
	HEAD,
	make_cs_users,
	set_cs_settings,
)
from churn_management.tests.utils import make_reason, make_reason_group

test_ignore = APPLICATION_TEST_IGNORE


class TestCustomerServiceSettings(FrappeTestCase):
	def setUp(self):
		make_cs_users()
		set_cs_settings()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # each test starts from the class's clean state

	def test_the_coverage_area_takes_the_territories_under_it(self):
		covered = covered_territories()
		self.assertTrue({COVERED, COVERED_DISTRICT} <= covered)
		self.assertNotIn(FAR_AWAY, covered)

	def test_the_preset_reason_is_found_by_its_key_not_its_words(self):
		group = make_reason_group("_Test Группа без управления", managed=0).name
		reason = make_reason("_Test Уехал из зоны охраны", group=group, managed=0).name
		frappe.db.set_value(
			"Churn Reason", reason, "preset_key", "security:reason:moved-out-of-the-rapid-response-area"
		)
		self.assertEqual(out_of_coverage_reason(), reason)
		chosen = make_reason("_Test Другая причина", group=group, managed=0).name
		set_cs_settings(out_of_coverage_reason=chosen)
		self.assertEqual(out_of_coverage_reason(), chosen)

	def test_a_managed_reason_or_a_fee_without_item_is_refused(self):
		managed = make_reason("_Test Управляемая причина", managed=1).name
		self.assertRaises(CustomerServiceSettingsError, set_cs_settings, out_of_coverage_reason=managed)
		self.assertRaises(
			CustomerServiceSettingsError, set_cs_settings, relocation_fee_item=None, relocation_fee_amount=100
		)

	def test_only_the_retention_head_changes_the_settings(self):
		settings = frappe.get_single("Customer Service Settings")
		self.assertTrue(frappe.has_permission(settings.doctype, "write", user=HEAD))
		self.assertFalse(frappe.has_permission(settings.doctype, "write", user=DESK))
		self.assertTrue(frappe.has_permission(settings.doctype, "read", user=DESK))
