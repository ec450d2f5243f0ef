# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Setting up the app on a site: the classifier root, sensible settings and read access to ERPNext."""

import json
from collections import defaultdict

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
DESK_WORKSPACE = "Termination Desk"


def after_install():
	setup()


def after_migrate():
	setup()


def setup():
	ensure_root_reason()
	set_default_settings()
	grant_erpnext_access()
	ensure_module_defs()
	ensure_module_profile()
	land_existing_users()
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
	("Retention Head", "Churn Management"),
	("Termination Desk", "Termination Desk"),
	("Retention Manager", "Retention"),
	("Debt Collector", "Collections"),
	("Club Manager", "Club"),
	("Club Trainer", "Club"),
	("Churn Analyst", "Churn Analytics"),
	("Churn Analyst", "Retention"),  # while no Management DocType opens Churn Analytics to them
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
		doc.default_workspace = landing_workspace(roles)
	ours = set(CHURN_ROLES) | set(CLUB_ROLES)
	only_ours = roles & ours and not (roles - ours - AUTOMATIC_ROLES)
	if only_ours and not doc.module_profile and frappe.db.exists("Module Profile", MODULE_PROFILE):
		doc.module_profile = MODULE_PROFILE
		blocked = frappe.get_all("Block Module", filters={"parent": MODULE_PROFILE}, pluck="module")
		doc.set("block_modules", [{"module": module} for module in blocked])


def landing_workspace(roles: set[str]) -> str | None:
	"""The workspace of the first of the user's roles that has one on this site that they can open."""
	for role, workspace in LANDING_WORKSPACES:
		if role in roles and workspace_opens_to(workspace, roles):
			return workspace
	return None


def workspace_opens_to(workspace: str, roles: set[str]) -> bool:
	"""The desk opens a workspace only to a user who reads some DocType of its module."""
	values = frappe.db.get_value("Workspace", workspace, ["name", "module"], as_dict=True)
	if not values or not values.module:
		return bool(values)
	module = values.module
	doctype = frappe.qb.DocType("DocType")
	for perm_table in ("DocPerm", "Custom DocPerm"):
		perm = frappe.qb.DocType(perm_table)
		found = (
			frappe.qb.from_(perm)
			.join(doctype)
			.on(doctype.name == perm.parent)
			.select(perm.name)
			.where(
				(doctype.module == module)
				& (doctype.istable == 0)
				& (perm.permlevel == 0)
				& (perm.read == 1)
				& perm.role.isin(list(roles))
			)
			.limit(1)
			.run()
		)
		if found:
			return True
	return False


def land_existing_users() -> None:
	"""Users of our roles made before their workspace existed land on it too.

	Only where the default workspace is unset, or is one of this app's workspaces that the user's
	roles no longer open (the front office used to land on Churn Management); a choice of the
	user's or an administrator's stays.
	"""
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	ours = set(CHURN_ROLES) | set(CLUB_ROLES)
	users = (
		frappe.qb.from_(user)
		.join(has_role)
		.on((has_role.parent == user.name) & (has_role.parenttype == "User"))
		.select(user.name)
		.distinct()
		.where((user.user_type == "System User") & (user.enabled == 1) & has_role.role.isin(list(ours)))
	)
	rows = (
		frappe.qb.from_(user)
		.join(has_role)
		.on((has_role.parent == user.name) & (has_role.parenttype == "User"))
		.select(user.name, user.default_workspace, has_role.role)
		.where(user.name.isin(users))
		.run()
	)
	roles_of, default_of = defaultdict(set), {}
	for name, default, role in rows:
		roles_of[name].add(role)
		default_of[name] = default
	opens = workspace_roles()
	for name, roles in roles_of.items():
		current = default_of[name]
		if current and not (current in opens and opens[current] and not roles & opens[current]):
			continue
		landing = landing_workspace(roles)
		if landing and landing != current:
			frappe.db.set_value("User", name, "default_workspace", landing, update_modified=False)


def workspace_roles() -> dict[str, set[str]]:
	"""The roles that open each of this app's workspaces."""
	workspace = frappe.qb.DocType("Workspace")
	has_role = frappe.qb.DocType("Has Role")
	rows = (
		frappe.qb.from_(workspace)
		.left_join(has_role)
		.on((has_role.parent == workspace.name) & (has_role.parenttype == "Workspace"))
		.select(workspace.name, has_role.role)
		.where(workspace.module.isin(app_modules()))
		.run()
	)
	roles = defaultdict(set)
	for name, role in rows:
		roles[name].update([role] if role else [])
	return roles


def ensure_module_defs() -> None:
	"""Every module of modules.txt known to the site, also one with no DocType yet (Frappe makes those
	only on install), so that its workspaces, cards and charts pass the desk's module checks."""
	for module in frappe.get_module_list("churn_management"):
		if not frappe.db.exists("Module Def", module):
			frappe.get_doc(
				{"doctype": "Module Def", "module_name": module, "app_name": "churn_management"}
			).insert(ignore_permissions=True)


def app_modules() -> list[str]:
	"""This app's Frappe modules (modules.txt), as the site knows them."""
	return frappe.get_all("Module Def", filters={"app_name": "churn_management"}, pluck="name")


def ensure_module_profile() -> None:
	"""A module profile that blocks every module but this app's, made once; administrators adapt it.

	This app's own modules are never blocked, also those a later version adds (Customer Service,
	Management): they are taken off the profile and off its users on every migrate.
	"""
	ours = app_modules()
	if frappe.db.exists("Module Profile", MODULE_PROFILE):
		unblock_app_modules(ours)
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


def unblock_app_modules(ours: list[str]) -> None:
	"""Take this app's modules off the profile and off the users who have it."""
	block = frappe.qb.DocType("Block Module")
	user = frappe.qb.DocType("User")
	profile_users = frappe.qb.from_(user).select(user.name).where(user.module_profile == MODULE_PROFILE)
	blocked_here = (block.module.isin(ours)) & (
		((block.parenttype == "Module Profile") & (block.parent == MODULE_PROFILE))
		| ((block.parenttype == "User") & block.parent.isin(profile_users))
	)
	if not frappe.qb.from_(block).select(block.name).where(blocked_here).limit(1).run():
		return
	frappe.qb.from_(block).delete().where(blocked_here).run()
	frappe.clear_cache()


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
