# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A customer listed on an outage."""

from frappe.model.document import Document


class ServiceOutageCustomer(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		customer: DF.Link
		customer_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types

	pass
