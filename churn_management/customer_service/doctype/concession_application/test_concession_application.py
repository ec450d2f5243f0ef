# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, flt, getdate, nowdate

from churn_management.customer_service.doctype.concession_application.concession_application import (
	ConcessionPeriodError,
	ConcessionProofError,
)
from churn_management.customer_service.jobs.applications import run as run_daily_job
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
	make_proof,
	set_cs_settings,
)

test_ignore = APPLICATION_TEST_IGNORE


def make_concession(subscription, **values):
	return frappe.get_doc(
		{
			"doctype": "Concession Application",
			"customer": subscription.party,
			"company": subscription.company,
			"subscription": subscription.name,
			"category": "Pensioner",
			"from_date": nowdate(),
			"to_date": add_days(add_months(nowdate(), 3), -1),
			"discount_percentage": 20,
			"proof": make_proof(),
			**values,
		}
	).insert()


def discount_of(subscription: str) -> float:
	return flt(frappe.db.get_value("Subscription", subscription, "additional_discount_percentage"))


class TestConcessionApplication(FrappeTestCase):
	def setUp(self):
		make_cs_users()
		set_cs_settings(max_concession_months=6)
		self.subscription, self.invoice = make_billed_subscription(monthly_cost=1000)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # each test starts from the class's clean state

	def test_approved_concession_discounts_the_subscription_and_ends_by_itself(self):
		frappe.set_user(DESK)
		name = make_concession(self.subscription).name
		frappe.set_user(HEAD)
		doc = frappe.get_doc("Concession Application", name)
		doc.submit()
		self.assertEqual((doc.status, doc.approved_by, flt(doc.former_discount)), ("Applied", HEAD, 0))
		self.assertEqual(discount_of(self.subscription.name), 20)
		# ERPNext's next invoice of the subscription carries the discount
		frappe.set_user("Administrator")
		subscription = frappe.get_doc("Subscription", self.subscription.name)
		subscription.update_subscription_period(add_days(subscription.current_invoice_end, 1))
		self.assertEqual(flt(subscription.create_invoice().grand_total), 800)
		# the day after the period the daily job takes it off, once
		after = add_days(doc.to_date, 1)
		self.assertEqual(run_daily_job(doc.to_date)["concessions_ended"], 0)
		self.assertEqual(run_daily_job(after)["concessions_ended"], 1)
		self.assertEqual(run_daily_job(after)["concessions_ended"], 0)
		self.assertEqual(discount_of(self.subscription.name), 0)
		doc.reload()
		self.assertEqual((doc.status, getdate(doc.ended_on)), ("Ended", getdate(after)))

	def test_a_concession_ahead_starts_on_its_first_day(self):
		start = add_days(nowdate(), 7)
		doc = make_concession(self.subscription, from_date=start, to_date=add_months(start, 1))
		frappe.set_user(HEAD)
		doc.submit()
		self.assertEqual((doc.status, discount_of(self.subscription.name)), ("Approved", 0))
		frappe.set_user("Administrator")
		self.assertEqual(run_daily_job(start)["concessions_applied"], 1)
		self.assertEqual(run_daily_job(start)["concessions_applied"], 0)
		self.assertEqual(discount_of(self.subscription.name), 20)

	def test_the_desk_cannot_approve(self):
		frappe.set_user(DESK)
		doc = make_concession(self.subscription)
		self.assertRaises(frappe.PermissionError, doc.submit)
		self.assertEqual(discount_of(self.subscription.name), 0)

	def test_a_concession_without_proof_is_refused(self):
		frappe.set_user(DESK)
		before = frappe.db.count("Concession Application")
		self.assertRaises(ConcessionProofError, make_concession, self.subscription, proof=None)
		self.assertEqual(frappe.db.count("Concession Application"), before)

	def test_a_concession_longer_than_allowed_is_refused(self):
		frappe.set_user(DESK)
		self.assertRaises(
			ConcessionPeriodError, make_concession, self.subscription, to_date=add_months(nowdate(), 6)
		)
		self.assertEqual(
			make_concession(self.subscription, to_date=add_days(add_months(nowdate(), 6), -1)).status,
			"Requested",
		)

	def test_overlapping_concessions_are_refused(self):
		make_concession(self.subscription).submit()
		self.assertRaises(ConcessionPeriodError, make_concession, self.subscription)

	def test_cancelling_takes_the_discount_off(self):
		doc = make_concession(self.subscription)
		doc.submit()
		doc.cancel()
		self.assertEqual((doc.status, discount_of(self.subscription.name)), ("Cancelled", 0))

	def test_role_matrix(self):
		doc = make_concession(self.subscription)
		assert_role_matrix(
			self,
			doc,
			("read", "create", "submit"),
			{DESK: (1, 1, 0), HEAD: (1, 1, 1), ACCOUNTS: (1, 0, 0), COLLECTOR: (0, 0, 0)},
		)

	def test_accounts_of_another_company_do_not_see_it(self):
		doc = make_concession(self.subscription)
		assert_hidden_from_other_company(self, doc)
