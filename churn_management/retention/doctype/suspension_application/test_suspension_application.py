# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, nowdate

from churn_management.retention.doctype.resumption_application.resumption_application import (
	ResumptionError,
)
from churn_management.retention.doctype.suspension_application.suspension_application import (
	PauseDatesError,
	PauseOverlapError,
	PauseSubscriptionError,
)
from churn_management.retention.jobs.retention_tasks import judge_pauses, move_pauses
from churn_management.tests.retention_utils import (
	ANALYST,
	DESK,
	OUTSIDER,
	RETENTION_TEST_IGNORE,
	RetentionTestCase,
	make_suspension,
	set_retention_settings,
)
from churn_management.tests.utils import TEST_IGNORE, make_customer, make_subscription

test_ignore = RETENTION_TEST_IGNORE


def make_resumption(suspension: str, resume_on):
	return frappe.get_doc(
		{
			"doctype": "Resumption Application",
			"suspension_application": suspension,
			"resume_on": resume_on,
		}
	)


class TestSuspensionApplication(RetentionTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_retention_settings(max_pause_days=90, pause_return_days=30)

	def test_submitting_pauses_the_subscription_and_the_job_resumes_it(self):
		pause = make_suspension()
		self.assertEqual(pause.status, "Requested")
		pause.submit()
		pause.reload()
		self.assertEqual(pause.status, "Paused")
		self.assertEqual(frappe.db.get_value("Subscription", pause.subscription, "status"), "Cancelled")
		# the day after the pause's last day the daily job resumes the subscription
		_paused, resumed = move_pauses(add_days(nowdate(), 30))
		self.assertGreaterEqual(resumed, 1)
		pause.reload()
		self.assertEqual((pause.status, str(pause.resumed_on)), ("Resumed", add_days(nowdate(), 30)))
		sub = frappe.db.get_value(
			"Subscription", pause.subscription, ["status", "current_invoice_start"], as_dict=True
		)
		self.assertEqual((sub.status, str(sub.current_invoice_start)), ("Active", add_days(nowdate(), 30)))

	def test_a_future_pause_starts_on_its_first_day(self):
		pause = make_suspension(from_date=add_days(nowdate(), 3), to_date=add_days(nowdate(), 10))
		pause.submit()
		self.assertEqual(frappe.db.get_value("Suspension Application", pause.name, "status"), "Scheduled")
		self.assertEqual(frappe.db.get_value("Subscription", pause.subscription, "status"), "Active")
		move_pauses(add_days(nowdate(), 3))
		self.assertEqual(frappe.db.get_value("Suspension Application", pause.name, "status"), "Paused")

	def test_a_pause_longer_than_allowed_is_refused(self):
		pause = make_suspension(save=False, to_date=add_days(nowdate(), 90))
		self.assertRaises(PauseDatesError, pause.insert)
		self.assertFalse(frappe.db.exists("Suspension Application", {"customer": pause.customer}))

	def test_a_pause_ending_before_it_starts_is_refused(self):
		pause = make_suspension(save=False, to_date=add_days(nowdate(), -1))
		self.assertRaises(PauseDatesError, pause.insert)

	def test_overlapping_pauses_are_refused(self):
		first = make_suspension()
		second = make_suspension(
			customer=first.customer,
			subscription=first.subscription,
			save=False,
			from_date=add_days(nowdate(), 10),
			to_date=add_days(nowdate(), 40),
		)
		self.assertRaises(PauseOverlapError, second.insert)

	def test_another_customers_subscription_is_refused(self):
		pause = make_suspension(save=False, subscription=make_subscription(make_customer()))
		self.assertRaises(PauseSubscriptionError, pause.insert)

	def test_a_resumption_ends_the_pause_early(self):
		pause = make_suspension()
		pause.submit()
		resumption = make_resumption(pause.name, nowdate()).insert()
		resumption.submit()
		pause.reload()
		self.assertEqual(pause.status, "Resumed")
		self.assertEqual(pause.resumption_application, resumption.name)
		self.assertEqual(frappe.db.get_value("Subscription", pause.subscription, "status"), "Active")

	def test_a_future_resumption_shortens_the_pause(self):
		pause = make_suspension(to_date=add_days(nowdate(), 30))
		pause.submit()
		make_resumption(pause.name, add_days(nowdate(), 10)).insert().submit()
		self.assertEqual(
			str(frappe.db.get_value("Suspension Application", pause.name, "to_date")), add_days(nowdate(), 9)
		)

	def test_a_resumption_before_the_pause_starts_is_refused(self):
		pause = make_suspension(from_date=add_days(nowdate(), 5), to_date=add_days(nowdate(), 20))
		pause.submit()
		self.assertRaises(ResumptionError, make_resumption(pause.name, add_days(nowdate(), 2)).insert)

	def test_a_resumption_of_a_draft_is_refused(self):
		pause = make_suspension()
		self.assertRaises(ResumptionError, make_resumption(pause.name, nowdate()).insert)

	def test_a_pause_without_payment_afterwards_turns_into_pre_churn(self):
		pause = make_suspension()
		pause.submit()
		pause.resume(add_days(nowdate(), -35))
		judged = judge_pauses(nowdate())
		self.assertGreaterEqual(judged, 1)
		self.assertEqual(frappe.db.get_value("Suspension Application", pause.name, "came_back"), "No")
		self.assertEqual(frappe.db.get_value("Customer", pause.customer, "churn_status"), "Pre-churn")

	def test_a_pause_fee_is_billed_once(self):
		pause = make_suspension(fee_during_pause=300)
		pause.submit()
		invoice = frappe.db.get_value("Suspension Application", pause.name, "fee_invoice")
		self.assertTrue(invoice)
		values = frappe.db.get_value(
			"Sales Invoice", invoice, ["customer", "grand_total", "docstatus"], as_dict=True
		)
		self.assertEqual((values.customer, values.grand_total, values.docstatus), (pause.customer, 300, 1))

	def test_roles(self):
		customer = make_customer()
		subscription = make_subscription(customer)
		frappe.set_user(DESK)
		frappe.local.session.sid = "desk-session-id"
		frappe.local.session.data = frappe._dict(marker="kept")
		pause = make_suspension(customer=customer, subscription=subscription, save=False)
		pause.insert()
		pause.submit()
		self.assertEqual(frappe.db.get_value("Suspension Application", pause.name, "status"), "Paused")
		# ERPNext's cancel ran as the system; the desk user's session is untouched
		self.assertEqual(
			(frappe.session.user, frappe.session.sid, frappe.session.data.marker),
			(DESK, "desk-session-id", "kept"),
		)
		self.assertFalse(frappe.has_permission("Suspension Application", "cancel", pause.name, user=DESK))
		self.assertTrue(frappe.has_permission("Suspension Application", "read", pause.name, user=ANALYST))
		self.assertFalse(frappe.has_permission("Suspension Application", "create", user=ANALYST))
		self.assertFalse(frappe.has_permission("Suspension Application", "read", pause.name, user=OUTSIDER))
