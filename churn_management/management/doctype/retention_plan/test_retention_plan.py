# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The retention plan on a small hand-made company: generate, edit, generate again, submit, bad input.

History (tests/management_utils.make_year_of_history): 10 customers active at the start of each of
the last 12 months, one churn a month → base rate 12 / 120 = 10 %, too few customers for a seasonal
index (index 1), so forecast churn = 10 × 0.1 = 1.0 a month. Of the 12 churns 9 are for a managed
reason whose best method plans 20 % conversion, 3 unmanaged: managed share 0.75, target returns
1.0 × 0.75 × 0.2 = 0.15 a month (15 % of churn, within the 10-20 % goal). No task history: one
win-back task per churned customer, 2 attempts of 15 minutes → 30 minutes = 0.5 h a month; the
retention managers give 10 productive hours a month at 10,000 each → 0.05 people, 500. Budget =
500 staff + 0.15 × 1,000 offers + 100 overhead = 750 a month; cost per return 750 / 0.15 = 5,000.
"""

import frappe
from frappe.utils import getdate

from churn_management.management.doctype.retention_plan.retention_plan import (
	DuplicateRetentionPlanError,
	RetentionPlanError,
)
from churn_management.management.doctype.retention_plan.retention_plan_generation import (
	PlanHistoryMissingError,
)
from churn_management.tests.management_utils import (
	HEAD,
	MANAGEMENT_TEST_IGNORE,
	ManagementTestCase,
	make_year_of_history,
)
from churn_management.tests.retention_utils import make_churn_record, set_retention_settings
from churn_management.tests.utils import make_customer

test_ignore = MANAGEMENT_TEST_IGNORE
ROLES = [{"role": "Retention Manager", "productive_hours": 10, "share": 100, "monthly_cost": 10_000}]


def new_plan(company: str, year: int | None = None, **values):
	return frappe.get_doc(
		{
			"doctype": "Retention Plan",
			"company": company,
			"year": year or getdate().year + 1,
			"roles": ROLES,
			"offer_cost_per_return": 1000,
			"overhead_per_month": 100,
			**values,
		}
	)


class TestRetentionPlan(ManagementTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_retention_settings(minutes_win_back=15)
		make_year_of_history(cls.company)

	def setUp(self):
		super().setUp()
		frappe.set_user(HEAD)

	def test_generated_months_match_the_hand_computation(self):
		plan = new_plan(self.company).insert()
		self.assertEqual([row.month for row in plan.months], list(range(1, 13)))
		first = plan.months[0]
		self.assertAlmostEqual(first.forecast_churn, 1.0)
		self.assertAlmostEqual(first.managed_churn, 0.75)
		self.assertAlmostEqual(first.target_returns, 0.15)
		self.assertAlmostEqual(first.target_share, 15)
		self.assertEqual(first.goal, "Within 10-20 %")
		self.assertAlmostEqual(first.tasks, 1.0)
		self.assertAlmostEqual(first.attempts, 2.0)
		self.assertAlmostEqual(first.hours, 0.5)
		self.assertAlmostEqual(first.staff_needed, 0.05)
		self.assertAlmostEqual(first.budget, 750)
		self.assertAlmostEqual(first.cost_per_return, 5000)
		win_back = next(row for row in plan.workload if row.month == 1 and row.task_type == "Win-back")
		self.assertEqual((win_back.tasks, win_back.attempts, win_back.minutes), (1.0, 2.0, 30))
		self.assertEqual({row.territory for row in plan.territories}, {"(all)"})
		self.assertAlmostEqual(plan.managed_share, 75)
		self.assertAlmostEqual(plan.planned_conversion, 15)
		self.assertAlmostEqual(plan.total_forecast_churn, 12)
		self.assertAlmostEqual(plan.total_target_returns, 1.8)
		self.assertAlmostEqual(plan.total_budget, 9000)
		self.assertAlmostEqual(plan.cost_per_return, 5000)
		self.assertFalse(any(row.edited_fields for row in plan.months))

	def test_generating_again_keeps_hand_edits_unless_told_to_overwrite(self):
		plan = new_plan(self.company).insert()
		plan.months[0].target_returns = 0.5
		plan.workload[0].minutes = 90
		plan.save()
		self.assertEqual(plan.months[0].edited_fields, "Target Returns")
		self.assertAlmostEqual(plan.months[0].cost_per_return, 1500)  # 750 / 0.5
		self.assertEqual(plan.workload[0].edited_fields, "Minutes")
		self.assertFalse(plan.months[1].edited_fields)

		plan.overhead_per_month = 200
		plan.generate()
		plan.reload()
		self.assertAlmostEqual(plan.months[0].target_returns, 0.5)  # kept
		self.assertEqual(plan.months[0].edited_fields, "Target Returns")
		self.assertAlmostEqual(plan.workload[0].minutes, 90)
		self.assertAlmostEqual(plan.months[0].budget, 850)  # not edited: regenerated with the new overhead
		self.assertAlmostEqual(plan.months[1].budget, 850)

		plan.generate(overwrite=1)
		plan.reload()
		self.assertAlmostEqual(plan.months[0].target_returns, 0.15)
		self.assertFalse(plan.months[0].edited_fields)
		self.assertAlmostEqual(plan.workload[0].minutes, 30)

	def test_one_submitted_plan_per_company_and_year(self):
		plan = new_plan(self.company).insert()
		plan.submit()
		with self.assertRaises(DuplicateRetentionPlanError):
			new_plan(self.company).insert()
		with self.assertRaises(RetentionPlanError):
			plan.generate()
		plan.cancel()
		amended = frappe.copy_doc(plan)
		amended.amended_from = plan.name
		amended.docstatus = 0
		amended.insert()
		amended.submit()
		self.assertEqual(amended.docstatus, 1)

	def test_a_year_without_history_says_what_is_missing(self):
		before = frappe.db.count("Retention Plan")
		with self.assertRaises(PlanHistoryMissingError) as caught:
			new_plan(self.other).insert()
		self.assertIn("sales invoice", str(caught.exception))
		self.assertEqual(frappe.db.count("Retention Plan"), before)  # nothing half-saved
		# a year long past: no invoice of the company before it either
		with self.assertRaises(PlanHistoryMissingError):
			new_plan(self.company, year=2001).insert()

	def test_churn_without_reasons_is_named(self):
		from churn_management.tests.management_utils import invoice_on, month_start

		customer = make_customer()
		frappe.set_user("Administrator")
		invoice_on(customer, month_start(3), self.other)
		make_churn_record(customer, company=self.other, churn_date=month_start(1), churn_reason=None)
		frappe.set_user(HEAD)
		with self.assertRaises(PlanHistoryMissingError) as caught:
			new_plan(self.other).insert()
		self.assertIn("has a reason", str(caught.exception))

	def test_bad_figures_are_refused(self):
		plan = new_plan(self.company).insert()
		plan.months[2].budget = -1
		with self.assertRaises(RetentionPlanError):
			plan.save()
		plan.reload()
		plan.roles[0].share = 60
		with self.assertRaises(RetentionPlanError):
			plan.save()
		plan.reload()
		plan.roles[0].productive_hours = 0
		with self.assertRaises(RetentionPlanError):
			plan.save()
		with self.assertRaises(RetentionPlanError):
			new_plan(self.company, year=1990).insert()
		plan.reload()
		plan.months = plan.months[:11]
		with self.assertRaises(RetentionPlanError):
			plan.submit()
