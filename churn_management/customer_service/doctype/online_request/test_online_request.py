# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import json
from unittest.mock import patch

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate
from frappe.website.doctype.web_form.web_form import accept

from churn_management.customer_service.doctype.online_request.online_request import (
	PROCESS_JOB,
	REQUESTS_PER_HOUR,
)
from churn_management.customer_service.jobs.online_requests import process_online_request
from churn_management.tests.utils import TEST_IGNORE, make_customer, make_subscription

test_ignore = TEST_IGNORE

WEB_FORM = "contract-request"
ACCEPT = "frappe.website.doctype.web_form.web_form.accept"
VISITOR_IP = "203.0.113.7"


def set_customer_email(customer: str, email: str) -> None:
	frappe.db.set_value("Customer", customer, "email_id", email)


def send_form(**values) -> dict:
	"""The web form's submit, as a guest's browser posts it."""
	data = {
		"doctype": "Online Request",
		"web_form_name": WEB_FORM,
		"request_type": "End the contract",
		"desired_date": add_days(nowdate(), 14),
		"reason": "Moving to another city next month.",
		**values,
	}
	return accept(WEB_FORM, json.dumps(data, default=str)).as_dict()


def run_job(name: str) -> frappe._dict:
	"""The background job, its commits held back inside the test's transaction."""
	with patch.object(frappe.db, "commit"):
		process_online_request(name)
	frappe.set_user("Guest")
	return frappe._dict(frappe.db.get_value("Online Request", name, "*", as_dict=True))


