# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.management.doctype.motivation_scheme.motivation_scheme import (
	InvalidTierError,
	NegativeRateError,
	OverlappingSchemeError,
	OverlappingTiersError,
)
from churn_management.tests.motivation_utils import (
	EMPLOYEE,
	MOTIVATION_TEST_IGNORE,
	clear_motivation,
	make_motivation_users,
	make_scheme,
	month_start,
)
from churn_management.tests.retention_utils import HEAD
from churn_management.tests.utils import make_company

test_ignore = MOTIVATION_TEST_IGNORE
PER_UNIT = "Per unit above threshold"


class TestMotivationScheme(FrappeTestCase):
	def setUp(self):
		make_motivation_users()
		clear_motivation()
		frappe.set_user(HEAD)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_overlapping_thresholds_are_refused(self):
		components = [
			("Customers returned", PER_UNIT, 0, 10, 100),
			("Customers returned", PER_UNIT, 5, 0, 200),
		]
		with self.assertRaises(OverlappingTiersError):
			make_scheme("_Test Overlap", components=components)
		self.assertFalse(frappe.db.exists("Motivation Scheme", "_Test Overlap"))

	def test_negative_rate_is_refused(self):
		with self.assertRaises(NegativeRateError):
			make_scheme("_Test Negative", components=[("Debt collected", "Percent of amount", 0, 0, -2)])

	def test_band_ending_before_it_starts_is_refused(self):
		with self.assertRaises(InvalidTierError):
			make_scheme("_Test Order", components=[("Bonus cards issued", PER_UNIT, 10, 5, 100)])

	def test_adjacent_bands_are_accepted(self):
		components = [
			("Customers returned", PER_UNIT, 0, 10, 0),
			("Customers returned", PER_UNIT, 10, 0, 500),
		]
		self.assertEqual(len(make_scheme("_Test Bands", components=components).components), 2)

	def test_a_role_has_one_scheme_at_a_time_per_company(self):
		make_scheme("_Test First", valid_from=month_start(12), valid_to=month_start(2))
		with self.assertRaises(OverlappingSchemeError):
			make_scheme("_Test Second", valid_from=month_start(3))
		make_scheme("_Test Later", valid_from=month_start(1))
		make_scheme("_Test Other Role", role="Debt Collector", valid_from=month_start(3))
		frappe.set_user("Administrator")
		other = make_company("_Test Motivation Co B", "TMCB")
		frappe.set_user(HEAD)
		make_scheme("_Test Other Company", company=other, valid_from=month_start(3))

	def test_only_the_head_writes_schemes(self):
		frappe.set_user(EMPLOYEE)
		with self.assertRaises(frappe.PermissionError):
			make_scheme("_Test By Manager")
		frappe.set_user(HEAD)
		make_scheme("_Test By Head")
		frappe.set_user(EMPLOYEE)
		self.assertTrue(frappe.has_permission("Motivation Scheme", "read", "_Test By Head"))
		self.assertFalse(frappe.has_permission("Motivation Scheme", "write", "_Test By Head"))
