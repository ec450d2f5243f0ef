# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, nowdate

from churn_management.churn_management.jobs.churn_status import update_churn_statuses
from churn_management.customer_service.doctype.tariff_change_application.tariff_change_application import (
	TariffDateError,
	TariffSamePlanError,
)
from churn_management.customer_service.jobs.applications import run as run_daily_job
from churn_management.retention.jobs.retention_tasks import make_tasks_for_rule
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
	set_cs_settings,
)
from churn_management.tests.utils import make_subscription_plan, pay_invoice

test_ignore = APPLICATION_TEST_IGNORE


def make_tariff_change(subscription, new_plan: str, change_date=None, submit: bool = False):
	doc = frappe.get_doc(
		{
			"doctype": "Tariff Change Application",
			"customer": subscription.party,
			"company": subscription.company,
			"subscription": subscription.name,
			"new_plan": new_plan,
			"change_date": change_date or nowdate(),
		}
	).insert()
	if submit:
		doc.submit()
	return doc


def run_status_job(as_of) -> None:
	"""The status job commits in production; in tests everything stays in the test's transaction."""
	with patch.object(frappe.db, "commit"):
		update_churn_statuses(as_of)


def plans_of(subscription: str) -> list[str]:
	return [row.plan for row in frappe.get_doc("Subscription", subscription).plans]


class TestTariffChangeApplication(FrappeTestCase):
	def setUp(self):
		make_cs_users()
		set_cs_settings(downgrade_pre_churn_days=30)
		self.subscription, self.invoice = make_billed_subscription(monthly_cost=900)
		frappe.db.set_value("Customer", self.subscription.party, "churn_status", "Active")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # each test starts from the class's clean state

	def test_an_upgrade_changes_the_plan_and_erpnext_bills_it_next(self):
		frappe.set_user(DESK)
		doc = make_tariff_change(self.subscription, make_subscription_plan(1200), submit=True)
		self.assertEqual(
			(doc.status, doc.is_downgrade, doc.current_plan), ("Changed", 0, "_Test Churn Monthly 900")
		)
		self.assertEqual(plans_of(self.subscription.name), ["_Test Churn Monthly 1200"])
		self.assertEqual(frappe.db.get_value("Customer", doc.customer, "churn_status"), "Active")
		# ERPNext's next invoice bills the new plan
		frappe.set_user("Administrator")
		subscription = frappe.get_doc("Subscription", self.subscription.name)
		subscription.update_subscription_period(add_days(subscription.current_invoice_end, 1))
		self.assertEqual(subscription.create_invoice().grand_total, 1200)

	def test_a_change_dated_ahead_waits_for_the_daily_job(self):
		frappe.set_user(DESK)
		ahead = add_days(nowdate(), 5)
		doc = make_tariff_change(self.subscription, make_subscription_plan(1200), ahead, submit=True)
		self.assertEqual(doc.status, "Scheduled")
		frappe.set_user("Administrator")
		self.assertEqual(run_daily_job(nowdate())["tariffs_changed"], 0)
		self.assertEqual(run_daily_job(ahead)["tariffs_changed"], 1)
		self.assertEqual(run_daily_job(ahead)["tariffs_changed"], 0)
		self.assertEqual(plans_of(self.subscription.name), ["_Test Churn Monthly 1200"])
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "status"), "Changed")

	def test_a_downgrade_is_a_churn_signal_for_its_days(self):
		frappe.set_user(DESK)
		doc = make_tariff_change(self.subscription, make_subscription_plan(500), submit=True)
		self.assertEqual(doc.is_downgrade, 1)
		self.assertEqual(getdate(doc.pre_churn_until), getdate(add_days(nowdate(), 30)))
		self.assertEqual(frappe.db.get_value("Customer", doc.customer, "churn_status"), "Pre-churn")
		frappe.set_user("Administrator")
		pay_invoice(self.invoice.name)
		# the daily status job keeps the customer pre-churn within the days, and lets go after them
		run_status_job(add_days(nowdate(), 10))
		self.assertEqual(frappe.db.get_value("Customer", doc.customer, "churn_status"), "Pre-churn")
		run_status_job(add_days(nowdate(), 31))
		self.assertEqual(frappe.db.get_value("Customer", doc.customer, "churn_status"), "Active")

	def test_a_downgrade_gives_a_prevention_task_by_rule_once(self):
		rule = frappe.get_doc(
			{
				"doctype": "Retention Task Rule",
				"rule_name": "_Test Downgrade Prevention",
				"trigger": "Tariff downgrade",
				"task_type": "Prevention",
				"due_days": 2,
				"max_attempts": 2,
			}
		).insert(ignore_permissions=True)
		frappe.set_user(DESK)
		doc = make_tariff_change(self.subscription, make_subscription_plan(500), submit=True)
		frappe.set_user("Administrator")
		self.assertGreaterEqual(make_tasks_for_rule(rule, getdate(nowdate())), 1)
		self.assertEqual(make_tasks_for_rule(rule, getdate(nowdate())), 0)
		tasks = frappe.get_all(
			"Retention Task", filters={"task_rule": rule.name, "customer": doc.customer}, pluck="name"
		)
		self.assertEqual(len(tasks), 1)
		task = frappe.get_doc("Retention Task", tasks[0])
		self.assertEqual(
			(task.customer, task.task_type, task.subscription), (doc.customer, "Prevention", doc.subscription)
		)

	def test_the_same_plan_is_refused(self):
		frappe.set_user(DESK)
		self.assertRaises(
			TariffSamePlanError, make_tariff_change, self.subscription, "_Test Churn Monthly 900"
		)
		self.assertFalse(
			frappe.db.exists("Tariff Change Application", {"subscription": self.subscription.name})
		)

	def test_a_date_before_the_last_invoice_is_refused(self):
		frappe.set_user(DESK)
		before = add_days(self.invoice.posting_date, -1)
		self.assertRaises(
			TariffDateError, make_tariff_change, self.subscription, make_subscription_plan(1200), before
		)
		self.assertEqual(plans_of(self.subscription.name), ["_Test Churn Monthly 900"])

	def test_cancelling_puts_the_plan_back(self):
		doc = make_tariff_change(self.subscription, make_subscription_plan(1200), submit=True)
		doc.cancel()
		self.assertEqual(plans_of(self.subscription.name), ["_Test Churn Monthly 900"])
		self.assertEqual(doc.status, "Cancelled")

	def test_role_matrix(self):
		doc = make_tariff_change(self.subscription, make_subscription_plan(1200))
		assert_role_matrix(
			self,
			doc,
			("read", "create", "submit"),
			{DESK: (1, 1, 1), HEAD: (1, 1, 1), ACCOUNTS: (1, 0, 0), COLLECTOR: (0, 0, 0)},
		)
