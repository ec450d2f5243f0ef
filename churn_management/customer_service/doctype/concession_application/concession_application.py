# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A benefit (concession) for a pensioner, a large family, a loyal customer (DOMAIN.md §4).

The desk files the application with the proof; the Retention Head approves it by submitting (the
Termination Desk may save but not submit). From the first day the discount is the ERPNext
Subscription's additional discount, so every invoice of the period carries it; after the last day
the daily job puts back the discount the subscription had before. Both steps go by the status
(Approved → Applied → Ended), so running the job twice changes nothing.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate, nowdate

from churn_management.analytics.customer_service.applications import months_spanned
from churn_management.customer_service.applications import get_subscription, validate_subscription_of
from churn_management.customer_service.doctype.customer_service_settings.customer_service_settings import (
	max_concession_months,
)


class ConcessionProofError(frappe.ValidationError):
	pass


class ConcessionPeriodError(frappe.ValidationError):
	pass


class ConcessionDiscountError(frappe.ValidationError):
	pass


class ConcessionApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		application_date: DF.Date
		applied_on: DF.Date | None
		approved_by: DF.Link | None
		category: DF.Literal["Pensioner", "Large family", "Loyalty", "Other"]
		company: DF.Link
		customer: DF.Link
		customer_name: DF.Data | None
		discount_percentage: DF.Percent
		ended_on: DF.Date | None
		former_discount: DF.Percent
		from_date: DF.Date
		naming_series: DF.Literal["CON-.YYYY.-"]
		notes: DF.SmallText | None
		proof: DF.Attach | None
		status: DF.Literal["Requested", "Approved", "Applied", "Ended", "Cancelled"]
		subscription: DF.Link
		to_date: DF.Date
	# end: auto-generated types

	def validate(self):
		validate_subscription_of(self)
		self.validate_proof()
		self.validate_dates()
		self.validate_length()
		self.validate_discount()
		self.validate_overlap()
		if self.docstatus == 0:
			self.status = "Requested"

	def on_submit(self):
		self.db_set({"status": "Approved", "approved_by": frappe.session.user})
		if getdate(self.from_date) <= getdate(nowdate()):
			self.apply()

	def on_cancel(self):
		if self.status == "Applied":
			self.end(nowdate())
		self.db_set("status", "Cancelled")

	def validate_proof(self):
		if not self.proof:
			frappe.throw(
				_("Attach the proof of the benefit (a certificate or another document) before saving."),
				ConcessionProofError,
				title=_("Proof missing"),
			)

	def validate_dates(self):
		if getdate(self.to_date) < getdate(self.from_date):
			frappe.throw(
				_("The concession ends on {0}, before it starts on {1}.").format(
					frappe.format(self.to_date, "Date"), frappe.format(self.from_date, "Date")
				),
				ConcessionPeriodError,
				title=_("Check the dates"),
			)

	def validate_length(self):
		longest = max_concession_months()
		months = months_spanned(self.from_date, self.to_date)
		if longest and months > longest:
			frappe.throw(
				_("A concession of {0} months is longer than the {1} months the settings allow.").format(
					months, longest
				),
				ConcessionPeriodError,
				title=_("Concession too long"),
			)

	def validate_discount(self):
		if not 0 < flt(self.discount_percentage) <= 100:
			frappe.throw(
				_("The discount lies between 0 and 100 %."),
				ConcessionDiscountError,
				title=_("Check the discount"),
			)

	def validate_overlap(self):
		concession = frappe.qb.DocType("Concession Application")
		other = (
			frappe.qb.from_(concession)
			.select(concession.name)
			.where(
				(concession.subscription == self.subscription)
				& (concession.name != (self.name or ""))
				& (concession.docstatus == 1)
				& concession.status.isin(["Approved", "Applied"])
				& (concession.from_date <= self.to_date)
				& (concession.to_date >= self.from_date)
			)
			.limit(1)
			.run()
		)
		if other:
			frappe.throw(
				_("This concession overlaps concession {0} on the same subscription.").format(
					frappe.get_desk_link("Concession Application", other[0][0])
				),
				ConcessionPeriodError,
				title=_("Concessions overlap"),
			)

	def apply(self) -> None:
		"""First day: the discount becomes the subscription's additional discount."""
		subscription = get_subscription(self.subscription)
		former = flt(subscription.additional_discount_percentage)
		subscription.additional_discount_percentage = flt(self.discount_percentage)
		subscription.apply_additional_discount = subscription.apply_additional_discount or "Grand Total"
		subscription.save()
		subscription.add_comment(
			"Info",
			_("Concession {0}: {1} % discount from {2} to {3}").format(
				self.name,
				flt(self.discount_percentage),
				frappe.format(self.from_date, "Date"),
				frappe.format(self.to_date, "Date"),
			),
		)
		self.db_set({"status": "Applied", "former_discount": former, "applied_on": getdate(nowdate())})

	def end(self, ended_on) -> None:
		"""After the last day: the subscription gets back the discount it had before."""
		subscription = get_subscription(self.subscription)
		subscription.additional_discount_percentage = flt(self.former_discount)
		subscription.save()
		subscription.add_comment("Info", _("Concession {0} ended").format(self.name))
		self.db_set({"status": "Ended", "ended_on": getdate(ended_on)})
