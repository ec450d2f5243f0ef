# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Retention Economics on a small hand-made company, read by the Retention Head.

Month M (two months back): entered staff 6,000, overhead 1,000, marketing 80,000, 10 new customers;
two saves from tasks with offers of 500 and 1,000 a month of revenue each → retention cost 8,000,
4,000 per retained customer against 8,000 per new one: 50 % cheaper, as the methodology expects.
Lifetime: three customers started 12 months before the report's end, one churned after 6 months:
Kaplan-Meier falls to 2/3 at that churn and stays; the mean up to the 24-month cap is that area with
the tail extrapolated at the hazard seen (computed below from the same days).
"""

import math

import frappe
from frappe.utils import add_days, date_diff, get_last_day

from churn_management.analytics.churn.states import DAYS_PER_MONTH
from churn_management.management.report.retention_economics.retention_economics import execute
from churn_management.tests.management_utils import (
	HEAD,
	MANAGEMENT_TEST_IGNORE,
	ManagementTestCase,
	invoice_on,
	make_department_cost,
	make_save,
	month_start,
)
from churn_management.tests.retention_utils import make_churn_record, set_retention_settings
from churn_management.tests.utils import make_customer

test_ignore = MANAGEMENT_TEST_IGNORE


def expected_lifetime_by_hand() -> float:
	start, churned, end = month_start(12), month_start(6), month_start(1)
	t_churn = date_diff(churned, start) / DAYS_PER_MONTH
	t_last = date_diff(end, start) / DAYS_PER_MONTH
	level = 2 / 3
	hazard = -math.log(level) / t_last
	tail = level * (1 - math.exp(-hazard * (24 - t_last))) / hazard
	return t_churn + (t_last - t_churn) * level + tail


class TestRetentionEconomics(ManagementTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_retention_settings(max_lifetime_months=24)
		customers = [make_customer() for _ in range(3)]
		for customer in customers:
			invoice_on(customer, month_start(12), cls.company)
		make_churn_record(customers[2], company=cls.company, churn_date=month_start(6), churn_reason=None)
		for day in (3, 5):
			make_save(cls.company, add_days(cls.month, day), offer_cost=500, revenue=1000)
		entries = [
			{"category": "Staff", "amount": 6000},
			{"category": "Overhead", "amount": 1000},
			{"category": "Marketing", "amount": 80_000},
		]
		make_department_cost(cls.company, cls.month, new_customers=10, entries=entries)

	def setUp(self):
		super().setUp()
		frappe.set_user(HEAD)

	def run_report(self):
		return execute(
			{"company": self.company, "from_date": self.month, "to_date": get_last_day(self.month)}
		)

	def test_figures_of_the_month(self):
		columns, data, message, chart, summary = self.run_report()
		self.assertEqual(len(data), 1)
		row = data[0]
		self.assertEqual(row["retention_cost"], 8000)
		self.assertEqual(row["returned"], 2)
		self.assertEqual(row["cost_per_return"], 4000)
		self.assertEqual(row["cost_per_acquisition"], 8000)
		self.assertEqual(row["saving"], 50)
		self.assertIn("within the 30-50 %", message)
		lifetime = expected_lifetime_by_hand()
		figures = {card["label"]: card["value"] for card in summary}
		self.assertAlmostEqual(figures["Expected Lifetime, Months"], lifetime, places=1)
		self.assertAlmostEqual(row["return_value"], 2000 * figures["Expected Lifetime, Months"], places=0)
		self.assertAlmostEqual(row["return_on_cost"], (row["return_value"] - 8000) / 8000 * 100, places=0)
		self.assertEqual(chart["data"]["datasets"][0]["values"], [4000])
		self.assertTrue(all(column["label"] for column in columns))

	def test_a_dearer_retention_is_said_so(self):
		cost = frappe.get_doc("Department Cost", {"company": self.company})
		cost.new_customers = 40  # 80,000 / 40 = 2,000 per new customer, 4,000 per retained one
		cost.save()
		_columns, data, message, _chart, summary = self.run_report()
		self.assertEqual(data[0]["saving"], -100)
		self.assertIn("100.0 % more than a new one", message)
		self.assertEqual(summary[2]["indicator"], "Red")

	def test_without_costs_it_says_what_to_enter(self):
		_columns, data, message, _chart, _summary = execute(
			{"company": self.other, "from_date": self.month, "to_date": get_last_day(self.month)}
		)
		self.assertEqual(data, [])
		self.assertIn("enter the month's costs", message)
