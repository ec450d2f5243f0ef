# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""An annual contract invoices the prepaid year and moves ERPNext's billing to yearly for the term:
ERPNext bills no prepaid month again, and monthly again after a lapse."""

import frappe
from frappe.utils import add_days, add_months, getdate, nowdate

from churn_management.customer_service.doctype.annual_contract.annual_contract import (
	ContractBillingError,
	ContractSubscriptionError,
	ContractTermError,
	OverlappingContractError,
)
from churn_management.customer_service.jobs.contracts_cards import run
from churn_management.tests.contract_utils import (
	CONTRACT_TEST_IGNORE,
	DESK,
	ContractTestCase,
	last_day_of_term,
	make_card_type,
	make_contract,
	make_contract_subscription,
	months_of_term,
	on_day,
)
from churn_management.tests.utils import ensure_fiscal_year, make_customer, pay_invoice

test_ignore = CONTRACT_TEST_IGNORE


def invoices_of(subscription: str) -> list[dict]:
	return frappe.get_all(
		"Sales Invoice",
		filters={"subscription": subscription, "docstatus": 1},
		fields=["name", "grand_total", "from_date", "to_date", "posting_date"],
		order_by="from_date",
	)


def billing_interval(subscription: str) -> list[tuple]:
	doc = frappe.get_doc("Subscription", subscription)
	return [(c.billing_interval, c.billing_interval_count) for c in doc.get_billing_cycle_and_interval()]


def process_on(subscription: str, day) -> None:
	"""ERPNext's daily processing of the subscription on the given day."""
	ensure_fiscal_year(day, frappe.db.get_value("Subscription", subscription, "company"))
	doc = frappe.get_doc("Subscription", subscription)
	with on_day(day):
		doc.process(posting_date=day)


