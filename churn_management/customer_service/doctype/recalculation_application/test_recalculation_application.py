# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, date_diff, flt, getdate

from churn_management.customer_service.doctype.recalculation_application.recalculation_application import (
	RecalculationAmountError,
	RecalculationDatesError,
)
from churn_management.tests.application_utils import (
	ACCOUNTS,
	APPLICATION_TEST_IGNORE,
	COLLECTOR,
	DESK,
	HEAD,
	assert_hidden_from_other_company,
	assert_role_matrix,
	make_billed_subscription,
	make_cs_users,
	make_plain_invoice,
	set_cs_settings,
)
from churn_management.tests.utils import get_company, make_customer

test_ignore = APPLICATION_TEST_IGNORE


def make_recalculation(invoice, **values):
	doc = frappe.get_doc(
		{
			"doctype": "Recalculation Application",
			"customer": invoice.customer,
			"company": invoice.company,
			"sales_invoice": invoice.name,
			"reason": "Days without service",
			**values,
		}
	)
	return doc.insert()


class TestRecalculationApplication(FrappeTestCase):
	def setUp(self):
		make_cs_users()
		set_cs_settings()
		self.subscription, self.invoice = make_billed_subscription(monthly_cost=900)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # each test starts from the class's clean state

	def days_out(self, first: int, last: int):
		start = getdate(self.invoice.from_date)
		return add_days(start, first), add_days(start, last)

	def test_days_without_service_are_priced_from_the_tariff(self):
		frappe.set_user(DESK)
		from_date, to_date = self.days_out(2, 4)
		doc = make_recalculation(self.invoice, from_date=from_date, to_date=to_date)
		period = date_diff(self.invoice.to_date, self.invoice.from_date) + 1
		self.assertEqual((doc.days, doc.period_days, flt(doc.plan_price)), (3, period, 900))
		self.assertAlmostEqual(flt(doc.amount), round(3 * 900 / period, 2))
		self.assertEqual(doc.status, "Requested")
		self.assertEqual(doc.subscription, self.subscription.name)

	def test_the_desk_cannot_approve(self):
		frappe.set_user(DESK)
		doc = make_recalculation(self.invoice, reason="Wrong charge", amount=100)
		self.assertRaises(frappe.PermissionError, doc.submit)
		self.assertFalse(frappe.db.exists("Sales Invoice", {"return_against": self.invoice.name}))

	def test_approval_drafts_a_credit_note_that_reduces_the_invoice(self):
		frappe.set_user(DESK)
		from_date, to_date = self.days_out(0, 9)
		name = make_recalculation(self.invoice, from_date=from_date, to_date=to_date).name
		frappe.set_user(HEAD)
		doc = frappe.get_doc("Recalculation Application", name)
		doc.submit()
		self.assertEqual((doc.status, doc.approved_by), ("Approved", HEAD))
		note = frappe.get_doc("Sales Invoice", doc.credit_note)
		self.assertEqual((note.docstatus, note.is_return, note.return_against), (0, 1, self.invoice.name))
		self.assertEqual(len(note.items), 1)
		self.assertAlmostEqual(flt(note.grand_total), -flt(doc.amount))
		# accounts submit the credit note; ERPNext takes it off the invoice's outstanding
		frappe.set_user(ACCOUNTS)
		note.submit()
		self.assertAlmostEqual(
			flt(frappe.db.get_value("Sales Invoice", self.invoice.name, "outstanding_amount")),
			flt(self.invoice.grand_total) - flt(doc.amount),
		)

	def test_a_recalculation_larger_than_the_invoice_is_refused(self):
		frappe.set_user(DESK)
		before = frappe.db.count("Recalculation Application")
		self.assertRaises(
			RecalculationAmountError, make_recalculation, self.invoice, reason="Wrong charge", amount=901
		)
		self.assertEqual(frappe.db.count("Recalculation Application"), before)

	def test_a_second_recalculation_counts_the_first_credit_note(self):
		first = make_recalculation(self.invoice, reason="Wrong charge", amount=600)
		first.submit()
		self.assertRaises(
			RecalculationAmountError, make_recalculation, self.invoice, reason="Wrong charge", amount=400
		)
		self.assertEqual(flt(make_recalculation(self.invoice, reason="Wrong charge", amount=300).amount), 300)

	def test_days_outside_the_billed_period_are_refused(self):
		frappe.set_user(DESK)
		from_date, to_date = self.days_out(-20, -15)
		self.assertRaises(
			RecalculationDatesError, make_recalculation, self.invoice, from_date=from_date, to_date=to_date
		)
		self.assertRaises(RecalculationDatesError, make_recalculation, self.invoice)

	def test_role_matrix(self):
		doc = make_recalculation(self.invoice, reason="Wrong charge", amount=50)
		assert_role_matrix(
			self,
			doc,
			("read", "create", "submit"),
			{DESK: (1, 1, 0), HEAD: (1, 1, 1), ACCOUNTS: (1, 0, 0), COLLECTOR: (0, 0, 0)},
		)

	def test_accounts_of_another_company_do_not_see_it(self):
		doc = make_recalculation(self.invoice, reason="Wrong charge", amount=50)
		assert_hidden_from_other_company(self, doc)

	def test_an_invoice_of_another_customer_is_refused(self):
		other = make_plain_invoice(make_customer(), 500)
		doc = frappe.get_doc(
			{
				"doctype": "Recalculation Application",
				"customer": self.invoice.customer,
				"company": get_company(),
				"sales_invoice": other,
				"reason": "Wrong charge",
				"amount": 10,
			}
		)
		self.assertRaises(frappe.ValidationError, doc.insert)
