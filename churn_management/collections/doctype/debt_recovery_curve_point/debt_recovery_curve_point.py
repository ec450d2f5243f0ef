# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

from frappe.model.document import Document


class DebtRecoveryCurvePoint(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		age_from: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		probability: DF.Percent
	# end: auto-generated types

	pass
