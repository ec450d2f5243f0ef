# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The customer's application to resume the service before the pause ends (DOMAIN.md §4).

A separate submittable document, as in the methodology's list of applications ("for suspension of
services", "for resumption of services"): it keeps who asked, when and from which day, and leaves
the approved suspension untouched as a record.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, getdate, nowdate


class ResumptionError(frappe.ValidationError):
	pass


class ResumptionApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		application_date: DF.Date
		customer: DF.Link | None
		customer_name: DF.Data | None
		naming_series: DF.Literal["RA-.YYYY.-"]
		note: DF.SmallText | None
		resume_on: DF.Date
		subscription: DF.Link | None
		suspension_application: DF.Link
	# end: auto-generated types

	def validate(self):
		self.validate_suspension()
		self.validate_resume_date()

	def on_submit(self):
		suspension = frappe.get_doc("Suspension Application", self.suspension_application)
		if getdate(self.resume_on) <= getdate(nowdate()) or getdate(self.resume_on) == getdate(
			suspension.from_date
		):
			suspension.resume(self.resume_on, self.name)
		else:
			suspension.db_set({"to_date": add_days(self.resume_on, -1), "resumption_application": self.name})

	def suspension(self):
		return frappe.db.get_value(
			"Suspension Application",
			self.suspension_application,
			["docstatus", "status", "from_date", "to_date", "customer"],
			as_dict=True,
		)

	def validate_suspension(self):
		values = self.suspension()
		if not values or values.docstatus != 1 or values.status not in ("Scheduled", "Paused"):
			frappe.throw(
				_("Suspension {0} is not an approved pause that is still to come or running.").format(
					frappe.bold(self.suspension_application)
				),
				ResumptionError,
			)

	def validate_resume_date(self):
		values = self.suspension()
		if getdate(self.resume_on) < getdate(values.from_date):
			frappe.throw(
				_("The service cannot resume on {0}, before the pause starts on {1}.").format(
					frappe.format(self.resume_on, "Date"), frappe.format(values.from_date, "Date")
				),
				ResumptionError,
				title=_("Check the dates"),
			)
		if getdate(self.resume_on) > getdate(add_days(values.to_date, 1)):
			frappe.throw(
				_("The pause ends by itself on {0}; no resumption is needed after that.").format(
					frappe.format(values.to_date, "Date")
				),
				ResumptionError,
			)
