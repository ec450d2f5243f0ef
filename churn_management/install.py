# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Setting up the app on a site: the classifier root, sensible settings and read access to ERPNext."""

import frappe
from frappe.permissions import add_permission, update_permission_property

from churn_management.churn_management.doctype.churn_settings.classifier_preset import ensure_root_reason
from churn_management.churn_management.doctype.debt_case.debt_case_setup import setup_debt_collection

CHURN_ROLES = ("Termination Desk", "Retention Manager", "Retention Head", "Churn Analyst", "Debt Collector")

# ERPNext DocTypes our roles must be able to read (and, for the head, to change) to do their work
ERPNEXT_ACCESS = {
	"Customer": {
		"Termination Desk": "read",
		"Retention Manager": "read",
		"Retention Head": "read",
		"Churn Analyst": "read",
		"Debt Collector": "read",
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
	"Item": {"Termination Desk": "read"},
	"Sales Invoice": {"Debt Collector": "read", "Retention Head": "read", "Churn Analyst": "read"},
	"Dunning": {"Debt Collector": "read", "Retention Head": "read"},
}


def after_install():
	setup()


def after_migrate():
	setup()


def setup():
	ensure_root_reason()
	set_default_settings()
	grant_erpnext_access()
	setup_debt_collection()


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
	"""Give our roles the access to ERPNext records they need, once (idempotent)."""
	for doctype, roles in ERPNEXT_ACCESS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		for role, level in roles.items():
			if not frappe.db.exists("Role", role):
				continue
			if frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0}):
				continue
			add_permission(doctype, role, 0)
			for ptype in ("report", "export", "print"):
				update_permission_property(doctype, role, 0, ptype, 1, validate=False)
			if level == "write":
				for ptype in ("write", "create"):
					update_permission_property(doctype, role, 0, ptype, 1, validate=False)


def before_tests():
	"""Tests need a company, fiscal years and accounts: finish ERPNext's setup as its own tests do."""
	frappe.clear_cache()
	if not frappe.db.a_row_exists("Company"):
		from erpnext.setup.utils import before_tests as erpnext_before_tests

		erpnext_before_tests()
	setup()
	frappe.db.commit()  # nosemgrep: the test site must keep this setup between test modules
