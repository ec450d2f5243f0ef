# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A retention method: what staff do and offer to keep a customer, and what it costs (DOMAIN.md §3)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt


class RetentionMethod(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		cost: DF.Currency
		description: DF.TextEditor | None
		enabled: DF.Check
		method_name: DF.Data
		offer_type: DF.Literal[
			"None",
			"Discount",
			"Free Months",
			"Tariff Change",
			"Suspension",
			"Equipment Replacement",
			"Transfer to New Address",
			"Bonus Card",
			"Annual Contract",
			"Payment Plan",
			"Service Visit",
			"Personal Call",
		]
		planned_conversion: DF.Percent
		speech_module: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.validate_cost()
		self.validate_planned_conversion()

	def validate_cost(self):
		if flt(self.cost) < 0:
			frappe.throw(_("The cost of a method cannot be negative."))

	def validate_planned_conversion(self):
		if not 0 <= flt(self.planned_conversion) <= 100:
			frappe.throw(_("Planned conversion must be between 0 and 100 %."))
