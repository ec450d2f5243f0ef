# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A kind of bonus card: its benefits, discount, partner offers and validity.

Points, where the type has them, live in ERPNext's Loyalty Program made for the type (one per type):
a card enrols its customer there, and ERPNext's invoices earn and spend the points.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, getdate


class CardTypeError(frappe.ValidationError):
	pass


class BonusCardType(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		benefits: DF.SmallText | None
		collection_factor: DF.Currency
		company: DF.Link
		conversion_factor: DF.Float
		disabled: DF.Check
		discount_percentage: DF.Percent
		expiry_days: DF.Int
		has_points: DF.Check
		loyalty_program: DF.Link | None
		partner_offers: DF.SmallText | None
		type_name: DF.Data
		validity_months: DF.Int
	# end: auto-generated types

	def validate(self):
		self.validate_validity()
		self.validate_points()

	def validate_validity(self):
		if cint(self.validity_months) < 1:
			frappe.throw(
				_("A card is valid for at least one month."), CardTypeError, title=_("Check the card type")
			)

	def validate_points(self):
		if cint(self.has_points) and flt(self.collection_factor) <= 0:
			frappe.throw(
				_("Set the amount a customer spends for one point."),
				CardTypeError,
				title=_("Check the card type"),
			)

	def on_update(self):
		if cint(self.has_points):
			self.sync_loyalty_program()

	def sync_loyalty_program(self):
		"""Make, or bring up to date, the type's own ERPNext Loyalty Program."""
		if self.loyalty_program and frappe.db.exists("Loyalty Program", self.loyalty_program):
			program = frappe.get_doc("Loyalty Program", self.loyalty_program)
		else:
			program = frappe.new_doc("Loyalty Program")
			program.loyalty_program_name = self.name
			program.loyalty_program_type = "Single Tier Program"
			program.from_date = getdate()
		program.company = self.company
		program.conversion_factor = flt(self.conversion_factor) or 1
		program.expiry_duration = cint(self.expiry_days)
		program.set(
			"collection_rules",
			[{"tier_name": self.name, "min_spent": 0, "collection_factor": flt(self.collection_factor)}],
		)
		program.flags.ignore_permissions = True
		program.save()
		if self.loyalty_program != program.name:
			self.db_set("loyalty_program", program.name)