class TestAnnualContract(ContractTestCase):
	def test_submitting_invoices_the_prepaid_year_less_the_discount(self):
		contract = make_contract(discount=10)
		self.assertEqual((contract.monthly_amount, contract.amount, contract.savings), (1000, 10800, 1200))
		self.assertEqual(contract.status, "Active")
		self.assertEqual(getdate(contract.end_date), last_day_of_term(contract.start_date))
		invoice = frappe.get_doc("Sales Invoice", contract.sales_invoice)
		self.assertEqual(invoice.docstatus, 1)
		self.assertEqual((invoice.customer, invoice.grand_total), (contract.customer, 10800))
		self.assertEqual(invoice.subscription, contract.subscription)
		self.assertEqual(
			(invoice.from_date, invoice.to_date), (getdate(contract.start_date), getdate(contract.end_date))
		)
		self.assertEqual(sum(item.qty for item in invoice.items), 12)

	def test_the_subscription_bills_yearly_and_nothing_during_the_term(self):
		contract = make_contract(discount=10)
		subscription = frappe.get_doc("Subscription", contract.subscription)
		self.assertEqual(billing_interval(subscription.name), [("Year", 1)])
		after = add_days(contract.end_date, 1)
		self.assertEqual(getdate(subscription.current_invoice_start), getdate(after))
		self.assertEqual(getdate(subscription.current_invoice_end), add_days(add_months(after, 12), -1))
		frappe.set_user("Administrator")
		pay_invoice(contract.sales_invoice)
		for day in [*months_of_term(contract.start_date), getdate(contract.end_date)]:
			process_on(subscription.name, day)
		self.assertEqual([i.name for i in invoices_of(subscription.name)], [contract.sales_invoice])

	def test_a_lapsed_contract_goes_back_to_monthly_billing(self):
		contract = make_contract(discount=10)
		frappe.set_user("Administrator")
		pay_invoice(contract.sales_invoice)
		end = getdate(contract.end_date)
		run(add_days(end, -40))
		self.assertEqual(frappe.db.get_value("Annual Contract", contract.name, "status"), "Active")
		run(add_days(end, -20))
		self.assertEqual(frappe.db.get_value("Annual Contract", contract.name, "status"), "Expiring")
		self.assertGreaterEqual(run(end)["lapsed"], 1)
		self.assertEqual(run(end)["lapsed"], 0)  # twice changes nothing
		self.assertEqual(frappe.db.get_value("Annual Contract", contract.name, "status"), "Lapsed")
		self.assertEqual(billing_interval(contract.subscription), [("Month", 1)])
		process_on(contract.subscription, add_days(end, 1))
		invoices = invoices_of(contract.subscription)
		self.assertEqual(len(invoices), 2)
		monthly = invoices[-1]
		self.assertEqual(monthly.grand_total, 1000)
		self.assertEqual(
			(monthly.from_date, monthly.to_date),
			(add_days(end, 1), add_days(add_months(add_days(end, 1), 1), -1)),
		)

	def test_renewal_makes_the_next_contract_and_links_both(self):
		contract = make_contract(discount=10)
		renewal = frappe.get_doc("Annual Contract", contract.renew())
		self.assertEqual(renewal.docstatus, 0)
		self.assertEqual(renewal.renewal_of, contract.name)
		self.assertEqual(getdate(renewal.start_date), add_days(contract.end_date, 1))
		renewal.submit()
		contract.reload()
		self.assertEqual((contract.status, contract.renewed_by), ("Renewed", renewal.name))
		self.assertEqual(frappe.get_doc("Sales Invoice", renewal.sales_invoice).grand_total, 10800)
		subscription = frappe.get_doc("Subscription", contract.subscription)
		self.assertEqual(getdate(subscription.current_invoice_start), add_days(renewal.end_date, 1))
		# the renewed contract does not lapse at its end
		run(contract.end_date)
		self.assertEqual(frappe.db.get_value("Annual Contract", contract.name, "status"), "Renewed")

	def test_a_bonus_card_is_issued_with_the_contract(self):
		frappe.set_user("Administrator")
		card_type = make_card_type().name
		frappe.set_user(DESK)
		contract = make_contract(bonus_card_type=card_type)
		card = frappe.get_doc("Bonus Card", contract.bonus_card)
		self.assertEqual(
			(card.customer, card.annual_contract, card.issued_by), (contract.customer, contract.name, DESK)
		)

	def test_a_second_running_contract_overlapping_the_first_is_refused(self):
		contract = make_contract()
		before = frappe.db.count("Annual Contract")
		with self.assertRaises(OverlappingContractError):
			make_contract(subscription=contract.subscription, start_date=add_days(contract.start_date, 30))
		self.assertEqual(frappe.db.count("Annual Contract"), before)

	def test_a_term_shorter_or_longer_than_twelve_months_is_refused(self):
		subscription = make_contract_subscription()
		start = frappe.db.get_value("Subscription", subscription, "current_invoice_start")
		for end in (add_months(start, 11), add_days(add_months(start, 12), 0), add_months(start, 13)):
			with self.assertRaises(ContractTermError):
				make_contract(subscription=subscription, end_date=end)
		self.assertFalse(frappe.db.exists("Annual Contract", {"subscription": subscription}))

	def test_a_start_that_bills_a_month_twice_or_leaves_one_out_is_refused(self):
		subscription = make_contract_subscription()
		start = frappe.db.get_value("Subscription", subscription, "current_invoice_start")
		for wrong in (add_days(start, -10), add_days(start, 10)):
			with self.assertRaises(ContractBillingError):
				make_contract(subscription=subscription, start_date=wrong)
		self.assertFalse(frappe.db.exists("Sales Invoice", {"subscription": subscription}))

	def test_another_customers_subscription_is_refused(self):
		subscription = make_contract_subscription()
		with self.assertRaises(ContractSubscriptionError):
			make_contract(subscription=subscription, customer=make_customer(), submit=False)

	def test_cancelling_undoes_the_invoice_and_the_yearly_billing(self):
		contract = make_contract()
		contract.cancel()
		self.assertEqual(frappe.db.get_value("Sales Invoice", contract.sales_invoice, "docstatus"), 2)
		self.assertEqual(billing_interval(contract.subscription), [("Month", 1)])
		self.assertEqual(
			getdate(frappe.db.get_value("Subscription", contract.subscription, "current_invoice_start")),
			getdate(contract.start_date),
		)
		self.assertEqual(frappe.db.get_value("Annual Contract", contract.name, "status"), "Cancelled")
