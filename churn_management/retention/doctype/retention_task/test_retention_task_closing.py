# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A customer who came back is not called to be won back: their open calls close by themselves."""

from unittest.mock import patch

import frappe

from churn_management.churn_management.jobs.churn_status import update_churn_statuses
from churn_management.tests.retention_utils import (
	HEAD,
	MANAGER,
	MANAGER_2,
	RETENTION_TEST_IGNORE,
	RetentionTestCase,
	make_assignment_rule,
	make_churn_record,
	make_method,
	make_task,
)
from churn_management.tests.utils import make_debtor, make_reason, pay_invoice

test_ignore = RETENTION_TEST_IGNORE


def run_churn_job() -> None:
	"""The daily churn job commits per record in production; here the test keeps everything."""
	with patch.object(frappe.db, "commit"):
		update_churn_statuses()


def open_todos(user: str, tasks: list[str]) -> list[str]:
	"""What the manager sees in their ToDo list of these tasks."""
	frappe.set_user(user)
	try:
		return frappe.get_list(
			"ToDo",
			filters={"reference_type": "Retention Task", "reference_name": ("in", tasks), "status": "Open"},
			pluck="reference_name",
		)
	finally:
		frappe.set_user("Administrator")


class TestTasksOfReturnedCustomers(RetentionTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_assignment_rule([MANAGER, MANAGER_2])
		cls.method = make_method()
		reason = make_reason("_Test Non-payment", is_non_payment=1, managed=1).name
		frappe.db.set_single_value(
			"Churn Settings",
			{
				"non_payment_reason": reason,
				"churn_after_months": 3,
				"pre_churn_days": 30,
				"grace_days": 0,
				"min_debt_amount": 1,
			},
		)

	def assert_closed_with_reason(self, task: str, why: str):
		doc = frappe.get_doc("Retention Task", task)
		self.assertEqual((doc.status, doc.outcome), ("Closed", "Not applicable"))
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Retention Task", "reference_name": task},
			pluck="content",
		)
		self.assertTrue(any(why in (c or "") for c in comments), comments)

	def test_a_customer_who_pays_the_debt_is_not_called(self):
		customer, invoice = make_debtor(120, email=False)
		run_churn_job()
		record = frappe.db.get_value("Customer", customer, "open_churn_record")
		self.assertTrue(record)
		win_back = make_task(customer=customer, churn_record=record, task_type="Win-back", status="Open")
		reason_call = make_task(
			customer=customer, churn_record=record, task_type="Reason call", status="Open"
		)
		renewal = make_task(customer=customer, task_type="Renewal", status="Open")
		tasks = [win_back.name, reason_call.name]
		holders = {frappe.db.get_value("Retention Task", t, "assignee") for t in tasks}
		self.assertTrue(any(open_todos(user, tasks) for user in holders))

		pay_invoice(invoice)
		run_churn_job()

		self.assertEqual(frappe.db.get_value("Churn Record", record, "status"), "Returned by Payment")
		for user in (MANAGER, MANAGER_2):
			self.assertEqual(open_todos(user, tasks), [])
		for task in tasks:
			self.assert_closed_with_reason(task, record)
		# a call that is not about winning them back stays
		self.assertEqual(frappe.db.get_value("Retention Task", renewal.name, "status"), "Open")

	def test_a_customer_won_back_by_a_colleague_is_not_called_again(self):
		record = make_churn_record()
		waiting = make_task(customer=record.customer, churn_record=record.name, task_type="Win-back")
		# the head wins the customer back from the churn record itself
		frappe.set_user(HEAD)
		frappe.get_doc("Churn Record", record.name).mark_won_back(self.method)
		frappe.set_user("Administrator")
		self.assert_closed_with_reason(waiting.name, record.name)
		self.assertEqual(
			frappe.db.get_value("Retention Task", waiting.name, "closed_on"), frappe.utils.getdate()
		)
