# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A customer kept at the desk or returned by a task: it counts as saved only if, N days later, the
customer is still active and paying (judged by the daily job: Stuck or Lost)."""

from frappe.model.document import Document


class RetentionSave(Document):
	pass