class TestOnlineRequest(FrappeTestCase):
	def setUp(self):
		self.customer = make_customer()
		self.subscription = make_subscription(self.customer)
		self.email = f"{frappe.generate_hash(length=8)}@customer.test"
		set_customer_email(self.customer, self.email)
		frappe.set_user("Guest")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.request = None

	def test_a_guest_asking_to_end_gets_a_draft_termination_for_the_desk(self):
		sent = send_form(customer_id=self.customer, email=self.email.upper())
		self.assertEqual(sent["status"], "Received")
		request = run_job(sent["name"])
		self.assertEqual(request.status, "Draft Made")
		self.assertEqual(request.application_doctype, "Termination Application")
		application = frappe.get_doc("Termination Application", request.application)
		self.assertEqual(application.docstatus, 0)
		self.assertEqual(application.customer, self.customer)
		self.assertEqual(application.channel, "Website")
		self.assertEqual(application.customer_words, "Moving to another city next month.")
		self.assertEqual(str(application.effective_date), str(add_days(nowdate(), 14)))
		self.assertEqual([row.subscription for row in application.subscriptions], [self.subscription])
		# nothing ended: the subscription runs on, no churn record
		self.assertNotIn(frappe.db.get_value("Subscription", self.subscription, "status"), ("Cancelled",))
		self.assertFalse(frappe.db.exists("Churn Record", {"customer": self.customer}))

	def test_a_guest_asking_to_pause_gets_a_draft_suspension(self):
		start, end = add_days(nowdate(), 7), add_days(nowdate(), 36)
		sent = send_form(
			customer_id=self.customer,
			email=self.email,
			request_type="Pause the contract",
			desired_date=start,
			pause_until=end,
		)
		request = run_job(sent["name"])
		self.assertEqual(request.status, "Draft Made")
		application = frappe.get_doc("Suspension Application", request.application)
		self.assertEqual(application.docstatus, 0)
		self.assertEqual(application.status, "Requested")
		self.assertEqual(application.channel, "Website")
		self.assertEqual(application.subscription, self.subscription)
		self.assertEqual((str(application.from_date), str(application.to_date)), (str(start), str(end)))
		self.assertEqual(frappe.db.get_value("Subscription", self.subscription, "status"), "Active")

	def test_a_wrong_email_or_an_unknown_id_gets_the_same_answer_and_no_draft(self):
		right = send_form(customer_id=self.customer, email=self.email)
		wrong_email = send_form(customer_id=self.customer, email="someone.else@customer.test")
		unknown_id = send_form(customer_id="No Such Customer 4711", email=self.email)
		visible = ("doctype", "status", "docstatus", "customer", "application", "note", "application_doctype")
		answers = [{key: sent.get(key) for key in visible} for sent in (right, wrong_email, unknown_id)]
		self.assertEqual(answers[0], answers[1])
		self.assertEqual(answers[0], answers[2])
		before = frappe.db.count("Termination Application", {"customer": self.customer})
		for sent in (wrong_email, unknown_id):
			request = run_job(sent["name"])
			self.assertEqual(request.status, "Not Matched")
			self.assertFalse(request.customer)
			self.assertFalse(request.application)
		self.assertEqual(frappe.db.count("Termination Application", {"customer": self.customer}), before)

	def test_the_form_does_the_same_work_whether_or_not_the_pair_matches(self):
		"""No look-up of the customer while the visitor waits: the timing tells nothing either."""
		job = "churn_management.customer_service.jobs.online_requests.matching_customer"
		with (
			patch(job, side_effect=AssertionError("checked while the visitor waits")),
			patch("frappe.enqueue") as enqueue,
		):
			send_form(customer_id=self.customer, email=self.email)
			send_form(customer_id="No Such Customer 4711", email=self.email)
		self.assertEqual([call.args[0] for call in enqueue.call_args_list], [PROCESS_JOB, PROCESS_JOB])

	def test_a_contacts_email_matches_too(self):
		frappe.set_user("Administrator")
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Online",
				"email_ids": [{"email_id": "contact.person@customer.test", "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": self.customer}],
			}
		).insert(ignore_permissions=True)
		self.assertTrue(contact.name)
		frappe.set_user("Guest")
		sent = send_form(customer_id=self.customer, email="contact.person@customer.test")
		self.assertEqual(run_job(sent["name"]).status, "Draft Made")

	def test_sending_the_form_twice_makes_one_draft(self):
		first = run_job(send_form(customer_id=self.customer, email=self.email)["name"])
		second = run_job(send_form(customer_id=self.customer, email=self.email)["name"])
		self.assertEqual(second.status, "Duplicate")
		self.assertEqual(second.application, first.application)
		self.assertEqual(
			frappe.db.count("Termination Application", {"customer": self.customer, "channel": "Website"}), 1
		)
		# the job run again on a request it handled changes nothing
		self.assertEqual(run_job(first.name).application, first.application)
		self.assertEqual(
			frappe.db.count("Termination Application", {"customer": self.customer, "channel": "Website"}), 1
		)

	def test_a_pause_without_a_running_subscription_waits_for_the_desk(self):
		customer = make_customer()
		set_customer_email(customer, "no.subscription@customer.test")
		sent = send_form(
			customer_id=customer,
			email="no.subscription@customer.test",
			request_type="Pause the contract",
			pause_until=add_days(nowdate(), 40),
		)
		request = run_job(sent["name"])
		self.assertEqual(request.status, "Needs Review")
		self.assertIn("subscription", request.note)
		self.assertFalse(frappe.db.exists("Suspension Application", {"customer": customer}))

	def test_a_guest_cannot_set_the_desks_fields(self):
		sent = send_form(
			customer_id=self.customer, email=self.email, status="Draft Made", customer=self.customer
		)
		self.assertEqual(sent["status"], "Received")
		self.assertFalse(sent.get("customer"))

	def test_a_date_in_the_past_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			send_form(customer_id=self.customer, email=self.email, desired_date=add_days(nowdate(), -3))

	def test_a_visitor_sending_too_many_requests_is_stopped(self):
		frappe.local.request = Request(EnvironBuilder(method="POST").get_environ())
		frappe.local.request_ip = VISITOR_IP
		frappe.local.form_dict = frappe._dict(cmd=ACCEPT, web_form=WEB_FORM)
		frappe.cache.delete_value(frappe.cache.make_key(f"rl:{ACCEPT}:{VISITOR_IP}"), make_keys=False)
		frappe.cache.delete_value(
			frappe.cache.make_key(f"rl:{ACCEPT}:{VISITOR_IP}:{WEB_FORM}"), make_keys=False
		)
		try:
			for _ in range(REQUESTS_PER_HOUR):
				send_form(customer_id="Someone", email="someone@customer.test")
			with self.assertRaises(frappe.RateLimitExceededError):
				send_form(customer_id="Someone", email="someone@customer.test")
		finally:
			frappe.cache.delete_value(frappe.cache.make_key(f"rl:{ACCEPT}:{VISITOR_IP}"), make_keys=False)
			frappe.cache.delete_value(
				frappe.cache.make_key(f"rl:{ACCEPT}:{VISITOR_IP}:{WEB_FORM}"), make_keys=False
			)
