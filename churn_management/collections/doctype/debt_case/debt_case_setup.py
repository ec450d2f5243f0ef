# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Setting up debt work on a site: settings, the reminder Notification, the stage preset, the assignment rules
and the indexes the Debtors report reads through."""

import frappe
from frappe import _

from churn_management.collections.doctype.debt_case.debt_case_permissions import may_work_company
from churn_management.utils.roles import enabled_users_with_role

VERTICAL_PRESETS = {
	"Security monitoring": "security",
	"Internet & cable TV": "isp",
	"Fitness club": "fitness",
}
REMINDER_NOTIFICATION = "Debt Reminder"
ASSIGNMENT_RULE = "Debt Cases"
SETTINGS_DEFAULTS = {
	"cost_per_minute": 10,
	"min_history_invoices": 100,
	"history_months": 24,
	"follow_days": 60,
	"enable_daily_job": 1,
}


def setup_debt_collection() -> None:
	if not frappe.db.exists("DocType", "Debt Case"):
		return
	set_default_settings()
	ensure_default_curve()
	ensure_reminder_notification()
	ensure_stages()
	index_receivables()


def index_receivables() -> None:
	"""Debtors finds the open and the disputed invoices through indexes, not by reading every invoice."""
	frappe.db.add_index("Sales Invoice", ["company", "outstanding_amount"], index_name="churn_open_invoices")
	if frappe.db.has_column("Sales Invoice", "churn_disputed"):
		frappe.db.add_index("Sales Invoice", ["churn_disputed", "company"], index_name="churn_disputed")


def set_default_settings() -> None:
	"""Fill what is still empty; never overwrite a value someone set."""
	if frappe.db.get_single_value("Debt Collection Settings", "history_months"):
		return
	settings = frappe.get_single("Debt Collection Settings")
	settings.update({key: value for key, value in SETTINGS_DEFAULTS.items() if not settings.get(key)})
	settings.flags.ignore_permissions = True
	settings.save()


def ensure_default_curve() -> None:
	"""The default recovery curve in the settings (sites set up before it existed get it too)."""
	from churn_management.collections.doctype.debt_collection_settings.debt_collection_settings import (
		fill_default_curve,
	)

	settings = frappe.get_single("Debt Collection Settings")
	if settings.default_curve:
		return
	fill_default_curve(settings)
	if not settings.min_history_invoices:
		settings.min_history_invoices = SETTINGS_DEFAULTS["min_history_invoices"]
	settings.flags.ignore_permissions = True
	settings.save()


def ensure_reminder_notification() -> str:
	"""The e-mail reminder to the debtor, a Frappe Notification the stages can point at."""
	if frappe.db.exists("Notification", REMINDER_NOTIFICATION):
		return REMINDER_NOTIFICATION
	notification = frappe.get_doc(
		{
			"doctype": "Notification",
			"name": REMINDER_NOTIFICATION,
			"subject": _("Payment reminder: {{ doc.customer_name }}"),
			"document_type": "Debt Case",
			"event": "Method",
			"method": "debt_reminder",
			"channel": "Email",
			"enabled": 1,
			"recipients": [{"receiver_by_document_field": "contact_email"}],
			"message": _(
				"<p>Dear {{ doc.customer_name }},</p><p>our records show {{ frappe.format(doc.outstanding, "
				"{'fieldtype': 'Currency'}) }} overdue since {{ frappe.format(doc.oldest_due_date, "
				"{'fieldtype': 'Date'}) }}. Please pay it or tell us when you can.</p>"
			),
		}
	)
	notification.insert(ignore_permissions=True)
	return notification.name


def ensure_stages() -> None:
	"""The timings of the site's vertical (security monitoring by default), once, when none exist."""
	from churn_management.collections.doctype.debt_stage.debt_stage import create_preset_stages

	if frappe.db.count("Debt Stage"):
		return
	vertical = frappe.db.get_single_value("Churn Settings", "vertical")
	create_preset_stages(VERTICAL_PRESETS.get(vertical, "security"), frappe.db.get_default("lang"))
	link_stage_letters()


def link_stage_letters() -> None:
	"""Reminder and warning stages send the reminder Notification and a Dunning of their own type."""
	notification = ensure_reminder_notification()
	company = frappe.db.get_single_value("Churn Settings", "default_company")
	for name in frappe.get_all(
		"Debt Stage", or_filters={"send_reminder": 1, "send_warning": 1}, pluck="name"
	):
		values = {"notification": notification}
		if company:
			values["dunning_type"] = ensure_dunning_type(name, company)
		frappe.db.set_value("Debt Stage", name, values)


def ensure_dunning_type(stage: str, company: str) -> str:
	"""ERPNext's Dunning Type for a stage's letters in a company (named "<stage> - <abbr>")."""
	existing = frappe.db.exists("Dunning Type", {"dunning_type": stage, "company": company})
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "Dunning Type",
			"dunning_type": stage,
			"company": company,
			"dunning_letter_text": [
				{
					"language": frappe.db.get_default("lang") or "en",
					"is_default_language": 1,
					"body_text": _("Our records show that the invoices below are overdue. Please pay them."),
					"closing_text": _("If you have already paid, please disregard this letter."),
				}
			],
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def sync_assignment_rule() -> list[str]:
	"""Frappe's Assignment Rules for open cases, one per company, each load-balanced over the enabled Debt
	Collectors a User Permission on Company does not keep out of that company."""
	if frappe.db.exists("Assignment Rule", ASSIGNMENT_RULE):  # the one rule for all companies, before
		frappe.db.set_value("Assignment Rule", ASSIGNMENT_RULE, "disabled", 1)
	collectors = collector_users()
	rules = []
	for company, abbr in frappe.get_all("Company", fields=["name", "abbr"], as_list=True):
		users = [user for user in collectors if may_work_company(user, company)]
		rule = sync_company_rule(company, f"{ASSIGNMENT_RULE} - {abbr}", users)
		if rule:
			rules.append(rule)
	return rules


def sync_company_rule(company: str, name: str, users: list[str]) -> str | None:
	"""The company's rule over these users; disabled while no collector may work the company."""
	if not users:
		if frappe.db.exists("Assignment Rule", name):
			frappe.db.set_value("Assignment Rule", name, "disabled", 1)
		return None
	if frappe.db.exists("Assignment Rule", name):
		rule = frappe.get_doc("Assignment Rule", name)
		if sorted(row.user for row in rule.users) == users and not rule.disabled:
			return rule.name
	else:
		rule = frappe.get_doc(
			{
				"doctype": "Assignment Rule",
				"__newname": name,
				"document_type": "Debt Case",
				"description": _("Open debt cases go to the collector with the fewest open cases."),
				"assign_condition": f"status == 'Open' and company == {company!r}",
				"close_condition": "status == 'Closed'",
				"rule": "Load Balancing",
				"priority": 1,
				"assignment_days": [
					{"day": day}
					for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
				],
			}
		)
	rule.disabled = 0
	rule.set("users", [{"user": user} for user in users])
	rule.flags.ignore_permissions = True
	rule.save()
	return rule.name


def collector_users() -> list[str]:
	"""Enabled users holding the Debt Collector role."""
	return enabled_users_with_role("Debt Collector")
