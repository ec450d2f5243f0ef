# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Plan vs Actual on a small hand-made company, read by the analyst.

The plan (entered, then submitted) asks for 2 churned, 1 return and a budget of 1,000 every month,
and 3 win-back tasks of 120 minutes in month M. In M two customers churned, two saves were made (one
lost, so 1 return), Department Cost says 6,000; a task made today had a 30-minute attempt today.
"""

import frappe
from frappe.utils import add_days, getdate, now_datetime

from churn_management.management.report.plan_vs_actual.plan_vs_actual import execute
from churn_management.tests.management_utils import (
	ANALYST,
	MANAGEMENT_TEST_IGNORE,
	ManagementTestCase,
	make_department_cost,
	make_save,
)
from churn_management.tests.retention_utils import make_churn_record, make_task

test_ignore = MANAGEMENT_TEST_IGNORE


def entered_plan(company: str, year: int, busy_month: int):
	months = [
		{"month": m, "forecast_churn": 2, "managed_churn": 1.5, "target_returns": 1, "budget": 1000}
		for m in range(1, 13)
	]
	workload = [{"month": busy_month, "task_type": "Win-back", "tasks": 3, "attempts": 4, "minutes": 120}]
	plan = frappe.get_doc(
		{
			"doctype": "Retention Plan",
			"company": company,
			"year": year,
			"months": months,
			"workload": workload,
		}
	)
	plan.insert(ignore_permissions=True)
	plan.submit()
	return plan


class TestPlanVsActual(ManagementTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.year = cls.month.year
		entered_plan(cls.company, cls.year, cls.month.month)
		for day in (1, 11):
			make_churn_record(company=cls.company, churn_date=add_days(cls.month, day), churn_reason=None)
		make_save(cls.company, add_days(cls.month, 3), offer_cost=0, revenue=500)
		make_save(cls.company, add_days(cls.month, 4), offer_cost=0, revenue=500, status="Lost")
		make_department_cost(cls.company, cls.month, entries=[{"category": "Staff", "amount": 6000}])
		task = make_task(company=cls.company)
		task.append(
			"attempts",
			{"attempt_on": now_datetime(), "channel": "Phone", "result": "No answer", "minutes": 30},
		)
		task.save(ignore_permissions=True)

	def setUp(self):
		super().setUp()
		frappe.set_user(ANALYST)

	def test_each_month_against_the_plan(self):
		columns, data, message, chart, summary = execute({"company": self.company, "year": self.year})
		self.assertIsNone(message)
		self.assertEqual(len(data), 12)
		row = data[self.month.month - 1]
		self.assertEqual((row["planned_churn"], row["actual_churn"]), (2, 2))
		self.assertEqual((row["planned_returns"], row["actual_returns"]), (1, 1))
		self.assertEqual(row["returns_done"], 100)
		self.assertEqual((row["planned_tasks"], row["planned_hours"]), (3, 2))  # 120 minutes
		self.assertEqual((row["planned_cost"], row["actual_cost"]), (1000, 6000))
		today = getdate()
		if today.year == self.year:
			now = data[today.month - 1]
			self.assertEqual(now["actual_tasks"], 3)  # the two saves' tasks and the called one
			self.assertEqual(now["actual_hours"], 0.5)
		self.assertEqual(sum(chart["data"]["datasets"][0]["values"]), 12)
		self.assertEqual(summary[0]["value"], 12)
		self.assertTrue(all(column["label"] for column in columns))

	def test_a_company_without_a_plan_is_told_so(self):
		_columns, data, message, _chart, _summary = execute({"company": self.other, "year": self.year})
		self.assertIn("has no retention plan", message)
		self.assertEqual(sum(row["planned_returns"] for row in data), 0)
