# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A customer moves home or office (DOMAIN.md §4: relocating customers).

Inside the coverage area (the territories of Customer Service Settings and those under them) the
service moves: submitting updates the customer's ERPNext Address (or adds a new one, made the
primary address), moves the customer to the new territory, leaves the subscription running and
bills the optional transfer fee with a Sales Invoice. Outside it, submitting drafts a Termination
Application with the classifier's unmanaged "moved out of coverage" reason, for the desk to finish;
nothing ends by itself. Either way it all happens in the submit's transaction, or not at all.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate

from churn_management.churn_management.doctype.churn_record.churn_record_utils import active_subscriptions
from churn_management.customer_service.applications import bill_once, validate_subscription_of
from churn_management.customer_service.doctype.customer_service_settings.customer_service_settings import (
	covered_territories,
	get_settings,
	out_of_coverage_reason,
)

UPDATE_ADDRESS = "Update the current address"


class RelocationAddressError(frappe.ValidationError):
	pass


class RelocationFeeError(frappe.ValidationError):
	pass


class OutOfCoverageReasonError(frappe.ValidationError):
	pass


class RelocationApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		address: DF.Link | None
		address_action: DF.Literal["Update the current address", "Add a new address"]
		address_line1: DF.Data | None
		address_line2: DF.Data | None
		amended_from: DF.Link | None
		application_date: DF.Date
		city: DF.Data | None
		company: DF.Link
		country: DF.Link | None
		current_address: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		customer_words: DF.SmallText | None
		fee_invoice: DF.Link | None
		inside_coverage: DF.Check
		move_date: DF.Date
		naming_series: DF.Literal["REL-.YYYY.-"]
		new_territory: DF.Link
		pincode: DF.Data | None
		status: DF.Literal["Requested", "Moved", "Sent to Termination", "Cancelled"]
		subscription: DF.Link | None
		termination_application: DF.Link | None
		transfer_fee: DF.Currency
	# end: auto-generated types

	def validate(self):
		self.validate_subscription()
		self.set_current_address()
		self.validate_address()
		self.set_inside_coverage()
		self.set_transfer_fee()
		self.validate_transfer_fee()
		if self.docstatus == 0:
			self.status = "Requested"

	def before_submit(self):
		self.validate_out_of_coverage_reason()

	def on_submit(self):
		if self.inside_coverage:
			self.move_service()
		else:
			self.draft_termination()

	def on_cancel(self):
		self.db_set("status", "Cancelled")

	def validate_subscription(self):
		validate_subscription_of(self)

	def set_current_address(self):
		if not self.current_address:
			self.current_address = frappe.db.get_value("Customer", self.customer, "customer_primary_address")

	def validate_address(self):
		"""The new address has at least a street and a town, and the territory that decides the coverage."""
		if not ((self.address_line1 or "").strip() and (self.city or "").strip()):
			frappe.throw(
				_("Enter the new address: at least the street and the town."),
				RelocationAddressError,
				title=_("New address missing"),
			)
		if self.address_action == UPDATE_ADDRESS and not self.current_address:
			self.address_action = "Add a new address"

	def set_inside_coverage(self):
		self.inside_coverage = int(bool(self.new_territory and self.new_territory in covered_territories()))

	def set_transfer_fee(self):
		if self.is_new() and not flt(self.transfer_fee) and self.inside_coverage:
			self.transfer_fee = flt(get_settings().relocation_fee_amount)

	def validate_transfer_fee(self):
		if flt(self.transfer_fee) > 0 and self.inside_coverage and not get_settings().relocation_fee_item:
			frappe.throw(
				_("A transfer fee needs the item to bill it with: set it in Customer Service Settings."),
				RelocationFeeError,
				title=_("Check the transfer fee"),
			)

	def new_address_text(self) -> str:
		parts = (self.address_line1, self.address_line2, self.city, self.pincode, self.country)
		return ", ".join(part.strip() for part in parts if part and part.strip())

	# ------------------------------------------------------------ inside the coverage area

	def move_service(self) -> None:
		"""The address and territory change as the desk would change them; the subscription runs on."""
		address = self.update_address() if self.address_action == UPDATE_ADDRESS else self.add_address()
		customer = frappe.get_doc("Customer", self.customer)
		customer.flags.ignore_permissions = True
		customer.customer_primary_address = address
		customer.territory = self.new_territory
		customer.save()
		values = {"status": "Moved", "address": address}
		if flt(self.transfer_fee) > 0:
			values["fee_invoice"] = self.make_fee_invoice()
		self.db_set(values)
		if self.subscription:
			frappe.get_doc("Subscription", self.subscription).add_comment(
				"Info", _("Service moved to {0} by {1}").format(self.new_address_text(), self.name)
			)

	def address_values(self) -> dict:
		return {
			"address_line1": self.address_line1,
			"address_line2": self.address_line2,
			"city": self.city,
			"pincode": self.pincode,
			"country": self.country or frappe.db.get_value("Company", self.company, "country"),
		}

	def update_address(self) -> str:
		address = frappe.get_doc("Address", self.current_address)
		address.flags.ignore_permissions = True
		address.update(self.address_values())
		address.save()
		return address.name

	def add_address(self) -> str:
		address = frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": self.customer_name or self.customer,
				"address_type": "Billing",
				"is_primary_address": 1,
				**self.address_values(),
				"links": [{"link_doctype": "Customer", "link_name": self.customer}],
			}
		)
		address.flags.ignore_permissions = True
		address.insert()
		return address.name

	def make_fee_invoice(self) -> str:
		"""The transfer fee, billed once on the settings' item."""
		return bill_once(
			self,
			get_settings().relocation_fee_item,
			flt(self.transfer_fee),
			_("Transfer of the service to {0}").format(self.new_address_text()),
		)

	# ------------------------------------------------------------ outside the coverage area

	def validate_out_of_coverage_reason(self):
		"""A move out of the coverage area needs the classifier's reason for it before anything changes."""
		if not self.inside_coverage and not out_of_coverage_reason():
			frappe.throw(
				_(
					"No reason for a move out of the coverage area: load the classifier preset or choose the reason in Customer Service Settings."
				),
				OutOfCoverageReasonError,
				title=_("Reason missing"),
			)

	def draft_termination(self) -> None:
		"""A draft Termination Application with the unmanaged reason; the desk finishes it."""
		reason = out_of_coverage_reason()
		effective = max(getdate(self.move_date), getdate(self.application_date))
		termination = frappe.get_doc(
			{
				"doctype": "Termination Application",
				"customer": self.customer,
				"company": self.company,
				"application_date": self.application_date,
				"effective_date": effective,
				"channel": "Written",
				"customer_words": self.customer_words
				or _("Moving to {0}, outside the coverage area.").format(self.new_address_text()),
				"churn_reason": reason,
				"new_address": self.new_address_text(),
				"inside_coverage": "No",
				"subscriptions": [
					{"subscription": row["subscription"], "end_subscription": 1}
					for row in active_subscriptions(self.customer, self.company)
				],
			}
		)
		termination.flags.ignore_permissions = True
		termination.insert()
		self.db_set({"status": "Sent to Termination", "termination_application": termination.name})
