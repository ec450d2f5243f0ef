# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""After a pause ERPNext bills the right period again, whatever the pause's length and position."""

from unittest.mock import patch

import frappe
from frappe.utils import add_days, add_to_date, getdate, nowdate

from churn_management.retention.doctype.retention_task.retention_task_utils import cancel_subscription
from churn_management.retention.jobs.retention_tasks import move_pauses
from churn_management.tests.retention_utils import (
	DESK,
	RETENTION_TEST_IGNORE,
	RetentionTestCase,
	add_attempt,
	make_churn_record,
	make_method,
	make_suspension,
	make_task,
	set_retention_settings,
)
from churn_management.tests.utils import ensure_fiscal_year, get_company, make_customer, make_subscription

test_ignore = RETENTION_TEST_IGNORE

IN_ADVANCE = "Beginning of the current subscription period"
AT_THE_END = "End of the current subscription period"


def on_day(day):
	"""ERPNext's daily processing runs on the billing day (its proration counts days up to today)."""
	return patch("erpnext.accounts.doctype.subscription.subscription.nowdate", return_value=str(getdate(day)))


def make_billed_subscription(interval: str, generate_invoice_at: str, days_ago: int) -> frappe._dict:
	"""A subscription that ERPNext's daily processing has billed up to today, as it would be on a live site."""
	subscription = make_subscription(
		make_customer(),
		990,
		days_ago,
		interval=interval,
		generate_invoice_at=generate_invoice_at,
		generate_new_invoices_past_due_date=1,
		days_until_due=400,
	)
	today = getdate(nowdate())
	while True:
		if generate_invoice_at == IN_ADVANCE:
			billing_day = subscription.current_invoice_start  # bills the period that starts that day
		else:
			billing_day = subscription.current_invoice_end  # bills the period that ends that day
		if getdate(billing_day) > today or (
			generate_invoice_at == AT_THE_END and getdate(billing_day) == today
		):
			break
		ensure_fiscal_year(billing_day, get_company())
		with on_day(billing_day):
			subscription.process(posting_date=billing_day)
		subscription.reload()
	# ERPNext dates its invoices by the period: the one made when the pause begins may fall next year
	ensure_fiscal_year(subscription.current_invoice_end, get_company())
	return frappe._dict(customer=subscription.party, name=subscription.name)


def bill_next_period(subscription: str) -> frappe._dict:
	"""Run ERPNext's own processing on the subscription's next billing day; return the invoice it made."""
	doc = frappe.get_doc("Subscription", subscription)
	billing_day = (
		doc.current_invoice_start if doc.generate_invoice_at == IN_ADVANCE else doc.current_invoice_end
	)
	ensure_fiscal_year(billing_day, doc.company)
	before = set(frappe.get_all("Sales Invoice", filters={"subscription": subscription}, pluck="name"))
	with on_day(billing_day):
		doc.process(posting_date=billing_day)
	made = set(frappe.get_all("Sales Invoice", filters={"subscription": subscription}, pluck="name")) - before
	if len(made) != 1:
		raise AssertionError(f"ERPNext made {len(made)} invoices on {billing_day}")
	return frappe.db.get_value(
		"Sales Invoice", made.pop(), ["from_date", "to_date", "docstatus"], as_dict=True
	)


def last_billed_day(subscription: str):
	"""The last day the subscription's invoices cover."""
	return frappe.get_all(
		"Sales Invoice",
		filters={"subscription": subscription, "docstatus": 1},
		fields=["max(to_date) as to_date"],
	)[0].to_date


def charged_to(subscription: str):
	"""The latest date of the subscription's invoices."""
	return frappe.get_all(
		"Sales Invoice",
		filters={"subscription": subscription, "docstatus": 1},
		fields=["max(posting_date) as posting_date"],
	)[0].posting_date


def current_period_end(subscription: str):
	return getdate(frappe.db.get_value("Subscription", subscription, "current_invoice_end"))


def make_resumption(suspension: str, resume_on):
	return frappe.get_doc(
		{"doctype": "Resumption Application", "suspension_application": suspension, "resume_on": resume_on}
	)


def one_cycle(start, interval: str):
	"""The last day of a billing cycle from ``start``, as ERPNext counts it."""
	return getdate(add_to_date(start, **{"months" if interval == "Month" else "years": 1, "days": -1}))


def date_diff_days(start, end) -> int:
	"""Whole days from start to end."""
	return (getdate(end) - getdate(start)).days


