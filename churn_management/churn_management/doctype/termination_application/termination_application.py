# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A customer's application to end the contract, and the retention attempt around it (DOMAIN.md §4).

The desk writes down the customer's own words, finds the true reason in conversation and
classifies it with a leaf of the classifier, tries a retention method, and records the outcome.
Terminated: a churn record enters the register, the ERPNext subscription ends on the effective
date and the customer is marked. Retained: the method and offer that kept the customer stay on
the application. Withdrawn: the customer changed their mind by themselves.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, nowdate

from churn_management.churn_management.doctype.churn_reason.churn_reason import validate_leaf_reason
from churn_management.churn_management.doctype.churn_record.churn_record import validate_no_open_record
from churn_management.churn_management.doctype.churn_record.churn_record_utils import (
	CUSTOMER_TYPES,
	customer_profile,
	outstanding_balance,
	set_customer_churn_status,
)


class EffectiveDateError(frappe.ValidationError):
	pass


class CompetitorRequiredError(frappe.ValidationError):
	pass


class ReasonRequiredError(frappe.ValidationError):
	pass


class OutcomeError(frappe.ValidationError):
	pass


class SubscriptionMismatchError(frappe.ValidationError):
	pass


class TerminationApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.churn_management.doctype.termination_equipment.termination_equipment import (
			TerminationEquipment,
		)

		amended_from: DF.Link | None
		application_date: DF.Date
		channel: DF.Literal["Office", "Phone", "E-mail", "Written", "Website"]
		churn_reason: DF.Link | None
		churn_record: DF.Link | None
		company: DF.Link
		competitor: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		customer_type: DF.Literal["", "B2B", "B2C"]
		customer_words: DF.SmallText
		effective_date: DF.Date
		equipment: DF.Table[TerminationEquipment]
		handled_by: DF.Link | None
		inside_coverage: DF.Literal["", "Yes", "No"]
		managed: DF.Check
		naming_series: DF.Literal["TA-.YYYY.-"]
		new_address: DF.SmallText | None
		offer_made: DF.SmallText | None
		outcome: DF.Literal["", "Retained", "Terminated", "Withdrawn"]
		outstanding_balance: DF.Currency
		reason_group: DF.Link | None
		requires_competitor: DF.Check
		retention_method: DF.Link | None
		speech_module: DF.Link | None
		subscription: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.set_customer_type()
		self.validate_dates()
		self.validate_customer_words()
		self.validate_reason_is_leaf()
		self.validate_competitor()
		self.validate_no_open_churn_record()
		self.validate_subscription()
		self.set_outstanding_balance()

	def before_submit(self):
		self.validate_reason_present()
		self.validate_outcome()

	def on_submit(self):
		if self.outcome == "Terminated":
			self.terminate()
		elif self.outcome == "Retained":
			self.record_retention()

	def on_cancel(self):
		self.undo_termination()

	def set_customer_type(self):
		customer_type = frappe.db.get_value("Customer", self.customer, "customer_type")
		self.customer_type = CUSTOMER_TYPES.get(customer_type, "")

	def validate_dates(self):
		if getdate(self.effective_date) < getdate(self.application_date):
			frappe.throw(
				_("The effective date {0} is before the application date {1}.").format(
					frappe.format(self.effective_date, "Date"), frappe.format(self.application_date, "Date")
				),
				EffectiveDateError,
				title=_("Check the dates"),
			)

	def validate_customer_words(self):
		"""The customer's own words are the evidence behind the classified reason."""
		if not (self.customer_words or "").strip():
			frappe.throw(_("Write down the customer's own words before saving."), ReasonRequiredError)

	def validate_reason_is_leaf(self):
		validate_leaf_reason(self.churn_reason)

	def validate_competitor(self):
		if not self.churn_reason:
			return
		self.requires_competitor = frappe.db.get_value(
			"Churn Reason", self.churn_reason, "requires_competitor"
		)
		if self.requires_competitor and not self.competitor:
			frappe.throw(
				_("Reason {0} requires the competitor the customer is leaving for.").format(
					frappe.bold(self.churn_reason)
				),
				CompetitorRequiredError,
				title=_("Name the competitor"),
			)

	def validate_no_open_churn_record(self):
		"""A customer already in the register cannot terminate a second time."""
		if self.docstatus != 2:
			validate_no_open_record(self.customer, exclude=self.churn_record)

	def validate_subscription(self):
		if not self.subscription:
			return
		party = frappe.db.get_value("Subscription", self.subscription, ["party_type", "party"], as_dict=True)
		if not party or party.party_type != "Customer" or party.party != self.customer:
			frappe.throw(
				_("Subscription {0} does not belong to customer {1}.").format(
					frappe.bold(self.subscription), frappe.bold(self.customer)
				),
				SubscriptionMismatchError,
			)

	def set_outstanding_balance(self):
		self.outstanding_balance = outstanding_balance(self.customer, self.company)

	def validate_reason_present(self):
		if not self.churn_reason:
			frappe.throw(
				_("Classify the true reason before submitting: choose a reason of the classifier."),
				ReasonRequiredError,
				title=_("Reason missing"),
			)

	def validate_outcome(self):
		if not self.outcome:
			frappe.throw(_("Set the outcome: Retained, Terminated or Withdrawn."), OutcomeError)
		if self.outcome == "Retained" and not self.retention_method:
			frappe.throw(
				_("Record the retention method that kept the customer."),
				OutcomeError,
				title=_("Method missing"),
			)

	def terminate(self):
		"""Enter the register, end the subscription and mark the customer."""
		profile = customer_profile(self.customer, self.effective_date, self.subscription)
		record = frappe.get_doc(
			{
				"doctype": "Churn Record",
				"customer": self.customer,
				"company": self.company,
				"churn_date": self.effective_date,
				"churn_kind": "Voluntary",
				"churn_reason": self.churn_reason,
				"customer_words": self.customer_words,
				"source_doctype": self.doctype,
				"source_name": self.name,
				**profile,
			}
		)
		record.flags.ignore_permissions = True
		record.insert()
		self.db_set("churn_record", record.name)
		if self.subscription:
			self.end_subscription()

	def end_subscription(self):
		"""End the ERPNext subscription on the effective date; cancel it if that date has come."""
		values = {"end_date": self.effective_date, "termination_application": self.name}
		if getdate(self.effective_date) <= getdate(nowdate()):
			values.update({"status": "Cancelled", "cancelation_date": self.effective_date})
		frappe.db.set_value("Subscription", self.subscription, values)
		frappe.get_doc("Subscription", self.subscription).add_comment(
			"Info", _("Ended by termination application {0}").format(self.name)
		)

	def record_retention(self):
		"""The customer stays: the method and offer on this application are the record of it."""
		if frappe.db.get_value("Customer", self.customer, "churn_status") == "Pre-churn":
			set_customer_churn_status(self.customer, "Active", None)
		frappe.get_doc("Customer", self.customer).add_comment(
			"Info",
			_("Retained with {0}: {1}").format(
				self.retention_method, self.offer_made or _("no offer recorded")
			),
		)

	def undo_termination(self):
		"""Cancelling a terminated application takes its churn record out of the register."""
		if not self.churn_record:
			return
		record = frappe.get_doc("Churn Record", self.churn_record)
		if record.status == "Won Back":
			frappe.throw(_("The customer was already won back; the churn record stays."))
		self.db_set("churn_record", None)
		record.flags.ignore_permissions = True
		record.delete()
		if self.subscription:
			values = {"end_date": None, "termination_application": None, "cancelation_date": None}
			if frappe.db.get_value("Subscription", self.subscription, "status") == "Cancelled":
				values["status"] = "Active"
			frappe.db.set_value("Subscription", self.subscription, values)


@frappe.whitelist()
def get_customer_context(customer: str, company: str | None = None) -> dict:
	"""What the desk sees when picking a customer: balance, subscription, churn status."""
	frappe.has_permission("Termination Application", "create", throw=True)
	subscriptions = frappe.get_all(
		"Subscription",
		filters={
			"party_type": "Customer",
			"party": customer,
			"status": ("not in", ["Cancelled", "Completed"]),
		},
		pluck="name",
		order_by="start_date desc",
		ignore_permissions=True,
	)
	return {
		"outstanding_balance": outstanding_balance(customer, company),
		"subscription": subscriptions[0] if subscriptions else None,
		"churn_status": frappe.db.get_value("Customer", customer, "churn_status"),
	}
