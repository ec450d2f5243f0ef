# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Demo data for the browser walk (tools/walk-desk): one user per role and language, work for each.

Run on a site made for the walk, never on a real one:
``bench --site walk.localhost execute churn_management.tests.walk_data.make_walk_data``.
Running it again adds nothing that is already there.
"""

import frappe
from frappe.utils import add_days, nowdate

from churn_management.churn_management.doctype.churn_settings.classifier_preset import (
	load_classifier_preset,
)
from churn_management.tests.club_utils import make_club, make_department, make_membership, make_visit
from churn_management.tests.utils import (
	get_company,
	make_company,
	make_customer,
	make_sales_invoice,
	make_subscription,
	make_termination_application,
	make_user,
)

PASSWORD = "Walk-pass-2026!"
DOMAIN = "walk.test"
SECOND_COMPANY = ("Walk Second Company", "WSC")
CLUB = "Walk Club Center"

# the roles of the walk, each with the extra roles a real user of it has
ROLES = {
	"desk": ["Termination Desk"],
	"manager": ["Retention Manager"],
	"head": ["Retention Head"],
	"collector": ["Debt Collector"],
	"accounts": ["Accounts Manager", "Accounts User"],
	"club": ["Club Manager"],
	"analyst": ["Churn Analyst"],
}
LANGUAGES = ("en", "ru")


def walk_user(key: str, language: str) -> str:
	return f"{key}.{language}@{DOMAIN}"


def make_walk_data() -> dict:
	"""Users, two companies and the documents each role works on; idempotent."""
	if not frappe.conf.get("allow_tests") and not frappe.conf.get("walk_site"):
		frappe.throw("The walk's demo data goes only on a site with allow_tests or walk_site set.")
	frappe.flags.mute_emails = True
	company = get_company()
	second = make_company(*SECOND_COMPANY)
	users = make_walk_users(company)
	load_classifier_preset("security", "en")
	make_assignment_rules(users)
	customers = make_customers()
	make_termination_work(customers)
	make_online_request(customers)
	make_retention_work(customers)
	make_debt_work(customers)
	make_club_work(customers)
	run_daily_jobs()
	return {"company": company, "second_company": second, "users": sorted(users)}


def make_walk_users(company: str) -> list[str]:
	users = []
	for key, roles in ROLES.items():
		for language in LANGUAGES:
			email = make_user(walk_user(key, language), roles)
			user = frappe.get_doc("User", email)
			user.language = language
			user.new_password = PASSWORD
			user.flags.ignore_permissions = True
			user.flags.ignore_password_policy = True
			user.save()
			users.append(email)
			if key in ("collector", "club"):
				restrict(email, "Company", company)
			if key == "club":
				restrict(email, "Branch", make_club(CLUB))
	return users


def restrict(user: str, allow: str, value: str) -> None:
	if not frappe.db.exists("User Permission", {"user": user, "allow": allow, "for_value": value}):
		frappe.get_doc(
			{"doctype": "User Permission", "user": user, "allow": allow, "for_value": value}
		).insert(ignore_permissions=True)


def make_assignment_rules(users: list[str]) -> None:
	from churn_management.collections.doctype.debt_case.debt_case_setup import ASSIGNMENT_RULE
	from churn_management.tests.retention_utils import make_assignment_rule

	make_assignment_rule([u for u in users if u.startswith("manager.")])
	if frappe.db.exists("Assignment Rule", ASSIGNMENT_RULE):
		rule = frappe.get_doc("Assignment Rule", ASSIGNMENT_RULE)
		rule.set("users", [{"user": u} for u in users if u.startswith("collector.")])
		rule.disabled = 0
		rule.save(ignore_permissions=True)


def make_customers() -> dict[str, str]:
	names = {
		"leaving": "Walk Leaving Customer",
		"debtor": "Walk Debtor Customer",
		"member": "Walk Club Member",
	}
	return {key: make_customer(name) for key, name in names.items()}


def make_termination_work(customers: dict[str, str]) -> None:
	customer = customers["leaving"]
	if not frappe.db.exists("Subscription", {"party": customer}):
		make_subscription(customer)
	if not frappe.db.exists("Termination Application", {"customer": customer}):
		make_termination_application(customer=customer)


def make_online_request(customers: dict[str, str]) -> None:
	"""A customer's request from the website, drafted for the desk by its background job."""
	from churn_management.customer_service.jobs.online_requests import process_online_request

	customer = customers["leaving"]
	if frappe.db.exists("Online Request", {"customer_id": customer}):
		return
	frappe.db.set_value("Customer", customer, "email_id", "leaving.customer@walk.test")
	request = frappe.get_doc(
		{
			"doctype": "Online Request",
			"request_type": "Pause the contract",
			"customer_id": customer,
			"email": "leaving.customer@walk.test",
			"desired_date": add_days(nowdate(), 10),
			"pause_until": add_days(nowdate(), 40),
			"reason": "Away for a month.",
		}
	).insert(ignore_permissions=True)
	process_online_request(request.name)


def make_retention_work(customers: dict[str, str]) -> None:
	from churn_management.tests.retention_utils import make_churn_record, make_task

	customer = make_customer("Walk Churned Customer")
	if not frappe.db.exists("Churn Record", {"customer": customer}):
		make_churn_record(customer, days_ago=3)
	if not frappe.db.exists("Retention Task", {"customer": customer}):
		make_task(customer=customer, status="Open", due_date=add_days(nowdate(), 1))


def make_debt_work(customers: dict[str, str]) -> None:
	customer = customers["debtor"]
	if not frappe.db.exists("Sales Invoice", {"customer": customer, "docstatus": 1}):
		make_sales_invoice(customer, days_past_due=20, amount=1500)
		make_sales_invoice(customer, days_past_due=50, amount=1500)


def make_club_work(customers: dict[str, str]) -> None:
	club = make_club(CLUB)
	make_department("Walk Gym", club)
	member = customers["member"]
	if not frappe.db.exists("Club Membership", {"member": member}):
		card = make_membership(member=member, club=club, start=-60)
		for days_ago in (40, 30, 25):
			make_visit(card, days_ago=days_ago)


def run_daily_jobs() -> None:
	"""The nightly jobs, so that registers, tasks, cases and stages exist for the walk."""
	from churn_management.churn_management.jobs import churn_status
	from churn_management.clubs.jobs import lifecycle_segmentation
	from churn_management.collections.jobs import debt_cases
	from churn_management.retention.jobs import retention_tasks

	for job in (
		churn_status.run_daily,
		debt_cases.run_daily,
		lifecycle_segmentation.run_nightly,
		retention_tasks.run_daily,
	):
		job()
		frappe.db.commit()
