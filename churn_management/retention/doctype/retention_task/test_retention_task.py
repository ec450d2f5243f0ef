# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.desk.form.assign_to import add as assign
from frappe.utils import add_days, nowdate

from churn_management.retention.doctype.retention_settings.retention_settings import AssigneeRoleError
from churn_management.retention.doctype.retention_task.retention_task import (
	AttemptError,
	TaskOutcomeError,
	get_call_guide,
)
from churn_management.retention.doctype.retention_task.retention_task_utils import cancel_subscription
from churn_management.tests.retention_utils import (
	ANALYST,
	DESK,
	HEAD,
	MANAGER,
	MANAGER_2,
	OUTSIDER,
	RETENTION_TEST_IGNORE,
	RetentionTestCase,
	add_attempt,
	make_assignment_rule,
	make_churn_record,
	make_method,
	make_task,
	set_retention_settings,
)
from churn_management.tests.utils import (
	TEST_IGNORE,
	make_customer,
	make_reason,
	make_reason_group,
	make_subscription,
	make_termination_application,
)

test_ignore = RETENTION_TEST_IGNORE


class TestRetentionTask(RetentionTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_assignment_rule([MANAGER, MANAGER_2])
		set_retention_settings(
			monthly_churn_rate=2.5,
			max_lifetime_months=120,
			high_priority_from=30000,
			medium_priority_from=10000,
		)
		cls.method = make_method()

	# ------------------------------------------------------------ bad input

	def test_an_outcome_needs_an_attempt(self):
		task = make_task()
		task.outcome = "Refused"
		self.assertRaises(TaskOutcomeError, task.save)
		task.reload()
		self.assertEqual(task.status, "Waiting")
		self.assertFalse(task.outcome)

	def test_returned_needs_a_method(self):
		task = add_attempt(make_task())
		task.outcome = "Returned"
		self.assertRaises(TaskOutcomeError, task.save)
		task.reload()
		self.assertEqual(task.status, "Waiting")
		add_attempt(task)
		task.update({"outcome": "Returned", "retention_method": self.method})
		task.save()
		self.assertEqual(task.status, "Closed")

	def test_negative_minutes_are_refused(self):
		task = add_attempt(make_task(), result="No answer", minutes=-3)
		self.assertRaises(AttemptError, task.save)
		self.assertEqual(frappe.db.count("Retention Task Attempt", {"parent": task.name}), 0)

	def test_no_more_attempts_than_allowed(self):
		task = make_task(max_attempts=2)
		add_attempt(task, "No answer")
		add_attempt(task, "No answer")
		task.save()
		add_attempt(task, "No answer")
		self.assertRaises(AttemptError, task.save)

	def test_assigning_to_a_user_without_retention_role_is_refused(self):
		task = make_task()
		with self.assertRaises(AssigneeRoleError):
			assign({"assign_to": [OUTSIDER], "doctype": "Retention Task", "name": task.name})
		self.assertFalse(frappe.db.exists("ToDo", {"reference_name": task.name, "allocated_to": OUTSIDER}))

	# ------------------------------------------------------------ workflow

	def test_attempts_are_summed_and_closing_records_who_and_when(self):
		task = make_task(status="Open")
		add_attempt(task, "No answer", 2)
		task.save()
		self.assertEqual(task.status, "In Progress")
		add_attempt(task, "Refused", 7)
		task.outcome = "Refused"
		task.save()
		self.assertEqual((task.attempt_count, task.minutes_spent), (2, 9))
		self.assertEqual(task.status, "Closed")
		self.assertEqual(str(task.closed_on), nowdate())

	def test_value_of_a_return_sets_priority(self):
		# 2.5 % monthly churn -> 40 months; 990 x 40 = 39,600 >= 30,000 -> High
		task = make_task(monthly_revenue=990)
		self.assertEqual(task.return_value, 39600)
		self.assertEqual(task.priority, "High")
		self.assertEqual(make_task(monthly_revenue=100).priority, "Low")

	def test_opening_a_task_assigns_it_through_the_assignment_rule(self):
		first = make_task(status="Open")
		second = make_task(status="Open")
		owners = {
			frappe.db.get_value("Retention Task", first.name, "assignee"),
			frappe.db.get_value("Retention Task", second.name, "assignee"),
		}
		# load balancing: the second task goes to the manager who has fewer open tasks
		self.assertEqual(owners, {MANAGER, MANAGER_2})
		todo = frappe.db.get_value(
			"ToDo",
			{"reference_type": "Retention Task", "reference_name": first.name, "status": "Open"},
			"name",
		)
		self.assertTrue(todo)
		add_attempt(first, "Refused")
		first.outcome = "Refused"
		first.save()
		self.assertEqual(frappe.db.get_value("ToDo", todo, "status"), "Closed")

	def test_returned_wins_back_the_churn_record_and_restarts_the_subscription(self):
		customer = make_customer()
		subscription = make_subscription(customer)
		cancel_subscription(frappe.get_doc("Subscription", subscription))
		record = make_churn_record(customer, subscription=subscription)
		task = make_task(customer=customer, churn_record=record.name, status="Open")
		task.reload()
		frappe.set_user(task.assignee)
		add_attempt(task, "Agreed", 12)
		task.update({"outcome": "Returned", "retention_method": self.method, "offer": "Two months free"})
		task.save()
		frappe.set_user("Administrator")
		record.reload()
		self.assertEqual(record.status, "Won Back")
		self.assertEqual(record.won_back_method, self.method)
		self.assertEqual(frappe.db.get_value("Customer", customer, "churn_status"), "Won back")
		self.assertEqual(frappe.db.get_value("Subscription", subscription, "status"), "Active")
		self.assertEqual(task.offer_cost, 1980)  # from the method
		save = frappe.get_doc("Retention Save", {"source_name": task.name})
		self.assertEqual((save.status, save.customer), ("Pending", customer))
		self.assertEqual(frappe.db.get_value("Retention Task", task.name, "save_status"), "Pending")

	def test_a_terminated_subscription_is_recreated(self):
		customer = make_customer()
		subscription = make_subscription(customer, days_ago=90, end_date=add_days(nowdate(), -5))
		task = add_attempt(make_task(customer=customer, subscription=subscription))
		task.update({"outcome": "Returned", "retention_method": self.method})
		task.save()
		new = frappe.db.get_value("Retention Task", task.name, "subscription")
		self.assertNotEqual(new, subscription)
		values = frappe.db.get_value("Subscription", new, ["party", "start_date", "status"], as_dict=True)
		self.assertEqual((values.party, str(values.start_date)), (customer, nowdate()))

	def test_a_returned_outcome_cannot_be_undone(self):
		task = add_attempt(make_task())
		task.update({"outcome": "Returned", "retention_method": self.method})
		task.save()
		task.outcome = "Refused"
		self.assertRaises(TaskOutcomeError, task.save)

	def test_call_guide_shows_methods_and_speech_module_steps(self):
		group = make_reason_group("_Test Group Price Guide").name
		module = frappe.get_doc(
			{
				"doctype": "Speech Module",
				"title": "_Test Price Script",
				"reason_group": group,
				"never_say": "Never argue about the price.",
				"steps": [
					{"step_type": "Opening", "title": "Hello", "text": "Good morning"},
					{"step_type": "Offer", "title": "Offer", "text": "Two months free"},
				],
			}
		).insert(ignore_permissions=True)
		reason = make_reason("_Test Price too high guide", group=group, managed=1)
		reason.append("methods", {"retention_method": self.method, "planned_conversion": 25})
		reason.save()
		task = make_task(churn_reason=reason.name)
		guide = get_call_guide(task.name)
		self.assertEqual(task.reason_group, group)
		self.assertEqual(guide["speech_module"], module.name)
		self.assertEqual([s["step_type"] for s in guide["steps"]], ["Opening", "Offer"])
		self.assertEqual(guide["methods"][0]["retention_method"], self.method)
		self.assertEqual(guide["methods"][0]["planned_conversion"], 25)
		self.assertEqual(guide["never_say"], "Never argue about the price.")


class TestRetentionTaskPermissions(RetentionTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_assignment_rule([MANAGER])
		cls.mine = make_task(status="Open")
		make_assignment_rule([MANAGER_2])
		cls.theirs = make_task(status="Open")
		cls.desk_customer = make_customer()
		cls.at_desk = make_task(customer=cls.desk_customer)
		frappe.set_user(DESK)
		make_termination_application(customer=cls.desk_customer, handled_by=DESK)
		frappe.set_user("Administrator")
		make_assignment_rule([MANAGER, MANAGER_2])

	def visible(self, user):
		frappe.set_user(user)
		names = set(frappe.get_list("Retention Task", pluck="name"))
		return {n for n in names if n in {self.mine.name, self.theirs.name, self.at_desk.name}}

	def test_a_manager_sees_and_changes_only_their_tasks(self):
		self.assertEqual(self.visible(MANAGER), {self.mine.name})
		self.assertTrue(frappe.has_permission("Retention Task", "write", self.mine.name, user=MANAGER))
		self.assertFalse(frappe.has_permission("Retention Task", "read", self.theirs.name, user=MANAGER))
		frappe.set_user(MANAGER)
		self.assertRaises(
			frappe.PermissionError,
			frappe.get_doc("Retention Task", self.theirs.name).check_permission,
			"read",
		)

	def test_the_head_sees_and_reassigns_all(self):
		self.assertEqual(self.visible(HEAD), {self.mine.name, self.theirs.name, self.at_desk.name})
		frappe.set_user(HEAD)
		from frappe.desk.form.assign_to import clear

		clear("Retention Task", self.theirs.name)
		assign({"assign_to": [MANAGER], "doctype": "Retention Task", "name": self.theirs.name})
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Retention Task", self.theirs.name, "assignee"), MANAGER)

	def test_the_head_edits_who_is_in_the_assignment_rule(self):
		self.assertTrue(frappe.has_permission("Assignment Rule", "write", "Retention Tasks", user=HEAD))
		self.assertFalse(frappe.has_permission("Assignment Rule", "write", "Retention Tasks", user=MANAGER))

	def test_the_analyst_reads_all_and_changes_nothing(self):
		self.assertEqual(self.visible(ANALYST), {self.mine.name, self.theirs.name, self.at_desk.name})
		self.assertFalse(frappe.has_permission("Retention Task", "write", self.mine.name, user=ANALYST))

	def test_the_desk_sees_its_customers_tasks_read_only(self):
		self.assertEqual(self.visible(DESK), {self.at_desk.name})
		self.assertTrue(frappe.has_permission("Retention Task", "read", self.at_desk.name, user=DESK))
		self.assertFalse(frappe.has_permission("Retention Task", "write", self.at_desk.name, user=DESK))

	def test_an_outsider_sees_nothing(self):
		self.assertFalse(frappe.has_permission("Retention Task", "read", self.mine.name, user=OUTSIDER))
