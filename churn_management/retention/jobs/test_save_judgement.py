# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, nowdate

from churn_management.retention.doctype.retention_task.retention_task_utils import record_save
from churn_management.retention.jobs.save_judgement import enter_desk_saves, judge_due_saves
from churn_management.tests.retention_utils import (
	RETENTION_TEST_IGNORE,
	RetentionTestCase,
	add_attempt,
	make_churn_record,
	make_method,
	make_task,
	set_retention_settings,
)
from churn_management.tests.utils import (
	TEST_IGNORE,
	get_company,
	make_customer,
	make_sales_invoice,
	make_termination_application,
	pay_invoice,
)

test_ignore = RETENTION_TEST_IGNORE


def save_of(customer: str, days_ago: int, source_name: str | None = None) -> str:
	return record_save(
		customer=customer,
		company=get_company(),
		saved_on=add_days(nowdate(), -days_ago),
		source_doctype="Customer",
		source_name=source_name or customer,
	)


class TestSaveJudgement(RetentionTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_retention_settings(judge_after_days="60", payment_grace_days=10)
		cls.method = make_method()

	def test_saves_are_judged_stuck_or_lost_after_n_days(self):
		paying = make_customer()
		pay_invoice(make_sales_invoice(paying, days_past_due=45), on=add_days(nowdate(), -40))
		churned = make_customer()
		pay_invoice(make_sales_invoice(churned, days_past_due=45), on=add_days(nowdate(), -40))
		make_churn_record(churned, days_ago=20)
		silent = make_customer()
		unpaid = make_customer()
		pay_invoice(make_sales_invoice(unpaid, days_past_due=60), on=add_days(nowdate(), -55))
		make_sales_invoice(unpaid, days_past_due=30)
		recent = make_customer()
		saves = {
			"paying": save_of(paying, 70),
			"churned": save_of(churned, 70),
			"silent": save_of(silent, 70),
			"unpaid": save_of(unpaid, 70),
			"recent": save_of(recent, 10),
		}
		judge_due_saves(nowdate())
		verdict = {
			k: frappe.db.get_value("Retention Save", v, ["status", "lost_because"]) for k, v in saves.items()
		}
		self.assertEqual(verdict["paying"], ("Stuck", None))
		self.assertEqual(verdict["churned"], ("Lost", "Churned again"))
		self.assertEqual(verdict["silent"], ("Lost", "No payment since the save"))
		self.assertEqual(verdict["unpaid"], ("Lost", "An invoice left unpaid"))
		self.assertEqual(verdict["recent"], ("Pending", None))

	def test_the_task_shows_whether_its_save_stuck(self):
		record = make_churn_record(days_ago=90)
		task = add_attempt(make_task(customer=record.customer, churn_record=record.name))
		task.update({"outcome": "Returned", "retention_method": self.method})
		task.save()
		save = frappe.db.get_value("Retention Save", {"source_name": task.name}, "name")
		frappe.db.set_value("Retention Save", save, "saved_on", add_days(nowdate(), -65))
		pay_invoice(make_sales_invoice(record.customer, days_past_due=50), on=add_days(nowdate(), -30))
		judge_due_saves(nowdate())
		self.assertEqual(frappe.db.get_value("Retention Task", task.name, "save_status"), "Stuck")

	def test_desk_retentions_enter_the_register_once(self):
		app = make_termination_application()
		app = apply_workflow(app, "Start Retention")
		app = frappe.get_doc("Termination Application", app.name)
		app.retention_method = self.method
		app.save()
		apply_workflow(app, "Retain")
		self.assertGreaterEqual(enter_desk_saves(), 1)
		self.assertEqual(enter_desk_saves(), 0)
		save = frappe.get_doc("Retention Save", {"source_name": app.name})
		self.assertEqual(
			(save.customer, save.retention_method, save.status), (app.customer, self.method, "Pending")
		)
