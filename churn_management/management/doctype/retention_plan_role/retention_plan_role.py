# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

from frappe.model.document import Document


class RetentionPlanRole(Document):
	pass
