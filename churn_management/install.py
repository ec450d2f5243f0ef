# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Setting up the app on a site: the classifier root, sensible settings and read access to ERPNext."""

import json

import frappe
from frappe.permissions import add_permission, update_permission_property

from churn_management.churn_management.doctype.churn_settings.classifier_preset import ensure_root_reason
from churn_management.collections.doctype.debt_case.debt_case_setup import setup_debt_collection
from churn_management.customer_service.setup import setup_customer_service
from churn_management.retention.setup import setup_retention

CHURN_ROLES = ("Termination Desk", "Retention Manager", "Retention Head", "Churn Analyst", "Debt Collector")
CLUB_ROLES = ("Club Manager", "Club Trainer")

# ERPNext DocTypes our roles must be able to read (and, for the head, to change) to do their work
ERPNEXT_ACCESS = {
	"Customer": {
		"Termination Desk": "read",
		"Retention Manager": "read",
		"Retention Head": "read",
		"Churn Analyst": "read",
		"Club Manager": "read",
		"Club Trainer": "read",
		"Debt Collector": "read",  # their debtors' cards only (debt_case_permissions)
	},
	"Subscription": {
		"Termination Desk": "read",
		"Retention Manager": "read",
		"Retention Head": "read",
		"Churn Analyst": "read",
	},
	"Competitor": {
		"Termination Desk": "read",
		"Retention Manager": "read",
		"Retention Head": "write",
		"Churn Analyst": "read",
	},
	"Company": {
		"Termination Desk": "read",
		"Retention Manager": "read",
		"Retention Head": "read",
		"Churn Analyst": "read",
		"Debt Collector": "read",
	},
	"Item": {"Termination Desk": "read", "Club Manager": "read"},
	"Serial No": {"Termination Desk": "read"},
	"Sales Invoice": {
		"Termination Desk": "read",
		"Retention Head": "read",
		"Churn Analyst": "read",
		"Debt Collector": "read",
		"Club Manager": "read",
	},
	"Dunning": {"Debt Collector": "read", "Retention Head": "read"},  # a collector: their cases' letters
	# clubs, departments and who sold the card
	"Branch": {
		"Club Manager": "read",
		"Club Trainer": "read",
		"Retention Head": "read",
		"Churn Analyst": "read",
	},
	"Department": {"Club Manager": "read", "Club Trainer": "read"},
	"Sales Person": {"Club Manager": "read"},
	# complaints are ERPNext Issues, worked by the Support Team; the desk and retention roles read them
	"Issue": {
		"Termination Desk": "read",
		"Retention Manager": "read",
		"Retention Head": "read",
		"Churn Analyst": "read",
	},
	# a Club Manager loads files of visits with Data Import too (Club Visit allows them to import)
	"Data Import": {"Club Manager": "write"},
}

GRANTED_KEY = "churn_management_granted_access"
DESK_WORKSPACE = "Churn Management"


def after_install():
	setup()


def after_migrate():
	setup()


def setup():
	ensure_root_reason()
	set_default_settings()
	grant_erpnext_access()
	ensure_module_profile()
	setup_lifecycle()
	setup_retention()
	setup_debt_collection()
	setup_customer_service()


def set_default_settings():
	"""Fill what is still empty; never overwrite a value someone set."""
	settings = frappe.get_single("Churn Settings")
	defaults = {
		"churn_after_months": 3,
		"pre_churn_days": 30,
		"default_company": frappe.defaults.get_global_default("company")
		or frappe.db.get_value("Company", {}, "name"),
	}
	missing = {key: value for key, value in defaults.items() if value and not settings.get(key)}
	if not missing and frappe.db.get_single_value("Churn Settings", "churn_after_months"):
		return
	settings.update(missing)
	settings.flags.ignore_permissions = True
	settings.save()


