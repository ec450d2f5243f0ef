# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The services a new member is owed (intro session, fitness test, first training per department)."""

import frappe
from frappe import _
from frappe.model.document import Document


class StarterPackageError(frappe.ValidationError):
	pass


class StarterPackage(Document):
	def validate(self):
		self.validate_services()

	def validate_services(self):
		seen = set()
		for item in self.items:
			if (item.due_days or 0) < 0:
				frappe.throw(
					_("Row {0}: the days by which a service is due cannot be negative.").format(item.idx),
					StarterPackageError,
				)
			if item.service in seen:
				frappe.throw(
					_("Row {0}: the service {1} is listed twice.").format(item.idx, item.service),
					StarterPackageError,
				)
			seen.add(item.service)
			if item.marked_by_visit and not item.department:
				frappe.throw(
					_("Row {0}: a service delivered by a visit needs the department visited.").format(
						item.idx
					),
					StarterPackageError,
				)
