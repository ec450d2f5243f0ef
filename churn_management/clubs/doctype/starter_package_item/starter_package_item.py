# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A service a new member is owed, with the days by which it is due."""

from frappe.model.document import Document


class StarterPackageItem(Document):
	pass