def grant_erpnext_access():
	"""Give our roles the access to ERPNext records they need, once per role and DocType.

	What was granted is remembered, so an administrator who later narrows or removes that access
	keeps it that way through every migrate and reinstall.
	"""
	granted = set(json.loads(frappe.db.get_default(GRANTED_KEY) or "[]"))
	for doctype, roles in ERPNEXT_ACCESS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		for role, level in roles.items():
			key = f"{doctype}|{role}"
			if key in granted or not frappe.db.exists("Role", role):
				continue
			granted.add(key)
			if frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0}):
				continue
			add_permission(doctype, role, 0)
			for ptype in ("report", "export", "print"):
				update_permission_property(doctype, role, 0, ptype, 1, validate=False)
			if level == "write":
				for ptype in ("write", "create"):
					update_permission_property(doctype, role, 0, ptype, 1, validate=False)
	frappe.db.set_default(GRANTED_KEY, json.dumps(sorted(granted)))


# The workspace a user of each role lands on, first match wins
LANDING_WORKSPACES = (
	("Termination Desk", "Churn Management"),
	("Retention Manager", "Retention"),
	("Debt Collector", "Collections"),
	("Club Manager", "Club"),
	("Club Trainer", "Club"),
	("Retention Head", "Churn Management"),
	("Churn Analyst", "Churn Management"),
)


MODULE_PROFILE = "Churn Management Only"
AUTOMATIC_ROLES = {"All", "Guest", "Desk User"}


def set_default_workspace(doc, method=None):
	"""A user of the churn desk lands on their role's workspace, not on ERPNext's home.

	A user who holds only this app's roles also gets the module profile that shows only this
	app's workspaces in the sidebar (blocked modules hide workspaces; permissions are unchanged).
	"""
	if doc.user_type != "System User":
		return
	roles = {row.role for row in doc.get("roles", [])}
	if not doc.default_workspace:
		for role, workspace in LANDING_WORKSPACES:
			if role in roles and frappe.db.exists("Workspace", workspace):
				doc.default_workspace = workspace
				break
	ours = set(CHURN_ROLES) | set(CLUB_ROLES)
	only_ours = roles & ours and not (roles - ours - AUTOMATIC_ROLES)
	if only_ours and not doc.module_profile and frappe.db.exists("Module Profile", MODULE_PROFILE):
		doc.module_profile = MODULE_PROFILE
		blocked = frappe.get_all("Block Module", filters={"parent": MODULE_PROFILE}, pluck="module")
		doc.set("block_modules", [{"module": module} for module in blocked])


def ensure_module_profile() -> None:
	"""A module profile that blocks every module but this app's, made once; administrators adapt it."""
	if frappe.db.exists("Module Profile", MODULE_PROFILE):
		return
	modules = frappe.get_all("Module Def", filters={"app_name": ("!=", "churn_management")}, pluck="name")
	profile = frappe.get_doc(
		{
			"doctype": "Module Profile",
			"module_profile_name": MODULE_PROFILE,
			"block_modules": [{"module": module} for module in sorted(modules)],
		}
	)
	profile.insert(ignore_permissions=True)


def before_tests():
	"""Tests need a company, fiscal years and accounts: finish ERPNext's setup as its own tests do."""
	frappe.clear_cache()
	if not frappe.db.a_row_exists("Company"):
		from erpnext.setup.utils import before_tests as erpnext_before_tests

		erpnext_before_tests()
	setup()
	frappe.db.commit()  # nosemgrep: the test site must keep this setup between test modules


def setup_lifecycle():
	"""The preset lifecycle stages and standard, when the site has none."""
	from churn_management.clubs.doctype.lifecycle_stage.lifecycle_stage import ensure_preset_stages
	from churn_management.clubs.doctype.lifecycle_standard.lifecycle_standard import (
		ensure_preset_standard,
	)

	ensure_preset_stages()
	ensure_preset_standard()
	# the nightly job reads each member's last visit: (member, checkin) answers it from the index
	frappe.db.add_index("Club Visit", ["member", "checkin"], index_name="member_checkin")
	# ...the visits of its window from (checkin, member, club) alone, and each member's last visit in
	# each club before the window by skipping through (member, club, checkin)
	frappe.db.add_index("Club Visit", ["checkin", "member", "club"], index_name="checkin_member_club")
	frappe.db.add_index("Club Visit", ["member", "club", "checkin"], index_name="member_club_checkin")
