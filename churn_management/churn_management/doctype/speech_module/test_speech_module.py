# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.tests.utils import TEST_IGNORE, make_reason, make_reason_group

test_ignore = TEST_IGNORE


def speech_module(title: str, group: str, first_step: str = "Opening"):
	return frappe.get_doc(
		{
			"doctype": "Speech Module",
			"title": title,
			"reason_group": group,
			"steps": [
				{"step_type": first_step, "text": "Good afternoon, this is the customer care service."},
				{"step_type": "Finding the true reason", "text": "What made you think about leaving?"},
			],
		}
	)


class TestSpeechModule(FrappeTestCase):
	def test_a_script_starts_with_an_opening(self):
		group = make_reason_group("_Test Group Service").name
		with self.assertRaises(frappe.ValidationError):
			speech_module("_Test Script wrong start", group, first_step="Offer").insert()
		self.assertTrue(speech_module("_Test Script service", group).insert().name)

	def test_belongs_to_a_reason_group(self):
		leaf = make_reason("_Test Rude staff", group=make_reason_group("_Test Group Service").name).name
		with self.assertRaises(frappe.ValidationError):
			speech_module("_Test Script on a leaf", leaf).insert()
