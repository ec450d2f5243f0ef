# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.model.workflow import WorkflowPermissionError, apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, nowdate

from churn_management.churn_management.doctype.churn_reason.churn_reason import (
	ReasonMismatchError,
	ReasonNotLeafError,
)
from churn_management.churn_management.doctype.termination_application.termination_application import (
	AlreadyTerminatedError,
	CompetitorRequiredError,
	EffectiveDateError,
	OutcomeError,
	ReasonRequiredError,
	SubscriptionMismatchError,
	get_customer_context,
	get_desk_defaults,
	get_final_bills,
)
from churn_management.churn_management.doctype.termination_application.termination_subscriptions import (
	SubscriptionEndError,
	UndoRefusedError,
	end_scheduled,
)
from churn_management.tests.retention_utils import make_churn_record
from churn_management.tests.utils import CHURN_ANALYST as ANALYST
from churn_management.tests.utils import CHURN_DESK as DESK
from churn_management.tests.utils import CHURN_HEAD as HEAD
from churn_management.tests.utils import CHURN_MANAGER as MANAGER
from churn_management.tests.utils import CHURN_OUTSIDER as OUTSIDER
from churn_management.tests.utils import (
	TEST_IGNORE,
	get_company,
	make_churn_users,
	make_competitor,
	make_customer,
	make_item,
	make_reason,
	make_reason_group,
	make_retention_method,
	make_sales_invoice,
	make_subscription,
	make_termination_application,
)

test_ignore = TEST_IGNORE


def terminate(app):
	return apply_workflow(apply_workflow(app, "Start Retention"), "Terminate")


def reload(app):
	return frappe.get_doc("Termination Application", app.name)


def make_yearly_subscription(customer: str, yearly_cost: float = 9600, days_ago: int = 30) -> str:
	"""A subscription billed at the end of each year: its final invoice is posted next year."""
	return make_subscription(customer, yearly_cost, days_ago, interval="Year")


def disable_fiscal_years_covering(date) -> list[str]:
	"""Disable the Fiscal Years holding the date (as a site that has not opened that year yet)."""
	names = frappe.get_all(
		"Fiscal Year",
		filters={"year_start_date": ("<=", date), "year_end_date": (">=", date), "disabled": 0},
		pluck="name",
	)
	for name in names:
		frappe.db.set_value("Fiscal Year", name, "disabled", 1)
	frappe.cache.delete_value("fiscal_years")
	return names


def enable_fiscal_years(names: list[str]) -> None:
	for name in names:
		frappe.db.set_value("Fiscal Year", name, "disabled", 0)
	frappe.cache.delete_value("fiscal_years")


