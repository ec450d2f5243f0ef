# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

from unittest.mock import patch

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, getdate, nowdate

from churn_management.churn_management.jobs.churn_status import update_churn_statuses
from churn_management.tests.utils import (
	get_company,
	make_advance,
	make_company,
	make_customer,
	make_debtor,
	make_reason,
	make_retention_method,
	make_sales_invoice,
	make_subscription,
	make_termination_application,
	mark_disputed,
	pay_invoice,
)


def run_job(as_of=None) -> dict:
	"""The job commits per record in production; in tests everything stays in the test's transaction."""
	with patch.object(frappe.db, "commit"):
		return update_churn_statuses(as_of)


def status(customer: str) -> str:
	return frappe.db.get_value("Customer", customer, "churn_status")


class TestChurnStatusJob(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.reason = make_reason("_Test Non-payment", is_non_payment=1, managed=1).name
		frappe.db.set_single_value(
			"Churn Settings",
			{
				"non_payment_reason": cls.reason,
				"churn_after_months": 3,
				"pre_churn_days": 30,
				"grace_days": 0,
				"min_debt_amount": 1,
			},
		)
		cls.method = make_retention_method("_Test Free month").name

	def test_statuses_and_non_payment_records_idempotently(self):
		paying = make_customer()
		make_sales_invoice(paying, days_past_due=10, paid=True)
		late = make_customer()
		make_sales_invoice(late, days_past_due=10)
		pre = make_customer()
		make_sales_invoice(pre, days_past_due=45)
		gone = make_customer(customer_type="Company")
		subscription = make_subscription(gone, monthly_cost=1500, days_ago=400)
		make_sales_invoice(gone, days_past_due=120, amount=1500)
		make_sales_invoice(gone, days_past_due=90, amount=1500)

		first = run_job()
		self.assertEqual(status(paying), "Active")
		self.assertEqual(status(late), "Overdue")
		self.assertEqual(status(pre), "Pre-churn")
		self.assertEqual(status(gone), "Churned")
		record = frappe.get_doc("Churn Record", frappe.db.get_value("Customer", gone, "open_churn_record"))
		self.assertEqual((record.churn_kind, record.churn_reason), ("Involuntary", self.reason))
		self.assertEqual(record.customer_type, "B2B")
		self.assertEqual(record.company, get_company())
		# what a voluntary record carries: the subscription, its tariff and monthly revenue, and a
		# tenure counted from the subscription's start, not from the first invoice
		self.assertEqual(record.subscription, subscription)
		self.assertIn("_Test Churn Monthly 1500", record.tariff)
		self.assertEqual(record.lost_mrr, 1500)
		oldest_due = getdate(add_days(nowdate(), -120))
		self.assertEqual(getdate(record.churn_date), getdate(add_months(oldest_due, 3)))
		self.assertGreater(record.tenure_months, 9)
		self.assertGreaterEqual(first["created"], 1)

		second = run_job()
		self.assertEqual(second, {"updated": 0, "created": 0, "returned": 0, "ended": 0, "failed": 0})
		self.assertEqual(frappe.db.count("Churn Record", {"customer": gone}), 1)

	def test_a_won_back_customer_is_not_churned_again_for_old_debt(self):
		customer = make_customer()
		make_sales_invoice(customer, days_past_due=150)
		run_job()
		record = frappe.get_doc("Churn Record", {"customer": customer})
		record.mark_won_back(self.method, add_days(nowdate(), -3))
		run_job()
		run_job()
		self.assertEqual(status(customer), "Won back")
		self.assertEqual(frappe.db.count("Churn Record", {"customer": customer}), 1)
		# new debt after the return counts: overdue, and never a record dated before the return
		make_sales_invoice(customer, days_past_due=2)
		run_job()
		self.assertEqual(status(customer), "Overdue")

	def test_paying_the_debt_in_full_returns_the_customer(self):
		customer, invoice = make_debtor(120, email=False)
		run_job()
		record = frappe.db.get_value("Customer", customer, "open_churn_record")
		self.assertTrue(record)
		pay_invoice(invoice)
		summary = run_job()
		self.assertEqual(summary["returned"], 1)
		self.assertEqual(frappe.db.get_value("Churn Record", record, "status"), "Returned by Payment")
		self.assertEqual(status(customer), "Active")
		self.assertFalse(frappe.db.get_value("Customer", customer, "open_churn_record"))

	def test_debt_is_net_of_advances_and_needs_a_minimum_amount(self):
		covered = make_customer()
		make_sales_invoice(covered, days_past_due=120, amount=1000)
		make_advance(covered, 1000)
		residue = make_customer()
		make_sales_invoice(residue, days_past_due=120, amount=0.5)
		run_job()
		self.assertEqual(status(covered), "Active")
		self.assertEqual(status(residue), "Active")
		self.assertFalse(frappe.db.exists("Churn Record", {"customer": ("in", [covered, residue])}))

	def test_a_disputed_invoice_is_left_out(self):
		customer, invoice = make_debtor(120, email=False)
		mark_disputed(invoice)
		run_job()
		self.assertEqual(status(customer), "Active")

	def test_two_companies_never_mix(self):
		other = make_company("_Test Churn Second Company", "_TCS")
		customer = make_customer()
		make_sales_invoice(customer, days_past_due=120, amount=1000)
		make_advance(customer, 5000, company=other)
		run_job()
		self.assertEqual(status(customer), "Churned")
		self.assertEqual(
			frappe.db.get_value("Churn Record", {"customer": customer}, "company"), get_company()
		)

	def test_a_pending_application_makes_pre_churn(self):
		customer = make_customer()
		apply_workflow(make_termination_application(customer=customer), "Start Retention")
		run_job()
		self.assertEqual(status(customer), "Pre-churn")

	def test_a_suspension_request_and_a_pause_without_payment_are_pre_churn(self):
		from churn_management.tests.retention_utils import make_suspension

		requested = make_suspension()
		lapsed = make_suspension()
		lapsed.submit()
		lapsed.db_set({"status": "Resumed", "came_back": "No"})
		run_job()
		self.assertEqual(status(requested.customer), "Pre-churn")
		self.assertEqual(status(lapsed.customer), "Pre-churn")

	def test_a_paused_subscription_can_still_be_ended_by_a_termination(self):
		from churn_management.churn_management.doctype.churn_record.churn_record_utils import (
			active_subscriptions,
		)
		from churn_management.tests.retention_utils import make_suspension

		pause = make_suspension()
		pause.submit()
		self.assertEqual(frappe.db.get_value("Subscription", pause.subscription, "status"), "Cancelled")
		running = [s["subscription"] for s in active_subscriptions(pause.customer, get_company())]
		self.assertEqual(running, [pause.subscription])
