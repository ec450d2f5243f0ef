# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A territory of the coverage area."""

from frappe.model.document import Document


class CustomerServiceTerritory(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		territory: DF.Link
	# end: auto-generated types

	pass
