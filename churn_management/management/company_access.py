# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Management figures are per company: a user restricted to some companies sees only theirs."""

import frappe
from frappe import _
from frappe.permissions import get_user_permissions


def check_company(company: str | None) -> None:
	"""Stop when the company is missing or the user's User Permissions on Company leave it out."""
	if not company:
		frappe.throw(_("Choose a company."), frappe.MandatoryError)
	allowed = get_user_permissions(frappe.session.user).get("Company")
	if allowed and company not in {row.get("doc") for row in allowed}:
		frappe.throw(
			_("You may not see the figures of company {0}.").format(frappe.bold(company)),
			frappe.PermissionError,
		)