class TestTerminationApplication(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_churn_users()
		cls.method = make_retention_method("_Test Discount 20% for 3 months").name
		cls.competitor_reason = make_reason(
			"_Test Went to a cheaper rival",
			group=make_reason_group("_Test Group Competitor").name,
			requires_competitor=1,
		).name
		cls.non_payment = make_reason("_Test Non-payment", is_non_payment=1).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_terminated_path_fills_the_register(self):
		app = terminate(make_termination_application())
		self.assertEqual((app.docstatus, app.outcome), (1, "Terminated"))
		record = frappe.get_doc("Churn Record", app.churn_record)
		self.assertEqual(record.churn_kind, "Voluntary")
		self.assertEqual(record.churn_reason, app.churn_reason)
		self.assertEqual(record.customer_words, app.customer_words)
		self.assertEqual(record.source_name, app.name)
		self.assertEqual(record.channel, "Office")
		self.assertEqual(record.handled_by, "Administrator")
		self.assertEqual(record.offer_result, "Not Offered")
		self.assertEqual(str(record.churn_date), nowdate())
		customer = frappe.db.get_value(
			"Customer", app.customer, ["churn_status", "open_churn_record"], as_dict=True
		)
		self.assertEqual((customer.churn_status, customer.open_churn_record), ("Churned", record.name))

	def test_every_subscription_ends_through_erpnext_by_default(self):
		customer = make_customer()
		first = make_subscription(customer, monthly_cost=1200)
		second = make_subscription(customer, monthly_cost=300)
		app = make_termination_application(customer=customer)
		self.assertEqual({row.subscription for row in app.subscriptions}, {first, second})
		self.assertEqual(app.lost_mrr, 1500)
		app = terminate(app)
		for name in (first, second):
			ended = frappe.db.get_value(
				"Subscription", name, ["status", "cancelation_date", "termination_application"], as_dict=True
			)
			self.assertEqual(ended.status, "Cancelled")
			self.assertEqual(str(ended.cancelation_date), nowdate())
			self.assertEqual(ended.termination_application, app.name)
		self.assertEqual({row.end_state for row in reload(app).subscriptions}, {"Ended"})
		record = frappe.get_doc("Churn Record", app.churn_record)
		self.assertEqual(record.lost_mrr, 1500)
		self.assertIn("_Test Churn Monthly 1200", record.tariff)
		self.assertGreaterEqual(record.tenure_months, 1.2)

	def test_ending_some_subscriptions_is_a_partial_termination(self):
		customer = make_customer()
		kept = make_subscription(customer, monthly_cost=1200)
		dropped = make_subscription(customer, monthly_cost=300)
		app = make_termination_application(customer=customer, save=False)
		for row in app.subscriptions:
			row.end_subscription = int(row.subscription == dropped)
		app.insert()
		app = terminate(app)
		self.assertEqual(app.outcome, "Partially Terminated")
		self.assertEqual(app.lost_mrr, 300)
		self.assertFalse(app.churn_record)
		self.assertEqual(frappe.db.get_value("Subscription", dropped, "status"), "Cancelled")
		self.assertNotEqual(frappe.db.get_value("Subscription", kept, "status"), "Cancelled")
		self.assertNotEqual(frappe.db.get_value("Customer", customer, "churn_status"), "Churned")
		# a second application for the same customer ends the last one: that is churn
		second = terminate(make_termination_application(customer=customer))
		self.assertEqual([row.subscription for row in second.subscriptions], [kept])
		self.assertEqual(second.outcome, "Terminated")
		self.assertEqual(frappe.db.get_value("Customer", customer, "churn_status"), "Churned")

	def test_a_debtor_churned_by_non_payment_can_still_terminate(self):
		customer = make_customer()
		record = make_churn_record(
			customer, churn_kind="Involuntary", churn_reason=self.non_payment, lost_mrr=0
		)
		app = terminate(make_termination_application(customer=customer, churn_kind="Voluntary"))
		self.assertEqual(app.churn_record, record.name)
		self.assertTrue(app.took_over_record)
		record.reload()
		self.assertEqual((record.churn_kind, record.churn_reason), ("Voluntary", app.churn_reason))
		self.assertEqual(record.source_name, app.name)
		self.assertEqual(str(record.churn_date), str(add_days(nowdate(), -5)))
		self.assertEqual(frappe.db.count("Churn Record", {"customer": customer}), 1)
		# cancelling gives the record back exactly as it was
		frappe.set_user(HEAD)
		apply_workflow(reload(app), "Cancel")
		frappe.set_user("Administrator")
		record.reload()
		self.assertEqual((record.churn_kind, record.churn_reason), ("Involuntary", self.non_payment))
		self.assertFalse(record.source_name)
		self.assertEqual(frappe.db.get_value("Customer", customer, "churn_status"), "Churned")

	def test_cancel_undoes_exactly_what_the_application_did(self):
		customer = make_customer()
		subscription = make_subscription(customer)
		frappe.db.set_value("Customer", customer, "churn_status", "Overdue")
		app = terminate(make_termination_application(customer=customer))
		self.assertEqual(app.former_churn_status, "Overdue")
		record = app.churn_record
		frappe.set_user(HEAD)
		app = apply_workflow(reload(app), "Cancel")
		frappe.set_user("Administrator")
		self.assertEqual(app.docstatus, 2)
		self.assertFalse(app.outcome)
		self.assertFalse(frappe.db.exists("Churn Record", record))
		self.assertEqual(frappe.db.get_value("Customer", customer, "churn_status"), "Overdue")
		self.assertEqual(frappe.db.get_value("Subscription", subscription, "status"), "Active")
		self.assertEqual(reload(app).subscriptions[0].end_state, "Restored")

	def test_cancel_refuses_when_an_invoice_came_since(self):
		customer = make_customer()
		app = terminate(make_termination_application(customer=customer))
		frappe.db.set_value(
			"Termination Application",
			app.name,
			"termination_state",
			frappe.as_json(
				{**frappe.parse_json(reload(app).termination_state), "terminated_at": "2000-01-01 00:00:00"}
			),
		)
		make_sales_invoice(customer, days_past_due=1)
		frappe.set_user(HEAD)
		with self.assertRaises(UndoRefusedError):
			apply_workflow(reload(app), "Cancel")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Termination Application", app.name, "docstatus"), 1)
		self.assertTrue(frappe.db.exists("Churn Record", app.churn_record))

	def test_cancel_refuses_after_a_win_back(self):
		app = terminate(make_termination_application())
		frappe.get_doc("Churn Record", app.churn_record).mark_won_back(self.method)
		frappe.set_user(HEAD)
		with self.assertRaises(UndoRefusedError):
			apply_workflow(reload(app), "Cancel")

	def test_notice_for_a_later_date_is_scheduled_and_kept_by_the_retention_manager(self):
		customer = make_customer()
		subscription = make_subscription(customer)
		app = terminate(
			make_termination_application(customer=customer, effective_date=add_days(nowdate(), 20))
		)
		self.assertEqual(frappe.db.get_value("Customer", customer, "churn_status"), "Pre-churn")
		self.assertEqual(reload(app).subscriptions[0].end_state, "Scheduled")
		self.assertEqual(frappe.db.get_value("Subscription", subscription, "status"), "Active")
		frappe.set_user(MANAGER)
		app = reload(app)
		app.retention_method = self.method
		app.offer_made = "Three months at 20 % off"
		app.save()
		app = apply_workflow(app, "Retain")
		frappe.set_user("Administrator")
		self.assertEqual((app.docstatus, app.outcome), (1, "Retained"))
		self.assertFalse(app.churn_record)
		self.assertFalse(frappe.db.exists("Churn Record", {"customer": customer}))
		self.assertEqual(reload(app).subscriptions[0].end_state, "Restored")
		self.assertNotIn(frappe.db.get_value("Customer", customer, "churn_status"), ("Churned", "Pre-churn"))

	def test_a_termination_in_effect_cannot_be_retained(self):
		app = terminate(make_termination_application())
		frappe.set_user(MANAGER)
		app = reload(app)
		app.retention_method = self.method
		app.save()
		with self.assertRaises((WorkflowPermissionError, frappe.ValidationError)):
			apply_workflow(app, "Retain")

	def test_scheduled_subscriptions_end_on_the_effective_date(self):
		customer = make_customer()
		subscription = make_subscription(customer)
		app = terminate(
			make_termination_application(customer=customer, effective_date=add_days(nowdate(), 3))
		)
		frappe.db.set_value("Termination Application", app.name, "effective_date", nowdate())
		self.assertEqual(end_scheduled(app.name), 1)
		self.assertEqual(frappe.db.get_value("Subscription", subscription, "status"), "Cancelled")

	def test_reason_must_fit_the_customer_type_and_the_kind_of_churn(self):
		home_only = make_reason("_Test Moved flat", customer_type="B2C").name
		with self.assertRaises(ReasonMismatchError):
			make_termination_application(
				customer=make_customer(customer_type="Company"), churn_reason=home_only
			)
		with self.assertRaises(ReasonMismatchError):
			make_termination_application(churn_reason=self.non_payment, churn_kind="Voluntary")
		with self.assertRaises(ReasonMismatchError):
			make_termination_application(churn_kind="Involuntary")

	def test_subscription_of_another_customer_is_refused(self):
		subscription = make_subscription(make_customer())
		with self.assertRaises(SubscriptionMismatchError):
			make_termination_application(customer=make_customer(), subscription=subscription)

	def test_equipment_stays_editable_after_submit(self):
		frappe.set_user(DESK)
		app = make_termination_application(equipment=[{"description": "Alarm panel", "other_serial": "A-17"}])
		app = terminate(app)
		app = reload(app)
		app.equipment[0].returned = 1
		app.save()
		self.assertEqual(frappe.db.get_value("Termination Equipment", app.equipment[0].name, "returned"), 1)

	def test_retained_path_records_the_method(self):
		app = apply_workflow(make_termination_application(), "Start Retention")
		with self.assertRaises(OutcomeError):
			apply_workflow(reload(app), "Retain")
		app = reload(app)
		app.retention_method = self.method
		app.offer_made = "20 % off for three months"
		app.save()
		app = apply_workflow(app, "Retain")
		self.assertEqual(app.outcome, "Retained")
		self.assertFalse(frappe.db.exists("Churn Record", {"customer": app.customer}))

	def test_withdrawn_path(self):
		app = apply_workflow(make_termination_application(), "Withdraw")
		self.assertEqual((app.docstatus, app.outcome), (1, "Withdrawn"))

	def test_bad_input(self):
		with self.assertRaises(ReasonNotLeafError):
			make_termination_application(churn_reason=make_reason_group("_Test Group Price").name)
		with self.assertRaises(EffectiveDateError):
			make_termination_application(effective_date=add_days(nowdate(), -1))
		with self.assertRaises(CompetitorRequiredError):
			make_termination_application(churn_reason=self.competitor_reason)
		self.assertTrue(
			make_termination_application(
				churn_reason=self.competitor_reason, competitor=make_competitor()
			).name
		)
		with self.assertRaises(ReasonRequiredError):
			make_termination_application(customer_words="   ")

	def test_submit_needs_a_reason_and_leaves_nothing_half_written(self):
		app = make_termination_application()
		app.churn_reason = None
		app.save()
		app = apply_workflow(app, "Start Retention")
		with self.assertRaises(ReasonRequiredError):
			apply_workflow(reload(app), "Terminate")
		self.assertEqual(frappe.db.get_value("Termination Application", app.name, "docstatus"), 0)
		self.assertFalse(frappe.db.exists("Churn Record", {"customer": app.customer}))

	def test_desk_fills_and_submits_with_its_own_rights(self):
		customer = make_customer()
		make_subscription(customer, monthly_cost=500)
		frappe.set_user(DESK)
		self.assertEqual(get_desk_defaults()["company"], get_company())
		context = get_customer_context(customer, get_company())
		self.assertEqual([s["monthly_revenue"] for s in context["subscriptions"]], [500])
		app = terminate(make_termination_application(customer=customer))
		self.assertEqual(app.docstatus, 1)
		self.assertFalse(frappe.has_permission("Termination Application", "cancel", doc=app))
		with self.assertRaises(frappe.ValidationError):
			apply_workflow(reload(app), "Cancel")

	def test_customer_context_of_a_company_the_user_may_not_see(self):
		from frappe.permissions import add_user_permission

		add_user_permission("Company", get_company(), DESK)
		other = frappe.db.get_value("Company", {"name": ("!=", get_company())}, "name")
		frappe.set_user(DESK)
		if other:
			with self.assertRaises(frappe.PermissionError):
				get_customer_context(make_customer(), other)
		frappe.set_user(OUTSIDER)
		with self.assertRaises(frappe.PermissionError):
			get_customer_context(make_customer(), get_company())

	def test_analyst_reads_but_changes_nothing_and_outsiders_see_nothing(self):
		app = make_termination_application()
		frappe.set_user(ANALYST)
		self.assertTrue(frappe.has_permission("Termination Application", "read", doc=app))
		self.assertFalse(frappe.has_permission("Termination Application", "write", doc=app))
		with self.assertRaises(frappe.PermissionError):
			make_termination_application()
		frappe.set_user(OUTSIDER)
		self.assertFalse(frappe.has_permission("Termination Application", "read", doc=app))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_list("Termination Application")

	def test_effective_date_is_kept_for_the_record(self):
		app = terminate(make_termination_application(effective_date=add_days(nowdate(), 10)))
		record = frappe.get_doc("Churn Record", app.churn_record)
		self.assertEqual(getdate(record.churn_date), getdate(add_days(nowdate(), 10)))

	def test_a_customer_terminated_once_is_not_terminated_twice(self):
		customer = make_customer()
		make_subscription(customer)
		frappe.set_user(DESK)
		early_draft = make_termination_application(customer=customer)
		first = terminate(make_termination_application(customer=customer))
		with self.assertRaises(AlreadyTerminatedError) as refused:
			make_termination_application(customer=customer)
		self.assertIn(first.name, str(refused.exception))
		# a draft filed before the first was terminated cannot terminate either, but may be withdrawn
		with self.assertRaises(AlreadyTerminatedError):
			terminate(reload(early_draft))
		self.assertEqual(apply_workflow(reload(early_draft), "Withdraw").outcome, "Withdrawn")
		record = frappe.get_doc("Churn Record", first.churn_record)
		self.assertEqual((record.source_name, record.churn_kind), (first.name, "Voluntary"))
		self.assertFalse(frappe.db.get_value("Termination Application", early_draft.name, "churn_record"))
		context = get_customer_context(customer, get_company())
		self.assertFalse(context["open_churn_record"]["can_take_over"])

	def test_only_a_churn_by_non_payment_is_taken_over(self):
		customer = make_customer()
		record = make_churn_record(customer, lost_mrr=0)
		frappe.set_user(MANAGER)
		with self.assertRaises(AlreadyTerminatedError) as refused:
			make_termination_application(customer=customer)
		self.assertIn(record.name, str(refused.exception))

	def test_the_desk_sees_what_erpnext_will_bill_before_terminating(self):
		customer = make_customer()
		prorated = make_subscription(customer, monthly_cost=930)
		in_advance = make_subscription(customer, monthly_cost=310)
		frappe.db.set_value(
			"Subscription", in_advance, "generate_invoice_at", "Beginning of the current subscription period"
		)
		frappe.set_user(DESK)
		app = make_termination_application(customer=customer)
		bills = {
			bill["subscription"]: bill
			for bill in get_final_bills(customer, get_company(), app.effective_date, [prorated, in_advance])
		}
		self.assertTrue(bills[prorated]["bills"])
		self.assertFalse(bills[in_advance]["bills"])
		self.assertTrue(bills[in_advance]["note"])
		app = terminate(app)
		frappe.set_user("Administrator")
		rows = {row.subscription: row for row in reload(app).subscriptions}
		self.assertFalse(rows[in_advance].final_invoice)
		invoice = frappe.get_doc("Sales Invoice", rows[prorated].final_invoice)
		bill = bills[prorated]
		self.assertEqual(
			(getdate(bill["from_date"]), getdate(bill["to_date"]), getdate(bill["posting_date"])),
			(getdate(invoice.from_date), getdate(invoice.to_date), getdate(invoice.posting_date)),
		)
		self.assertAlmostEqual(bill["amount"], invoice.grand_total, places=2)
		self.assertEqual(bill["currency"], invoice.currency)
		self.assertIsNone(bill["problem"])

	def test_the_preview_follows_the_proration_setting(self):
		customer = make_customer()
		subscription = make_subscription(customer, monthly_cost=620)
		prorate = frappe.db.get_single_value("Subscription Settings", "prorate")
		self.addCleanup(frappe.db.set_single_value, "Subscription Settings", "prorate", prorate)
		frappe.db.set_single_value("Subscription Settings", "prorate", 0)
		frappe.set_user(DESK)
		[bill] = get_final_bills(customer, get_company(), nowdate(), [subscription])
		self.assertEqual((bill["amount"], bill["prorated"]), (620, False))
		app = terminate(make_termination_application(customer=customer))
		frappe.set_user("Administrator")
		invoice = reload(app).subscriptions[0].final_invoice
		self.assertEqual(frappe.db.get_value("Sales Invoice", invoice, "grand_total"), 620)

	def test_an_erpnext_error_is_explained_and_nothing_is_half_written(self):
		customer = make_customer()
		monthly = make_subscription(customer)
		yearly = make_yearly_subscription(customer)
		posting_date = frappe.db.get_value("Subscription", yearly, "current_invoice_end")
		self.addCleanup(enable_fiscal_years, disable_fiscal_years_covering(posting_date))
		status_before = frappe.db.get_value("Customer", customer, "churn_status")
		frappe.set_user(DESK)
		app = make_termination_application(
			customer=customer,
			subscriptions=[
				{"subscription": monthly, "end_subscription": 1},
				{"subscription": yearly, "end_subscription": 1},
			],
		)
		bills = {
			bill["subscription"]: bill
			for bill in get_final_bills(customer, get_company(), app.effective_date, [monthly, yearly])
		}
		self.assertIsNone(bills[monthly]["problem"])
		self.assertIn(yearly, bills[yearly]["problem"])
		self.assertIn("Fiscal Year", bills[yearly]["problem"])
		app = apply_workflow(app, "Start Retention")
		with self.assertRaises(SubscriptionEndError) as failed:
			apply_workflow(reload(app), "Terminate")
		self.assertIn(yearly, str(failed.exception))
		self.assertIn("Fiscal Year", str(failed.exception))
		frappe.set_user("Administrator")
		# the application is as it was: still a retention attempt, nothing of the termination kept
		saved = frappe.db.get_value(
			"Termination Application", app.name, ["docstatus", "outcome", "churn_record"], as_dict=True
		)
		self.assertEqual((saved.docstatus, saved.outcome or "", saved.churn_record), (0, "", None))
		self.assertEqual(
			[frappe.db.get_value("Subscription", s, "status") for s in (monthly, yearly)],
			["Active", "Active"],
		)
		self.assertFalse(frappe.db.exists("Sales Invoice", {"subscription": ("in", [monthly, yearly])}))
		self.assertFalse(frappe.db.exists("Churn Record", {"customer": customer}))
		self.assertEqual(frappe.db.get_value("Customer", customer, "churn_status"), status_before)
