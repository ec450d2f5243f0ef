# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The role matrix of the club DocTypes: who reads, writes and creates what."""

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.tests.utils import TEST_IGNORE, make_user

test_ignore = TEST_IGNORE

ROLES = (
	"Club Manager",
	"Club Trainer",
	"Retention Head",
	"Retention Manager",
	"Churn Analyst",
	"Termination Desk",
)
# doctype -> (read, write, create) per role, in the order of ROLES
MATRIX = {
	"Club Visit": ("rwc", "rwc", "r", "r", "r", ""),
	"Starter Package Completion": ("rwc", "rw", "r", "r", "r", ""),
	"Starter Package": ("rwc", "r", "rwc", "r", "r", ""),
	"Lifecycle Stage": ("r", "r", "rwc", "r", "r", ""),
	"Lifecycle Standard": ("rw", "r", "rwc", "r", "r", ""),
	"Lifecycle Transition": ("r", "", "r", "r", "r", ""),
}


class TestClubRoleMatrix(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_role_matrix(self):
		for position, role in enumerate(ROLES):
			user = make_user(f"{role.lower().replace(' ', '.')}.matrix@example.com", [role])
			frappe.set_user(user)
			for doctype, rights in MATRIX.items():
				expected = rights[position]
				for letter, ptype in (("r", "read"), ("w", "write"), ("c", "create")):
					self.assertEqual(
						bool(frappe.has_permission(doctype, ptype)),
						letter in expected,
						f"{role} {ptype} {doctype}",
					)
			frappe.set_user("Administrator")

	def test_nobody_but_the_job_writes_transitions(self):
		for role in ROLES:
			user = make_user(f"{role.lower().replace(' ', '.')}.matrix@example.com", [role])
			frappe.set_user(user)
			self.assertFalse(frappe.has_permission("Lifecycle Transition", "create"), role)
			self.assertFalse(frappe.has_permission("Lifecycle Transition", "write"), role)
			frappe.set_user("Administrator")
