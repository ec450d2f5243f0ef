# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Complaints: an Issue left unresolved past its category's days turns the customer pre-churn and gets a
Prevention task; the counts for the lifetime analysis; the category presets; who may read complaints."""

from unittest.mock import patch

import frappe
from frappe.desk.form.load import getdoc
from frappe.tests.utils import FrappeTestCase
from frappe.utils import nowdate

from churn_management.churn_management.jobs.churn_status import update_churn_statuses
from churn_management.customer_service.complaints import complaint_counts, escalated_customers
from churn_management.customer_service.jobs.complaints import escalate
from churn_management.customer_service.setup import load_complaint_categories
from churn_management.tests.customer_service_utils import (
	CUSTOMER_SERVICE_TEST_IGNORE,
	SUPPORT,
	make_category,
	make_complaint,
	make_rule,
	make_support_user,
)
from churn_management.tests.retention_utils import ANALYST, DESK, HEAD, MANAGER, make_retention_users
from churn_management.tests.utils import get_company, make_company, make_customer, make_reason_group

test_ignore = CUSTOMER_SERVICE_TEST_IGNORE


def run_status_update():
	"""The status job commits in production; in tests everything stays in the test's transaction."""
	with patch.object(frappe.db, "commit"):
		return update_churn_statuses(nowdate())


