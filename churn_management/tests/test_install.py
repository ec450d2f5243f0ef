# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.install import DESK_WORKSPACE, grant_erpnext_access, setup
from churn_management.tests.utils import make_user


class TestInstall(FrappeTestCase):
	def test_migrate_keeps_permissions_an_administrator_removed(self):
		grant_erpnext_access()
		self.assertTrue(
			frappe.db.exists("Custom DocPerm", {"parent": "Serial No", "role": "Termination Desk"})
		)
		frappe.db.delete(
			"Custom DocPerm", {"parent": "Serial No", "role": "Termination Desk"}
		)  # as the Role Permission Manager does
		self.assertFalse(
			frappe.db.exists("Custom DocPerm", {"parent": "Serial No", "role": "Termination Desk"})
		)
		setup()  # what after_migrate and after_install run
		self.assertFalse(
			frappe.db.exists("Custom DocPerm", {"parent": "Serial No", "role": "Termination Desk"})
		)

	def test_a_desk_user_lands_on_the_churn_workspace(self):
		desk = make_user("churn.landing@example.com", ["Termination Desk"])
		self.assertEqual(frappe.db.get_value("User", desk, "default_workspace"), DESK_WORKSPACE)
		other = make_user("churn.notours@example.com", ["Sales User"])
		self.assertNotEqual(frappe.db.get_value("User", other, "default_workspace"), DESK_WORKSPACE)
		for role, workspace in (
			("Retention Manager", "Retention"),
			("Debt Collector", "Collections"),
			("Club Manager", "Club"),
		):
			user = make_user(f"churn.landing.{frappe.scrub(role)}@example.com", [role])
			self.assertEqual(frappe.db.get_value("User", user, "default_workspace"), workspace)

	def test_a_user_with_only_our_roles_sees_only_our_workspaces(self):
		from frappe.desk.desktop import get_workspace_sidebar_items

		from churn_management.install import MODULE_PROFILE

		desk = make_user("churn.sidebar@example.com", ["Termination Desk"])
		self.assertEqual(frappe.db.get_value("User", desk, "module_profile"), MODULE_PROFILE)
		mixed = make_user("churn.sidebar.sales@example.com", ["Termination Desk", "Sales User"])
		self.assertFalse(frappe.db.get_value("User", mixed, "module_profile"))
		frappe.set_user(desk)
		try:
			pages = {page["name"] for page in get_workspace_sidebar_items()["pages"]}
		finally:
			frappe.set_user("Administrator")
		self.assertIn("Termination Desk", pages)
		self.assertNotIn("Churn Management", pages)  # the head's
		self.assertNotIn("Selling", pages)
		self.assertNotIn("Accounting", pages)
		# permissions are unchanged: the desk still reads customers
		self.assertTrue(frappe.has_permission("Customer", "read", user=desk))
