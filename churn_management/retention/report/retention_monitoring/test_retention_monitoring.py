# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.utils import nowdate

from churn_management.retention.report.retention_activities.retention_activities import (
	execute as activities,
)
from churn_management.retention.report.retention_monitoring.retention_monitoring import (
	execute as monitoring,
)
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
from churn_management.tests.utils import TEST_IGNORE, get_company, make_reason, make_retention_method

test_ignore = RETENTION_TEST_IGNORE


class TestRetentionReports(RetentionTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_assignment_rule([MANAGER])
		cls.method = make_retention_method("_Test Report method", cost=100).name
		frappe.db.set_value("Retention Method", cls.method, "planned_conversion", 40)
		cls.reason = make_reason("_Test Report reason", managed=1).name
		cls.type = "Equipment return"  # a task type no other test uses, to isolate the figures
		# three closed tasks by MANAGER: two returned (one stuck), one refused; one open task
		for outcome, save_status, minutes in (
			("Returned", "Stuck", 10),
			("Returned", "Lost", 5),
			("Refused", None, 7),
		):
			task = add_attempt(
				make_task(status="Open", task_type=cls.type, churn_reason=cls.reason, monthly_revenue=1000),
				minutes=minutes,
			)
			task.outcome = outcome
			task.retention_method = cls.method
			task.save()
			if save_status:
				frappe.db.set_value("Retention Task", task.name, "save_status", save_status)
		make_task(task_type=cls.type, churn_reason=cls.reason)
		make_assignment_rule([MANAGER, MANAGER_2])

	def filters(self, **values):
		return {
			"company": get_company(),
			"from_date": nowdate(),
			"to_date": nowdate(),
			"task_type": self.type,
			**values,
		}

	def test_monitoring_by_method_raw_and_sticky_against_plan(self):
		_columns, data, _message, chart, summary = monitoring(self.filters(group_by="Method"))
		row = next(r for r in data if r["group"] == self.method)
		self.assertEqual((row["tasks"], row["returned"]), (3, 2))
		self.assertAlmostEqual(row["conversion"], 66.7)
		self.assertAlmostEqual(row["sticky_conversion"], 33.3)
		self.assertEqual(row["planned_conversion"], 40)
		self.assertEqual(row["revenue_returned"], 2000)
		self.assertLess(row["conversion_low"], row["conversion"])
		self.assertEqual(chart["type"], "bar")
		self.assertIn("Paused Customers Who Came Back", [card["label"] for card in summary])

	def test_monitoring_by_manager_and_a_managers_own_view(self):
		_c, data, *_rest = monitoring(self.filters(group_by="Manager"))
		self.assertEqual([r["group"] for r in data], [MANAGER])
		frappe.set_user(MANAGER_2)
		_c, data, *_rest = monitoring(self.filters(group_by="Manager"))
		self.assertEqual(data, [])

	def test_my_conversion_card(self):
		from churn_management.retention.api.retention import my_conversion

		frappe.set_user(MANAGER)
		mine = my_conversion()
		self.assertEqual(mine["fieldtype"], "Percent")
		self.assertGreater(mine["value"], 0)
		frappe.set_user(MANAGER_2)
		self.assertEqual(my_conversion()["value"], 0)

	def test_my_conversion_is_the_users_own_figure_with_one_decimal(self):
		from churn_management.retention.api.retention import my_conversion

		# another task type than the class's, so that the reports' figures stay as they were
		task = add_attempt(make_task(status="Open", churn_reason=self.reason))
		task.update({"outcome": "Returned", "retention_method": self.method})
		task.save()
		frappe.db.set_value("Retention Task", task.name, "assignee", HEAD)  # a call the head made himself
		frappe.set_user(HEAD)
		mine = my_conversion()
		self.assertEqual((mine["value"], mine["fieldtype"], mine["precision"]), (100, "Percent", 1))
		frappe.set_user(MANAGER)
		mine = my_conversion()
		self.assertEqual(mine["precision"], 1)
		self.assertEqual(mine["value"], round(mine["value"], 1))
		self.assertLess(mine["value"], 100)

	def test_number_cards_and_workspace_are_installed(self):
		for card in ("Retention Tasks Due Today", "Overdue Retention Tasks", "Customers Returned This Month"):
			self.assertTrue(frappe.db.exists("Number Card", card))
		workspace = frappe.get_doc("Workspace", "Retention")
		self.assertIn("Tasks by Status", [s.label for s in workspace.shortcuts])
		self.assertTrue(frappe.db.exists("Kanban Board", "Retention Tasks"))

	def test_activities_list_every_task_with_attempts_and_minutes(self):
		_columns, data, _message, chart, summary = activities(self.filters(from_date=None, to_date=None))
		self.assertEqual(len(data), 4)
		self.assertEqual(sorted(r["minutes"] for r in data), [0, 5, 7, 10])
		self.assertEqual(sum(r["attempts"] for r in data), 3)
		self.assertEqual({r["assignee"] for r in data if r["outcome"]}, {MANAGER})
		self.assertEqual(summary[0]["value"], 4)
		self.assertEqual(chart["type"], "donut")
