# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A customer's bonus card: numbered from a naming series (or by the number printed on it), valid
for its type's months, Blocked while the customer is churned and Expired after its last day (both by
the daily job in customer_service/jobs/contracts_cards.py). A card whose type collects points enrols the customer in the
type's ERPNext Loyalty Program."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, add_months, cint, getdate


class CardNumberTakenError(frappe.ValidationError):
	pass


class BonusCardError(frappe.ValidationError):
	pass


class BonusCard(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		annual_contract: DF.Link | None
		blocked_for_churn: DF.Check
		card_number: DF.Data | None
		card_type: DF.Link
		company: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		issued_by: DF.Link | None
		issued_on: DF.Date
		naming_series: DF.Literal["BC-.YYYY.-"]
		status: DF.Literal["Active", "Blocked", "Expired"]
		valid_until: DF.Date | None
	# end: auto-generated types

	def validate(self):
		self.set_card_number()
		self.validate_card_number()
		self.validate_card_type()
		self.validate_contract()
		self.set_valid_until()

	def set_card_number(self):
		self.card_number = (self.card_number or "").strip() or self.name

	def validate_card_number(self):
		"""One number, one card."""
		if not self.has_value_changed("card_number"):
			return
		taken = frappe.db.get_value(
			"Bonus Card", {"card_number": self.card_number, "name": ("!=", self.name)}, "name"
		)
		if taken:
			frappe.throw(
				_("Card number {0} is already card {1}.").format(
					frappe.bold(self.card_number), frappe.bold(taken)
				),
				CardNumberTakenError,
				title=_("Card number used twice"),
			)

	def validate_card_type(self):
		if self.is_new() and cint(frappe.db.get_value("Bonus Card Type", self.card_type, "disabled")):
			frappe.throw(_("Card type {0} is disabled.").format(frappe.bold(self.card_type)), BonusCardError)

	def validate_contract(self):
		if not self.annual_contract:
			return
		if frappe.db.get_value("Annual Contract", self.annual_contract, "customer") != self.customer:
			frappe.throw(
				_("Annual contract {0} is not a contract of {1}.").format(
					frappe.bold(self.annual_contract), frappe.bold(self.customer)
				),
				BonusCardError,
			)

	def set_valid_until(self):
		months = cint(frappe.db.get_value("Bonus Card Type", self.card_type, "validity_months"))
		self.valid_until = add_days(add_months(getdate(self.issued_on), months), -1)

	def after_insert(self):
		self.enrol_customer()

	def enrol_customer(self):
		"""The customer joins the card type's Loyalty Program, so ERPNext's invoices earn points."""
		program = frappe.db.get_value("Bonus Card Type", self.card_type, "loyalty_program")
		if not program or self.status != "Active":
			return
		customer = frappe.get_doc("Customer", self.customer)
		if customer.loyalty_program == program:
			return
		customer.loyalty_program = program
		customer.flags.ignore_permissions = True
		customer.save()
