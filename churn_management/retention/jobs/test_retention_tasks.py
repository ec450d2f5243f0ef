# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, getdate, nowdate

from churn_management.retention.doctype.retention_task_rule.test_retention_task_rule import make_rule
from churn_management.retention.jobs.retention_tasks import make_tasks_for_rule, release_tasks
from churn_management.tests.retention_utils import (
	MANAGER,
	MANAGER_2,
	RETENTION_TEST_IGNORE,
	RetentionTestCase,
	make_assignment_rule,
	make_churn_record,
	make_task,
	set_retention_settings,
)
from churn_management.tests.utils import (
	TEST_IGNORE,
	make_customer,
	make_reason,
	make_reason_group,
	make_sales_invoice,
	make_subscription,
	make_termination_application,
)

test_ignore = RETENTION_TEST_IGNORE


def tasks_of(customer: str) -> list[dict]:
	return frappe.get_all(
		"Retention Task",
		filters={"customer": customer},
		fields=["name", "task_type", "status", "task_rule", "churn_record", "monthly_revenue", "due_date"],
	)


class TestRetentionTaskJob(RetentionTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_retention_settings(monthly_churn_rate=2.5, minutes_per_day=30, minutes_win_back=15, managers=[])

	def test_churn_records_become_win_back_tasks_once(self):
		rule = make_rule(due_days=3)
		record = make_churn_record(lost_mrr=1200)
		self.assertGreaterEqual(make_tasks_for_rule(rule, nowdate()), 1)
		tasks = tasks_of(record.customer)
		self.assertEqual(len(tasks), 1)
		task = tasks[0]
		self.assertEqual(
			(task.task_type, task.status, task.churn_record), ("Win-back", "Waiting", record.name)
		)
		self.assertEqual((task.monthly_revenue, str(task.due_date)), (1200, add_days(nowdate(), 3)))
		# running again makes nothing new
		make_tasks_for_rule(rule, nowdate())
		self.assertEqual(len(tasks_of(record.customer)), 1)

	def test_a_task_without_revenue_takes_the_latest_invoice_total(self):
		customer = make_customer()
		make_sales_invoice(customer, days_past_due=60, amount=700, paid=True)
		make_sales_invoice(customer, days_past_due=30, amount=1100, paid=True)
		make_churn_record(customer=customer, lost_mrr=0)
		make_tasks_for_rule(make_rule(), nowdate())
		self.assertEqual([task.monthly_revenue for task in tasks_of(customer)], [1100])

	def test_no_second_open_task_of_one_type_for_a_customer(self):
		record = make_churn_record()
		make_task(customer=record.customer, task_type="Win-back")
		make_tasks_for_rule(make_rule(), nowdate())
		self.assertEqual(len(tasks_of(record.customer)), 1)

	def test_a_closed_task_does_not_bring_the_same_source_back(self):
		rule = make_rule()
		record = make_churn_record()
		make_tasks_for_rule(rule, nowdate())
		task = frappe.get_doc("Retention Task", tasks_of(record.customer)[0].name)
		task.append("attempts", {"result": "Refused", "minutes": 3})
		task.outcome = "Refused"
		task.save()
		make_tasks_for_rule(rule, nowdate())
		self.assertEqual(len(tasks_of(record.customer)), 1)

	def test_the_delay_holds_the_task_back(self):
		rule = make_rule(delay_days=2)
		record = make_churn_record()
		make_tasks_for_rule(rule, nowdate())
		self.assertEqual(tasks_of(record.customer), [])
		make_tasks_for_rule(rule, add_days(nowdate(), 2))
		self.assertEqual(len(tasks_of(record.customer)), 1)

	def test_filters_by_customer_type_and_reason_group(self):
		group = make_reason_group("_Test Group Service Rules").name
		in_group = make_reason("_Test Bad service rules", group=group).name
		rule = make_rule(customer_type="B2B", reason_group=group)
		b2b_in = make_churn_record(make_customer(customer_type="Company"), churn_reason=in_group)
		b2c_in = make_churn_record(make_customer(), churn_reason=in_group)
		b2b_out = make_churn_record(make_customer(customer_type="Company"))
		make_tasks_for_rule(rule, nowdate())
		self.assertEqual(len(tasks_of(b2b_in.customer)), 1)
		self.assertEqual(tasks_of(b2c_in.customer), [])
		self.assertEqual(tasks_of(b2b_out.customer), [])

	def test_reason_calls_only_for_churn_without_a_reason(self):
		rule = make_rule(task_type="Reason call", only_without_reason=1)
		unknown = make_churn_record(churn_reason=None, churn_kind="Involuntary")
		known = make_churn_record()
		make_tasks_for_rule(rule, nowdate())
		self.assertEqual([t.task_type for t in tasks_of(unknown.customer)], ["Reason call"])
		self.assertEqual(tasks_of(known.customer), [])

	def test_a_filed_termination_application_makes_a_prevention_task(self):
		rule = make_rule(trigger="Termination application filed", task_type="Prevention")
		application = make_termination_application()
		make_tasks_for_rule(rule, nowdate())
		tasks = tasks_of(application.customer)
		self.assertEqual([t.task_type for t in tasks], ["Prevention"])
		self.assertEqual(
			frappe.db.get_value("Retention Task", tasks[0].name, "termination_application"), application.name
		)

	def test_pre_churn_customers_get_a_prevention_task_within_the_repeat_window(self):
		rule = make_rule(trigger="Status became Pre-churn", task_type="Prevention", repeat_after_days=30)
		customer = make_customer()
		frappe.db.set_value("Customer", customer, "churn_status", "Pre-churn")
		make_tasks_for_rule(rule, nowdate())
		task = frappe.get_doc("Retention Task", tasks_of(customer)[0].name)
		task.append("attempts", {"result": "Agreed", "minutes": 3})
		task.outcome = "Not applicable"
		task.save()
		make_tasks_for_rule(rule, nowdate())
		self.assertEqual(len(tasks_of(customer)), 1)
		make_tasks_for_rule(rule, add_days(nowdate(), 31))
		self.assertEqual(len(tasks_of(customer)), 2)

	def test_contracts_ending_soon_get_a_renewal_task(self):
		rule = make_rule(trigger="Contract ends in N days", days=30, task_type="Renewal")
		customer = make_customer()
		make_subscription(customer, days_ago=340, end_date=add_days(nowdate(), 20))
		far = make_customer()
		make_subscription(far, end_date=add_days(nowdate(), 200))
		make_tasks_for_rule(rule, nowdate())
		self.assertEqual([t.task_type for t in tasks_of(customer)], ["Renewal"])
		self.assertEqual(tasks_of(far), [])

	def test_inactive_members_get_a_reactivation_task(self):
		rule = make_rule(trigger="Member inactive N days", days=21, task_type="Reactivation")
		idle = make_customer()
		frappe.db.set_value("Customer", idle, "last_visit_date", add_days(nowdate(), -30))
		busy = make_customer()
		frappe.db.set_value("Customer", busy, "last_visit_date", add_days(nowdate(), -3))
		make_tasks_for_rule(rule, nowdate())
		self.assertEqual([t.task_type for t in tasks_of(idle)], ["Reactivation"])
		self.assertEqual(tasks_of(busy), [])


class TestCapacity(RetentionTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_assignment_rule([MANAGER, MANAGER_2])
		# 30 minutes a day, 15 per win-back task: two tasks per manager per day
		set_retention_settings(monthly_churn_rate=2.5, minutes_per_day=30, minutes_win_back=15, managers=[])

	def test_tasks_are_handed_out_within_capacity_highest_value_first(self):
		for name in frappe.get_all("Retention Task", filters={"status": ("!=", "Closed")}, pluck="name"):
			frappe.db.set_value("Retention Task", name, "status", "Closed")
		frappe.db.delete("ToDo", {"reference_type": "Retention Task", "status": "Open"})
		revenues = [100, 500, 900, 300, 700]
		tasks = {revenue: make_task(monthly_revenue=revenue).name for revenue in revenues}
		self.assertEqual(release_tasks(), 4)
		status = {r: frappe.db.get_value("Retention Task", n, "status") for r, n in tasks.items()}
		self.assertEqual(status[100], "Waiting")
		self.assertTrue(all(status[r] == "Open" for r in (300, 500, 700, 900)))
		owners = [frappe.db.get_value("Retention Task", tasks[r], "assignee") for r in (300, 500, 700, 900)]
		self.assertEqual(sorted(owners), sorted([MANAGER, MANAGER, MANAGER_2, MANAGER_2]))
		# the next day nobody has free time until they close something
		self.assertEqual(release_tasks(), 0)

	def test_a_manager_with_own_minutes(self):
		frappe.db.delete("ToDo", {"reference_type": "Retention Task", "status": "Open"})
		for name in frappe.get_all("Retention Task", filters={"status": ("!=", "Closed")}, pluck="name"):
			frappe.db.set_value("Retention Task", name, {"status": "Closed", "assignee": None})
		# 60 and 30 minutes: 4 and 2 tasks of 15 minutes; load balancing alternates by open count
		set_retention_settings(
			managers=[{"user": MANAGER, "minutes_per_day": 60}, {"user": MANAGER_2, "minutes_per_day": 30}]
		)
		try:
			tasks = [make_task(monthly_revenue=100 + revenue).name for revenue in range(7)]
			self.assertEqual(release_tasks(), 6)
			owners = [frappe.db.get_value("Retention Task", t, "assignee") for t in tasks]
			self.assertEqual(owners.count(MANAGER), 4)
			self.assertEqual(owners.count(MANAGER_2), 2)
			# the lowest value waits: nobody has time left for it
			self.assertEqual(frappe.db.get_value("Retention Task", tasks[0], "status"), "Waiting")
		finally:
			set_retention_settings(managers=[])

	def test_a_part_time_manager_does_not_hold_back_the_team(self):
		frappe.db.delete("ToDo", {"reference_type": "Retention Task", "status": "Open"})
		for name in frappe.get_all("Retention Task", filters={"status": ("!=", "Closed")}, pluck="name"):
			frappe.db.set_value("Retention Task", name, {"status": "Closed", "assignee": None})
		# load balancing picks MANAGER first (fewer open tasks): 20 minutes today, MANAGER_2 has 600
		set_retention_settings(
			managers=[{"user": MANAGER, "minutes_per_day": 20}, {"user": MANAGER_2, "minutes_per_day": 600}]
		)
		try:
			tasks = [make_task(monthly_revenue=100 + revenue).name for revenue in range(5)]
			self.assertEqual(release_tasks(), 5)
			frappe.set_user(MANAGER_2)
			mine = frappe.get_list(
				"Retention Task", filters={"name": ("in", tasks), "status": "Open"}, pluck="name"
			)
			todos = frappe.get_list(
				"ToDo",
				filters={"reference_type": "Retention Task", "status": "Open", "allocated_to": MANAGER_2},
				pluck="reference_name",
			)
			frappe.set_user(MANAGER)
			theirs = frappe.get_list(
				"Retention Task", filters={"name": ("in", tasks), "status": "Open"}, pluck="name"
			)
			self.assertEqual((len(mine), len(theirs)), (4, 1))
			self.assertEqual(sorted(todos), sorted(mine))
			self.assertEqual(
				{frappe.db.get_value("Retention Task", t, "assignee") for t in mine}, {MANAGER_2}
			)
		finally:
			frappe.set_user("Administrator")
			set_retention_settings(managers=[])
