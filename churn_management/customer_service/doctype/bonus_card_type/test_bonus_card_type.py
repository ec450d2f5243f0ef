# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A card type with points has one ERPNext Loyalty Program of its own, kept up to date."""

import frappe

from churn_management.customer_service.doctype.bonus_card_type.bonus_card_type import CardTypeError
from churn_management.tests.contract_utils import (
	CONTRACT_TEST_IGNORE,
	HEAD,
	ContractTestCase,
	make_card_type,
)

test_ignore = CONTRACT_TEST_IGNORE


class TestBonusCardType(ContractTestCase):
	user = HEAD

	def test_one_loyalty_program_per_type_kept_up_to_date(self):
		card_type = make_card_type("_Test Silver Card", collection_factor=50)
		program = card_type.loyalty_program
		self.assertEqual(
			frappe.db.get_value("Loyalty Program", program, "loyalty_program_type"), "Single Tier Program"
		)
		card_type.collection_factor = 20
		card_type.save()
		self.assertEqual(card_type.loyalty_program, program)
		self.assertEqual(frappe.db.count("Loyalty Program", {"loyalty_program_name": "_Test Silver Card"}), 1)
		rule = frappe.get_doc("Loyalty Program", program).collection_rules[0]
		self.assertEqual(rule.collection_factor, 20)

	def test_points_need_the_amount_per_point(self):
		with self.assertRaises(CardTypeError):
			make_card_type("_Test Broken Card", collection_factor=0)
		with self.assertRaises(CardTypeError):
			make_card_type("_Test Short Card", validity_months=0)
		self.assertFalse(frappe.db.exists("Bonus Card Type", "_Test Broken Card"))