class TestPauseBilling(RetentionTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_retention_settings(max_pause_days=90, pause_return_days=30)

	@classmethod
	def tearDownClass(cls):
		super().tearDownClass()
		frappe.cache.delete_value("fiscal_years")  # the years made here are rolled back

	def pause(self, subscription: frappe._dict, days: int) -> str:
		"""The desk files and approves a pause from today; the daily job resumes it the day after."""
		frappe.set_user(DESK)
		pause = make_suspension(
			customer=subscription.customer,
			subscription=subscription.name,
			save=False,
			from_date=nowdate(),
			to_date=add_days(nowdate(), days - 1),
		)
		pause.insert()
		pause.submit()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Subscription", subscription.name, "status"), "Cancelled")
		return pause.name

	def resume_by_job(self, pause: str):
		resume_on = add_days(frappe.db.get_value("Suspension Application", pause, "to_date"), 1)
		move_pauses(resume_on)
		self.assertEqual(frappe.db.get_value("Suspension Application", pause, "status"), "Resumed")
		return getdate(resume_on)

	def assert_bills(self, subscription: str, start, end):
		invoice = bill_next_period(subscription)
		self.assertEqual((invoice.from_date, invoice.to_date), (getdate(start), getdate(end)))
		self.assertEqual(invoice.docstatus, 1)

	def test_a_short_pause_across_the_billing_day_of_a_prepaid_monthly_subscription(self):
		subscription = make_billed_subscription("Month", IN_ADVANCE, days_ago=45)
		paid_to = last_billed_day(subscription.name)
		# the pause runs over the next billing day and is shorter than a month
		pause = self.pause(subscription, days=date_diff_days(nowdate(), paid_to) + 6)
		resume_on = self.resume_by_job(pause)
		self.assertGreater(resume_on, getdate(paid_to))
		self.assert_bills(subscription.name, resume_on, one_cycle(resume_on, "Month"))

	def test_a_short_pause_inside_the_period_of_a_monthly_subscription_billed_at_its_end(self):
		subscription = make_billed_subscription("Month", AT_THE_END, days_ago=45)
		period_end = current_period_end(subscription.name)
		pause = self.pause(subscription, days=5)
		# when the pause began ERPNext billed the period, dated on its last day
		self.assertEqual(charged_to(subscription.name), period_end)
		resume_on = self.resume_by_job(pause)
		self.assertLess(resume_on, period_end)
		# the rest of that period is not billed again: billing goes on from its billing day
		next_start = add_days(period_end, 1)
		self.assert_bills(subscription.name, next_start, one_cycle(next_start, "Month"))

	def test_a_short_pause_across_the_billing_day_of_a_monthly_subscription_billed_at_its_end(self):
		subscription = make_billed_subscription("Month", AT_THE_END, days_ago=45)
		period_end = current_period_end(subscription.name)
		resume_on = self.resume_by_job(
			self.pause(subscription, days=date_diff_days(nowdate(), period_end) + 6)
		)
		self.assertGreater(resume_on, period_end)
		self.assert_bills(subscription.name, resume_on, one_cycle(resume_on, "Month"))

	def test_a_long_pause_over_several_billing_days(self):
		subscription = make_billed_subscription("Month", IN_ADVANCE, days_ago=45)
		resume_on = self.resume_by_job(self.pause(subscription, days=80))
		self.assert_bills(subscription.name, resume_on, one_cycle(resume_on, "Month"))

	def test_a_pause_inside_a_prepaid_year_bills_the_next_year_from_its_billing_day(self):
		subscription = make_billed_subscription("Year", IN_ADVANCE, days_ago=400)
		paid_to = last_billed_day(subscription.name)
		self.assertGreater(getdate(paid_to), getdate(add_days(nowdate(), 30)))
		self.resume_by_job(self.pause(subscription, days=30))
		# the year is paid: nothing of it is billed again, the next year starts the day after
		next_start = add_days(paid_to, 1)
		self.assert_bills(subscription.name, next_start, one_cycle(next_start, "Year"))

	def test_a_pause_in_a_yearly_subscription_billed_at_its_end(self):
		subscription = make_billed_subscription("Year", AT_THE_END, days_ago=400)
		period_end = current_period_end(subscription.name)
		self.resume_by_job(self.pause(subscription, days=30))
		next_start = add_days(period_end, 1)
		self.assert_bills(subscription.name, next_start, one_cycle(next_start, "Year"))

	def test_a_resumption_on_the_pauses_first_day_keeps_the_billing_day(self):
		subscription = make_billed_subscription("Month", AT_THE_END, days_ago=45)
		period_end = current_period_end(subscription.name)
		pause = self.pause(subscription, days=20)
		frappe.set_user(DESK)
		make_resumption(pause, nowdate()).insert().submit()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Subscription", subscription.name, "status"), "Active")
		next_start = add_days(period_end, 1)
		self.assert_bills(subscription.name, next_start, one_cycle(next_start, "Month"))

	def test_a_customer_won_back_soon_after_cancelling_is_billed_again(self):
		subscription = make_billed_subscription("Month", AT_THE_END, days_ago=45)
		period_end = current_period_end(subscription.name)
		cancel_subscription(frappe.get_doc("Subscription", subscription.name))
		record = make_churn_record(subscription.customer, days_ago=0, subscription=subscription.name)
		task = make_task(customer=subscription.customer, churn_record=record.name, status="Open")
		task.reload()
		frappe.set_user(task.assignee)
		add_attempt(task, "Agreed", 10)
		task.update({"outcome": "Returned", "retention_method": make_method()})
		task.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Subscription", subscription.name, "status"), "Active")
		next_start = add_days(period_end, 1)
		self.assert_bills(subscription.name, next_start, one_cycle(next_start, "Month"))
