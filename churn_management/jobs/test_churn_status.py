# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_months, getdate, nowdate

from churn_management.jobs.churn_status import update_churn_statuses
from churn_management.tests.utils import make_customer, make_reason, make_sales_invoice, pay_invoice


class TestChurnStatusJob(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		reason = make_reason("_Test Non-payment", is_non_payment=1, managed=1).name
		frappe.db.set_single_value(
			"Churn Settings", {"non_payment_reason": reason, "churn_after_months": 3, "pre_churn_days": 30}
		)

	def test_statuses_and_non_payment_records_idempotently(self):
		paying = make_customer()
		make_sales_invoice(paying, days_past_due=10, paid=True)
		late = make_customer()
		make_sales_invoice(late, days_past_due=10)
		pre = make_customer()
		make_sales_invoice(pre, days_past_due=45)
		gone = make_customer(customer_type="Company")
		make_sales_invoice(gone, days_past_due=120, amount=1500)
		make_sales_invoice(gone, days_past_due=90, amount=1500)

		first = update_churn_statuses()
		status = lambda c: frappe.db.get_value("Customer", c, "churn_status")  # noqa: E731
		self.assertEqual(status(paying), "Active")
		self.assertEqual(status(late), "Overdue")
		self.assertEqual(status(pre), "Pre-churn")
		self.assertEqual(status(gone), "Churned")
		record = frappe.get_doc("Churn Record", frappe.db.get_value("Customer", gone, "open_churn_record"))
		self.assertEqual(record.churn_kind, "Involuntary")
		self.assertEqual(record.churn_reason, "_Test Non-payment")
		self.assertEqual(record.customer_type, "B2B")
		self.assertEqual(record.lost_mrr, 1500)
		oldest_due = getdate(frappe.db.get_value("Sales Invoice", {"customer": gone}, "min(due_date)"))
		self.assertEqual(getdate(record.churn_date), getdate(add_months(oldest_due, 3)))
		self.assertGreaterEqual(first["created"], 1)

		second = update_churn_statuses()
		self.assertEqual(second, {"updated": 0, "created": 0, "failed": 0})
		self.assertEqual(frappe.db.count("Churn Record", {"customer": gone}), 1)

	def test_paying_brings_a_customer_back_to_active(self):
		customer = make_customer()
		invoice = make_sales_invoice(customer, days_past_due=40)
		update_churn_statuses()
		self.assertEqual(frappe.db.get_value("Customer", customer, "churn_status"), "Pre-churn")
		pay_invoice(invoice)
		update_churn_statuses(nowdate())
		self.assertEqual(frappe.db.get_value("Customer", customer, "churn_status"), "Active")