class TestComplaints(FrappeTestCase):
	def setUp(self):
		make_retention_users()
		make_support_user()
		self.rule = make_rule("Complaint unresolved N days")
		frappe.db.set_value("Retention Task Rule", self.rule, "enabled", 1)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.delete("User Permission", {"user": MANAGER})

	def test_support_files_a_complaint_that_shows_the_churn_status(self):
		customer = make_customer()
		frappe.db.set_value("Customer", customer, "churn_status", "Overdue")
		category = make_category()
		frappe.set_user(SUPPORT)
		issue = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "Slow internet",
				"customer": customer,
				"company": get_company(),
				"complaint_category": category,
			}
		).insert()
		self.assertEqual(issue.customer_churn_status, "Overdue")
		frappe.db.set_value("Customer", customer, "churn_status", "Pre-churn")
		getdoc("Issue", issue.name)
		self.assertEqual(frappe.response.docs[-1].customer_churn_status, "Pre-churn")

	def test_an_unresolved_complaint_makes_pre_churn_and_a_prevention_task(self):
		issue = make_complaint(days_ago=3, category=make_category(days=3))
		fresh = make_complaint(days_ago=2, category=make_category(days=3))
		resolved = make_complaint(days_ago=10, status="Resolved")

		result = escalate(nowdate())

		self.assertEqual(frappe.db.get_value("Customer", issue.customer, "churn_status"), "Pre-churn")
		self.assertEqual(str(frappe.db.get_value("Issue", issue.name, "complaint_escalated_on")), nowdate())
		task = frappe.get_all(
			"Retention Task",
			filters={"customer": issue.customer, "task_rule": self.rule},
			fields=["task_type", "company", "status"],
		)
		self.assertEqual(len(task), 1)
		self.assertEqual(task[0].task_type, "Prevention")
		self.assertEqual(task[0].company, get_company())
		for other in (fresh, resolved):
			self.assertEqual(frappe.db.get_value("Customer", other.customer, "churn_status"), "Active")
			self.assertFalse(frappe.db.exists("Retention Task", {"customer": other.customer}))
		self.assertGreaterEqual(result["pre_churn"], 1)

		again = escalate(nowdate())
		self.assertEqual(again, {"escalated": 0, "pre_churn": 0, "tasks": 0})
		self.assertEqual(frappe.db.count("Retention Task", {"customer": issue.customer}), 1)

	def test_a_churned_customer_keeps_their_status(self):
		issue = make_complaint(days_ago=8)
		frappe.db.set_value("Customer", issue.customer, "churn_status", "Churned")
		escalate(nowdate())
		self.assertEqual(frappe.db.get_value("Customer", issue.customer, "churn_status"), "Churned")

	def test_the_daily_status_update_keeps_pre_churn_while_the_complaint_stays_open(self):
		issue = make_complaint(days_ago=8)
		escalate(nowdate())
		run_status_update()
		self.assertEqual(frappe.db.get_value("Customer", issue.customer, "churn_status"), "Pre-churn")
		resolved = frappe.get_doc("Issue", issue.name)
		resolved.status = "Resolved"
		resolved.save(ignore_permissions=True)
		self.assertNotIn(issue.customer, escalated_customers(nowdate()))
		run_status_update()
		self.assertEqual(frappe.db.get_value("Customer", issue.customer, "churn_status"), "Active")

	def test_the_rule_filters_by_the_categorys_reason_group(self):
		group = make_reason_group("_Test Connection quality").name
		other = make_rule(
			"Complaint unresolved N days", "_Test complaints of other groups", reason_group=group
		)
		mine = make_complaint(
			days_ago=4, category=make_category("_Test No connection", 2, reason_group=group)
		)
		elsewhere = make_complaint(days_ago=4, category=make_category("_Test Rude staff", 2))
		frappe.db.set_value("Retention Task Rule", self.rule, "enabled", 0)
		escalate(nowdate())
		self.assertTrue(frappe.db.exists("Retention Task", {"customer": mine.customer, "task_rule": other}))
		self.assertFalse(frappe.db.exists("Retention Task", {"customer": elsewhere.customer}))

	def test_complaint_counts_of_the_last_12_months(self):
		customer = make_customer()
		make_complaint(customer, days_ago=10)
		make_complaint(customer, days_ago=300)
		make_complaint(customer, days_ago=400)
		make_complaint(customer, days_ago=1, complaint_category=None)  # an Issue that is no complaint
		counts = complaint_counts(nowdate()).set_index("customer")
		self.assertEqual(counts.loc[customer, "complaints_12m"], 2)
		self.assertEqual(list(counts.columns), ["complaints_12m"])

	def test_category_preset_loads_once_in_either_language(self):
		made = load_complaint_categories("isp", "en")
		self.assertGreater(made, 5)
		top = frappe.get_value(
			"Complaint Category",
			{"preset_key": "isp:complaint:connection-quality"},
			["name", "unresolved_days"],
		)
		self.assertEqual(top, ("Connection quality", 3))
		self.assertEqual(
			frappe.db.get_value(
				"Complaint Category", "Speed lower than the tariff", "parent_complaint_category"
			),
			"Connection quality",
		)
		self.assertEqual(load_complaint_categories("isp", "en"), 0)
		self.assertEqual(load_complaint_categories("isp", "ru"), 0)

	def test_retention_roles_read_complaints_and_only_the_support_team_changes_them(self):
		issue = make_complaint()
		for user in (DESK, MANAGER, HEAD, ANALYST):
			frappe.set_user(user)
			self.assertTrue(frappe.has_permission("Issue", "read", issue.name), user)
			self.assertFalse(frappe.has_permission("Issue", "write", issue.name), user)
			self.assertTrue(frappe.has_permission("Complaint Category", "read"), user)
		frappe.set_user(SUPPORT)
		self.assertTrue(frappe.has_permission("Issue", "write", issue.name))
		self.assertFalse(frappe.has_permission("Complaint Category", "write"))

	def test_a_manager_of_one_company_sees_no_complaint_of_another(self):
		other_company = make_company("_Test Complaints Other Co", "_TCO")
		ours = make_complaint()
		theirs = make_complaint(company=other_company)
		frappe.get_doc(
			{"doctype": "User Permission", "user": MANAGER, "allow": "Company", "for_value": get_company()}
		).insert(ignore_permissions=True)
		frappe.set_user(MANAGER)
		visible = frappe.get_list("Issue", filters={"name": ("in", [ours.name, theirs.name])}, pluck="name")
		self.assertEqual(visible, [ours.name])
		self.assertFalse(frappe.has_permission("Issue", "read", theirs.name))
