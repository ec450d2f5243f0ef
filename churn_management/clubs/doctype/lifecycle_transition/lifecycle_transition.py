# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A member moved from one lifecycle stage to another: written by the nightly segmentation only."""

from frappe.model.document import Document


class LifecycleTransition(Document):
	pass
