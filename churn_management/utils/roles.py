# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Who holds a role: the users a job hands work to (collectors, retention managers)."""

import frappe


def enabled_users_with_role(role: str) -> list[str]:
	"""The enabled users holding the role, by name, leaving out Administrator and Guest."""
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	rows = (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where(
			(has_role.role == role)
			& (has_role.parenttype == "User")
			& (user.enabled == 1)
			& (user.name.notin(["Administrator", "Guest"]))
		)
		.run()
	)
	return sorted(row[0] for row in rows)
