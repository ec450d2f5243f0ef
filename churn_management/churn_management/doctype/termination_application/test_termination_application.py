# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from churn_management.churn_management.doctype.churn_reason.churn_reason import ReasonNotLeafError
from churn_management.churn_management.doctype.churn_record.churn_record import OpenChurnRecordExistsError
from churn_management.churn_management.doctype.termination_application.termination_application import (
	CompetitorRequiredError,
	EffectiveDateError,
	OutcomeError,
	ReasonRequiredError,
)
from churn_management.tests.utils import (
	TEST_IGNORE,
	make_competitor,
	make_customer,
	make_reason,
	make_reason_group,
	make_retention_method,
	make_subscription,
	make_termination_application,
	make_user,
)

test_ignore = TEST_IGNORE

DESK = "churn.desk@example.com"
ANALYST = "churn.analyst@example.com"
HEAD = "churn.head@example.com"
OUTSIDER = "churn.outsider@example.com"


class TestTerminationApplication(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(DESK, ["Termination Desk"])
		make_user(ANALYST, ["Churn Analyst"])
		make_user(HEAD, ["Retention Head"])
		make_user(OUTSIDER, ["Sales User"])
		cls.method = make_retention_method("_Test Discount 20% for 3 months").name
		cls.competitor_reason = make_reason(
			"_Test Went to a cheaper rival",
			group=make_reason_group("_Test Group Competitor").name,
			requires_competitor=1,
		).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_terminated_path_fills_the_register(self):
		app = make_termination_application()
		self.assertEqual(app.workflow_state, "Draft")
		app = apply_workflow(app, "Start Retention")
		app = apply_workflow(app, "Terminate")
		self.assertEqual(app.docstatus, 1)
		self.assertEqual(app.outcome, "Terminated")
		record = frappe.get_doc("Churn Record", app.churn_record)
		self.assertEqual(record.churn_kind, "Voluntary")
		self.assertEqual(record.churn_reason, app.churn_reason)
		self.assertEqual(record.customer_words, app.customer_words)
		self.assertEqual(record.source_name, app.name)
		self.assertEqual(str(record.churn_date), nowdate())
		customer = frappe.db.get_value(
			"Customer", app.customer, ["churn_status", "open_churn_record"], as_dict=True
		)
		self.assertEqual(customer.churn_status, "Churned")
		self.assertEqual(customer.open_churn_record, record.name)

	def test_terminating_ends_the_subscription_and_takes_its_revenue(self):
		customer = make_customer()
		subscription = make_subscription(customer, monthly_cost=1200)
		app = make_termination_application(customer=customer, subscription=subscription)
		app = apply_workflow(apply_workflow(app, "Start Retention"), "Terminate")
		ended = frappe.db.get_value(
			"Subscription", subscription, ["end_date", "status", "termination_application"], as_dict=True
		)
		self.assertEqual(str(ended.end_date), nowdate())
		self.assertEqual(ended.status, "Cancelled")
		self.assertEqual(ended.termination_application, app.name)
		record = frappe.get_doc("Churn Record", app.churn_record)
		self.assertEqual(record.lost_mrr, 1200)
		self.assertEqual(record.subscription, subscription)
		self.assertIn("_Test Churn Monthly 1200", record.tariff)
		self.assertGreaterEqual(record.tenure_months, 1.2)

	def test_subscription_of_another_customer_is_refused(self):
		from churn_management.churn_management.doctype.termination_application.termination_application import (
			SubscriptionMismatchError,
		)

		subscription = make_subscription(make_customer())
		with self.assertRaises(SubscriptionMismatchError):
			make_termination_application(customer=make_customer(), subscription=subscription)

	def test_future_effective_date_means_pre_churn(self):
		app = make_termination_application(effective_date=add_days(nowdate(), 20))
		app = apply_workflow(apply_workflow(app, "Start Retention"), "Terminate")
		self.assertEqual(frappe.db.get_value("Customer", app.customer, "churn_status"), "Pre-churn")

	def test_retained_path_records_the_method(self):
		app = make_termination_application()
		app = apply_workflow(app, "Start Retention")
		with self.assertRaises(OutcomeError):
			apply_workflow(frappe.get_doc("Termination Application", app.name), "Retain")
		app = frappe.get_doc("Termination Application", app.name)
		app.retention_method = self.method
		app.offer_made = "20 % off for three months"
		app.save()
		app = apply_workflow(app, "Retain")
		self.assertEqual(app.outcome, "Retained")
		self.assertFalse(app.churn_record)
		self.assertFalse(frappe.db.exists("Churn Record", {"customer": app.customer}))
		self.assertNotEqual(frappe.db.get_value("Customer", app.customer, "churn_status"), "Churned")

	def test_withdrawn_path(self):
		app = apply_workflow(make_termination_application(), "Withdraw")
		self.assertEqual((app.docstatus, app.outcome), (1, "Withdrawn"))
		self.assertFalse(frappe.db.exists("Churn Record", {"customer": app.customer}))

	def test_a_group_is_not_a_reason(self):
		group = make_reason_group("_Test Group Price").name
		with self.assertRaises(ReasonNotLeafError):
			make_termination_application(churn_reason=group)

	def test_effective_date_before_application_date(self):
		with self.assertRaises(EffectiveDateError):
			make_termination_application(effective_date=add_days(nowdate(), -1))

	def test_competitor_required_for_competitor_reasons(self):
		with self.assertRaises(CompetitorRequiredError):
			make_termination_application(churn_reason=self.competitor_reason)
		app = make_termination_application(churn_reason=self.competitor_reason, competitor=make_competitor())
		self.assertTrue(app.name)

	def test_customer_words_are_required(self):
		with self.assertRaises(frappe.ValidationError):
			make_termination_application(customer_words="   ")

	def test_submit_needs_a_reason(self):
		app = make_termination_application()
		app.churn_reason = None
		app.save()
		app = apply_workflow(app, "Start Retention")
		with self.assertRaises(ReasonRequiredError):
			apply_workflow(frappe.get_doc("Termination Application", app.name), "Terminate")
		self.assertEqual(frappe.db.get_value("Termination Application", app.name, "docstatus"), 0)

	def test_no_second_termination_while_a_record_is_open(self):
		customer = make_customer()
		first = apply_workflow(
			apply_workflow(make_termination_application(customer=customer), "Start Retention"), "Terminate"
		)
		self.assertTrue(first.churn_record)
		before = frappe.db.count("Termination Application", {"customer": customer})
		with self.assertRaises(OpenChurnRecordExistsError):
			make_termination_application(customer=customer)
		self.assertEqual(frappe.db.count("Termination Application", {"customer": customer}), before)

	def test_nothing_half_written_when_submit_fails(self):
		customer = make_customer()
		draft = apply_workflow(make_termination_application(customer=customer), "Start Retention")
		other = apply_workflow(
			apply_workflow(make_termination_application(customer=customer), "Start Retention"), "Terminate"
		)
		with self.assertRaises(OpenChurnRecordExistsError):
			apply_workflow(frappe.get_doc("Termination Application", draft.name), "Terminate")
		self.assertEqual(frappe.db.get_value("Termination Application", draft.name, "docstatus"), 0)
		self.assertEqual(frappe.db.count("Churn Record", {"customer": customer}), 1)
		self.assertEqual(
			frappe.db.get_value("Churn Record", {"customer": customer}, "source_name"), other.name
		)

	def test_cancel_takes_the_record_out_of_the_register(self):
		app = apply_workflow(apply_workflow(make_termination_application(), "Start Retention"), "Terminate")
		record = app.churn_record
		frappe.set_user(HEAD)
		app = apply_workflow(frappe.get_doc("Termination Application", app.name), "Cancel")
		frappe.set_user("Administrator")
		self.assertEqual(app.docstatus, 2)
		self.assertFalse(frappe.db.exists("Churn Record", record))
		self.assertEqual(frappe.db.get_value("Customer", app.customer, "churn_status"), "Active")

	def test_desk_creates_and_terminates_but_cannot_cancel(self):
		customer = make_customer()
		frappe.set_user(DESK)
		app = make_termination_application(customer=customer)
		app = apply_workflow(apply_workflow(app, "Start Retention"), "Terminate")
		self.assertEqual(app.docstatus, 1)
		self.assertFalse(frappe.has_permission("Termination Application", "cancel", doc=app))
		with self.assertRaises(frappe.ValidationError):
			apply_workflow(frappe.get_doc("Termination Application", app.name), "Cancel")

	def test_analyst_reads_but_changes_nothing(self):
		app = make_termination_application()
		frappe.set_user(ANALYST)
		self.assertTrue(frappe.has_permission("Termination Application", "read", doc=app))
		self.assertFalse(frappe.has_permission("Termination Application", "create"))
		self.assertFalse(frappe.has_permission("Termination Application", "write", doc=app))
		with self.assertRaises(frappe.PermissionError):
			make_termination_application()

	def test_ordinary_users_see_nothing(self):
		app = make_termination_application()
		frappe.set_user(OUTSIDER)
		self.assertFalse(frappe.has_permission("Termination Application", "read", doc=app))
		self.assertFalse(frappe.has_permission("Churn Record", "read"))
		self.assertFalse(frappe.has_permission("Churn Reason", "read"))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_list("Termination Application")
