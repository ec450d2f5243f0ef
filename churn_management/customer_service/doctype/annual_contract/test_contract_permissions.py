# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Who may do what with contracts and cards: the Termination Desk makes them, the retention roles read
them without the money, the accounts roles read the money, nobody else sees them; a User Permission on
Company keeps another company's contracts and cards out of sight."""

import frappe
from frappe.client import get as client_get
from frappe.tests.utils import FrappeTestCase

from churn_management.tests.contract_utils import (
	ACCOUNTS,
	ACCOUNTS_MANAGER,
	CONTRACT_TEST_IGNORE,
	DESK,
	HEAD,
	MANAGER,
	OUTSIDER,
	limit_to_company,
	make_card,
	make_card_type,
	make_contract,
	make_contract_users,
)
from churn_management.tests.utils import get_company, make_company, make_user

test_ignore = CONTRACT_TEST_IGNORE

SECOND_COMPANY = "_Test Churn Second Company"
DESK_SECOND = "contracts.desk.second@example.com"
MONEY_FIELDS = ("amount", "monthly_amount", "discount_percentage", "savings", "sales_invoice")


class TestContractPermissions(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_contract_users()
		make_user(DESK_SECOND, ["Termination Desk"])
		cls.second_company = make_company(SECOND_COMPANY, "_TCS")
		frappe.set_user(DESK)
		cls.contract = make_contract(bonus_card_type=make_card_type().name)
		cls.other = make_contract(company=cls.second_company, submit=False)
		frappe.set_user("Administrator")
		cls.second_type = make_card_type(
			"_Test Second Company Card", has_points=0, company=cls.second_company
		)
		frappe.set_user(DESK)
		cls.other_card = make_card(card_type=cls.second_type.name)
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def can(self, user: str, ptype: str, doctype: str, doc=None) -> bool:
		frappe.set_user(user)
		return bool(frappe.has_permission(doctype, ptype, doc))

	def test_the_desk_makes_contracts_and_cards(self):
		for doctype in ("Annual Contract", "Bonus Card"):
			self.assertTrue(self.can(DESK, "create", doctype))
		self.assertTrue(self.can(DESK, "submit", "Annual Contract", self.contract.name))
		self.assertEqual(client_get("Annual Contract", self.contract.name)["amount"], 10800)

	def test_retention_roles_read_contracts_without_the_money(self):
		for user in (HEAD, MANAGER):
			self.assertTrue(self.can(user, "read", "Annual Contract", self.contract.name))
			self.assertTrue(self.can(user, "read", "Bonus Card", self.contract.bonus_card))
			self.assertFalse(self.can(user, "create", "Annual Contract"))
			self.assertFalse(self.can(user, "create", "Bonus Card"))
			seen = client_get("Annual Contract", self.contract.name)
			self.assertEqual(seen["customer"], self.contract.customer)
			for fieldname in MONEY_FIELDS:
				self.assertFalse(seen.get(fieldname), fieldname)

	def test_accounts_roles_read_the_money_and_change_nothing(self):
		for user in (ACCOUNTS, ACCOUNTS_MANAGER):
			self.assertTrue(self.can(user, "read", "Annual Contract", self.contract.name))
			self.assertFalse(self.can(user, "write", "Annual Contract", self.contract.name))
			self.assertFalse(self.can(user, "create", "Annual Contract"))
			seen = client_get("Annual Contract", self.contract.name)
			self.assertEqual((seen["amount"], seen["sales_invoice"]), (10800, self.contract.sales_invoice))
			self.assertFalse(self.can(user, "read", "Bonus Card", self.contract.bonus_card))

	def test_other_roles_see_nothing(self):
		for doctype in ("Annual Contract", "Bonus Card", "Bonus Card Type"):
			self.assertFalse(self.can(OUTSIDER, "read", doctype))
		frappe.set_user(OUTSIDER)
		self.assertRaises(frappe.PermissionError, client_get, "Annual Contract", self.contract.name)

	def test_a_company_limited_user_sees_only_that_companys_contracts_and_cards(self):
		limit_to_company(self, DESK_SECOND, self.second_company)
		limit_to_company(self, ACCOUNTS, get_company())
		frappe.set_user(DESK_SECOND)
		contracts = frappe.get_list("Annual Contract", pluck="name")
		self.assertIn(self.other.name, contracts)
		self.assertNotIn(self.contract.name, contracts)
		self.assertFalse(frappe.has_permission("Annual Contract", "read", self.contract.name))
		cards = frappe.get_list("Bonus Card", pluck="name")
		self.assertIn(self.other_card.name, cards)
		self.assertNotIn(self.contract.bonus_card, cards)
		frappe.set_user(ACCOUNTS)
		contracts = frappe.get_list("Annual Contract", pluck="name")
		self.assertIn(self.contract.name, contracts)
		self.assertNotIn(self.other.name, contracts)
