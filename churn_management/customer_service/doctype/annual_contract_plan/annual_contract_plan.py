# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

from frappe.model.document import Document


class AnnualContractPlan(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		monthly_rate: DF.Currency
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		plan: DF.Link
		qty: DF.Float
		yearly_plan: DF.Link | None
	# end: auto-generated types

	pass
