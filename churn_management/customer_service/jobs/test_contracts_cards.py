# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The daily job of contracts and cards: each step once, a second run changes nothing, and a contract
whose billing cannot be put back is left for the next day without stopping the others."""

from unittest.mock import patch

import frappe
from frappe.utils import add_days, getdate

from churn_management.customer_service.jobs.contracts_cards import run
from churn_management.tests.contract_utils import (
	CONTRACT_TEST_IGNORE,
	ContractTestCase,
	make_card,
	make_contract,
)

test_ignore = CONTRACT_TEST_IGNORE

BILL_MONTHLY = "churn_management.customer_service.doctype.annual_contract.annual_contract.bill_monthly"


def status_of(contract) -> str:
	return frappe.db.get_value("Annual Contract", contract.name, "status")


class TestContractsCardsJob(ContractTestCase):
	def test_a_second_run_changes_nothing(self):
		contract = make_contract(days_ago=340)
		make_card(contract.customer)
		end = getdate(contract.end_date)
		frappe.set_user("Administrator")
		first = run(end)
		self.assertGreaterEqual(first["lapsed"], 1)
		self.assertEqual(status_of(contract), "Lapsed")
		self.assertEqual(
			run(end),
			{"expiring": 0, "lapsed": 0, "expired_cards": 0, "blocked_cards": 0, "unblocked_cards": 0},
		)

	def test_a_contract_that_fails_is_rolled_back_and_the_others_lapse(self):
		failing = make_contract(days_ago=340)
		fine = make_contract(days_ago=340)
		frappe.set_user("Administrator")
		real = frappe.get_attr(BILL_MONTHLY)

		def bill_monthly(contract, from_date):
			if contract.name == failing.name:
				frappe.db.set_value("Annual Contract", contract.name, "status", "Lapsed")  # undone
				frappe.throw("billing refused")
			return real(contract, from_date)

		with patch(BILL_MONTHLY, bill_monthly), patch("frappe.log_error"):
			run(failing.end_date)
		self.assertEqual(status_of(fine), "Lapsed")
		self.assertIn(status_of(failing), ("Active", "Expiring"))
		self.assertEqual(
			frappe.db.get_value("Subscription", failing.subscription, "current_invoice_start"),
			getdate(add_days(failing.end_date, 1)),
		)
