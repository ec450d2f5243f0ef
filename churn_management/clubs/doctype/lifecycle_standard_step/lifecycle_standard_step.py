# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""One step of the ideal path: a stage, its timing, actions and the emotion aimed at."""

from frappe.model.document import Document


class LifecycleStandardStep(Document):
	pass
