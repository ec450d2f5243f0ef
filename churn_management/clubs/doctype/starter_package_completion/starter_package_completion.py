# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A starter service owed to one member's card, marked delivered by the trainer or by a visit.

Trainers see and mark only their department's services: a User Permission on Department
restricts them, as the Club Manager is restricted to their club by a User Permission on Branch.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, nowdate


class StarterServiceError(frappe.ValidationError):
	pass


class StarterPackageCompletion(Document):
	def validate(self):
		self.validate_delivery()

	def validate_delivery(self):
		if self.status != "Delivered":
			self.delivered_on = None
			return
		if not self.delivered_on:
			self.delivered_on = nowdate()
		if getdate(self.delivered_on) > getdate(nowdate()):
			frappe.throw(_("A service cannot be delivered in the future."), StarterServiceError)
