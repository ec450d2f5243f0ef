# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Bonus cards: numbered once, points through ERPNext's Loyalty Program of the card type, blocked while
the customer is churned and expired after their last day."""

import frappe
from frappe.utils import add_days, add_months, getdate, nowdate

from churn_management.churn_management.doctype.churn_record.churn_record_utils import (
	set_customer_churn_status,
)
from churn_management.customer_service.doctype.bonus_card.bonus_card import CardNumberTakenError
from churn_management.customer_service.jobs.contracts_cards import run
from churn_management.tests.contract_utils import (
	CONTRACT_TEST_IGNORE,
	DESK,
	PLAIN_CARD_TYPE,
	ContractTestCase,
	make_card,
	make_card_type,
)
from churn_management.tests.utils import make_customer, make_sales_invoice

test_ignore = CONTRACT_TEST_IGNORE


def points_of(customer: str) -> int:
	return sum(frappe.get_all("Loyalty Point Entry", filters={"customer": customer}, pluck="loyalty_points"))


class TestBonusCard(ContractTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.card_type = make_card_type()
		cls.plain_type = make_card_type(PLAIN_CARD_TYPE, has_points=0)

	def test_a_card_is_numbered_from_the_series_and_valid_for_its_months(self):
		card = make_card()
		self.assertTrue(card.name.startswith("BC-"))
		self.assertEqual(card.card_number, card.name)
		self.assertEqual((card.status, card.issued_by), ("Active", DESK))
		self.assertEqual(getdate(card.valid_until), getdate(add_days(add_months(nowdate(), 12), -1)))

	def test_a_card_number_used_twice_is_refused(self):
		make_card(card_number="7000 0001")
		before = frappe.db.count("Bonus Card")
		with self.assertRaises(CardNumberTakenError):
			make_card(card_number="7000 0001")
		self.assertEqual(frappe.db.count("Bonus Card"), before)

	def test_the_card_type_has_its_own_loyalty_program(self):
		program = frappe.get_doc("Loyalty Program", self.card_type.loyalty_program)
		self.assertEqual(program.company, self.card_type.company)
		self.assertEqual(program.collection_rules[0].collection_factor, 100)
		self.assertFalse(self.plain_type.loyalty_program)

	def test_points_are_earned_through_erpnext_invoices(self):
		customer = make_customer()
		make_card(customer)
		self.assertEqual(
			frappe.db.get_value("Customer", customer, "loyalty_program"), self.card_type.loyalty_program
		)
		frappe.set_user("Administrator")
		make_sales_invoice(customer, 0, 2500)
		self.assertEqual(points_of(customer), 25)

	def test_a_card_without_points_enrols_nobody(self):
		customer = make_customer()
		make_card(customer, self.plain_type.name)
		self.assertFalse(frappe.db.get_value("Customer", customer, "loyalty_program"))

	def test_a_churned_customers_card_is_blocked_and_unblocked_when_won_back(self):
		customer = make_customer()
		card = make_card(customer)
		frappe.set_user("Administrator")
		set_customer_churn_status(customer, "Churned", None)
		run()
		self.assertEqual(frappe.db.get_value("Bonus Card", card.name, "status"), "Blocked")
		self.assertFalse(frappe.db.get_value("Customer", customer, "loyalty_program"))
		run()
		self.assertEqual(frappe.db.get_value("Bonus Card", card.name, "status"), "Blocked")
		set_customer_churn_status(customer, "Won back", None)
		run()
		self.assertEqual(frappe.db.get_value("Bonus Card", card.name, "status"), "Active")
		self.assertEqual(
			frappe.db.get_value("Customer", customer, "loyalty_program"), self.card_type.loyalty_program
		)

	def test_a_card_blocked_by_hand_stays_blocked(self):
		card = make_card()
		card.status = "Blocked"
		card.save()
		run()
		self.assertEqual(frappe.db.get_value("Bonus Card", card.name, "status"), "Blocked")

	def test_cards_expire_after_their_last_day(self):
		customer = make_customer()
		card = make_card(customer, issued_on=add_months(nowdate(), -12))
		self.assertEqual(getdate(card.valid_until), getdate(add_days(nowdate(), -1)))
		frappe.set_user("Administrator")
		run()
		self.assertEqual(frappe.db.get_value("Bonus Card", card.name, "status"), "Expired")
		self.assertFalse(frappe.db.get_value("Customer", customer, "loyalty_program"))
