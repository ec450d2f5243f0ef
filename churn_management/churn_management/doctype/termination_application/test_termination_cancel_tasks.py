# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Cancelling a termination that retention tasks already follow up."""

import frappe
from frappe.model.workflow import apply_workflow

from churn_management.tests.retention_utils import (
	HEAD,
	MANAGER,
	MANAGER_2,
	RETENTION_TEST_IGNORE,
	RetentionTestCase,
	add_attempt,
	make_assignment_rule,
	make_task,
)
from churn_management.tests.utils import make_customer, make_subscription, make_termination_application

test_ignore = RETENTION_TEST_IGNORE


def comments_of(task: str) -> list[str]:
	return frappe.get_all(
		"Comment",
		filters={"reference_doctype": "Retention Task", "reference_name": task, "comment_type": "Info"},
		pluck="content",
	)


class TestCancellingATerminationWithTasks(RetentionTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_assignment_rule([MANAGER, MANAGER_2])

	def test_cancel_cancels_the_tasks_it_caused_and_undoes_exactly(self):
		customer = make_customer()
		subscription = make_subscription(customer)
		frappe.db.set_value("Customer", customer, "churn_status", "Overdue")
		application = make_termination_application(customer=customer)
		# the daily job made a prevention call for the filed application ...
		prevention = make_task(
			customer=customer, task_type="Prevention", termination_application=application.name, status="Open"
		)
		application = apply_workflow(apply_workflow(application, "Start Retention"), "Terminate")
		record = application.churn_record
		# ... and, once it was terminated, a win-back call and a reason call that a manager already made
		win_back = make_task(customer=customer, churn_record=record, status="Open")
		called = add_attempt(
			make_task(customer=customer, churn_record=record, task_type="Reason call"), "Refused"
		)
		called.outcome = "Refused"
		called.save()
		other = make_task(customer=make_customer(), status="Open")

		frappe.set_user(HEAD)
		application = apply_workflow(frappe.get_doc("Termination Application", application.name), "Cancel")
		frappe.set_user("Administrator")

		# the undo is exact: application cancelled, record gone, subscription and status as before
		self.assertEqual((application.docstatus, application.outcome), (2, ""))
		self.assertFalse(frappe.db.exists("Churn Record", record))
		self.assertEqual(frappe.db.get_value("Subscription", subscription, "status"), "Active")
		self.assertEqual(frappe.db.get_value("Customer", customer, "churn_status"), "Overdue")
		# the open tasks it caused are cancelled with a note, and nobody has them in their ToDo
		for task in (prevention.name, win_back.name):
			values = frappe.db.get_value("Retention Task", task, ["status", "outcome"], as_dict=True)
			self.assertEqual((values.status, values.outcome), ("Closed", "Not applicable"))
			self.assertTrue(any(application.name in c for c in comments_of(task)))
			self.assertFalse(
				frappe.db.exists(
					"ToDo", {"reference_name": task, "reference_type": "Retention Task", "status": "Open"}
				)
			)
		# the call already made keeps its outcome and says why its record is gone
		values = frappe.db.get_value("Retention Task", called.name, ["outcome", "churn_record"], as_dict=True)
		self.assertEqual((values.outcome, values.churn_record), ("Refused", None))
		self.assertTrue(any(record in c for c in comments_of(called.name)))
		self.assertEqual(frappe.db.get_value("Retention Task", other.name, "status"), "Open")
