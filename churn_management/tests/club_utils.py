# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Factories for the club lifecycle tests: clubs (Branch), departments, cards, visits, users."""

import frappe
from frappe.utils import add_days, nowdate

from churn_management.clubs.doctype.lifecycle_stage.lifecycle_stage import ensure_preset_stages
from churn_management.tests.utils import get_company, make_customer, make_item, make_user

TEST_IGNORE = ["Branch", "Company", "Customer", "Department", "Item", "Sales Invoice", "Subscription", "User"]


def make_club(name: str = "_Test Club Center") -> str:
	if not frappe.db.exists("Branch", name):
		frappe.get_doc({"doctype": "Branch", "branch": name}).insert(ignore_permissions=True)
	return name


def make_department(name: str = "_Test Gym", club: str | None = None) -> str:
	company = get_company()
	abbr = frappe.db.get_value("Company", company, "abbr")
	full = f"{name} - {abbr}"
	if not frappe.db.exists("Department", full):
		frappe.get_doc(
			{
				"doctype": "Department",
				"department_name": name,
				"company": company,
				"parent_department": "All Departments",
				"club": club,
			}
		).insert(ignore_permissions=True)
	return full


def make_membership(
	member: str | None = None, start: int = -30, days: int = 365, save: bool = True, **values
):
	"""A card starting ``start`` days from today and lasting ``days`` days."""
	ensure_preset_stages()
	doc = frappe.get_doc(
		{
			"doctype": "Club Membership",
			"member": member or make_customer(),
			"club": values.pop("club", None) or make_club(),
			"card_type": make_item(),
			"start_date": add_days(nowdate(), start),
			"end_date": add_days(nowdate(), start + days - 1),
			**values,
		}
	)
	if save:
		doc.insert(ignore_permissions=True)
	return doc


def make_visit(membership, days_ago: int = 1, department: str | None = None, **values):
	doc = frappe.get_doc(
		{
			"doctype": "Club Visit",
			"member": membership.member,
			"club": membership.club,
			"department": department,
			"checkin": f"{add_days(nowdate(), -days_ago)} 10:00:00",
			**values,
		}
	)
	return doc.insert(ignore_permissions=True)


def make_starter_package(name: str = "_Test Starter", department: str | None = None) -> str:
	if not frappe.db.exists("Starter Package", name):
		gym = department or make_department()
		frappe.get_doc(
			{
				"doctype": "Starter Package",
				"package_name": name,
				"items": [
					{"service": "Intro session", "department": gym, "due_days": 3, "marked_by_visit": 1},
					{"service": "Fitness test", "department": gym, "due_days": 10, "marked_by_visit": 0},
				],
			}
		).insert(ignore_permissions=True)
	return name


def make_club_user(
	email: str, roles: list[str], club: str | None = None, department: str | None = None
) -> str:
	"""A user with these roles, restricted to one club (and department) by User Permissions."""
	make_user(email, roles)
	for allow, value in (("Branch", club), ("Department", department)):
		if value and not frappe.db.exists(
			"User Permission", {"user": email, "allow": allow, "for_value": value}
		):
			frappe.get_doc(
				{"doctype": "User Permission", "user": email, "allow": allow, "for_value": value}
			).insert(ignore_permissions=True)
	return email
