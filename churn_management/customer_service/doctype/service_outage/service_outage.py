# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The outage log (DOMAIN.md §4): a territory or a list of customers without service, and for how long.

Closing an outage proposes a draft Recalculation Application for each customer affected who has a
running subscription in the outage's company, against the invoice of the period the outage fell
in; the Retention Head approves them one by one. Closing again proposes only what is missing, so no
customer gets two. A large territory's proposals are made in the background.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime

from churn_management.customer_service.outages import affected_customers, propose_recalculations

BACKGROUND_FROM = 200


class OutageScopeError(frappe.ValidationError):
	pass


class OutageTimesError(frappe.ValidationError):
	pass


class ServiceOutage(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.customer_service.doctype.service_outage_customer.service_outage_customer import (
			ServiceOutageCustomer,
		)

		affected: DF.Literal["Customers listed", "Territory"]
		cause: DF.SmallText
		company: DF.Link
		customers: DF.Table[ServiceOutageCustomer]
		end: DF.Datetime | None
		naming_series: DF.Literal["OUT-.YYYY.-"]
		recalculations_proposed: DF.Int
		start: DF.Datetime
		status: DF.Literal["Open", "Closed"]
		territory: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.validate_scope()
		self.validate_times()

	def on_update(self):
		if self.status == "Closed" and self.has_value_changed("status"):
			self.propose_recalculations()

	def validate_scope(self):
		"""Either a territory or a list of customers: the other is cleared, so no default widens the outage."""
		if self.affected == "Territory":
			self.set("customers", [])
		else:
			self.territory = None
		if not (self.territory or self.customers):
			frappe.throw(
				_("Name the territory without service or list the customers affected."),
				OutageScopeError,
				title=_("Who was affected?"),
			)

	def validate_times(self):
		if self.status == "Closed" and not self.end:
			frappe.throw(
				_("Enter when the service came back before closing the outage."),
				OutageTimesError,
				title=_("End missing"),
			)
		if self.end and get_datetime(self.end) < get_datetime(self.start):
			frappe.throw(_("The outage ends before it starts."), OutageTimesError, title=_("Check the times"))

	@frappe.whitelist()
	def propose_recalculations(self) -> None:
		"""Draft recalculations for the customers affected; many are made in the background."""
		self.check_permission("write")
		if len(affected_customers(self)) < BACKGROUND_FROM:
			propose_recalculations(self.name)
			self.reload()
			return
		frappe.enqueue(
			propose_recalculations,
			queue="long",
			timeout=3600,
			outage=self.name,
			enqueue_after_commit=True,
			job_id=f"service_outage_recalculations::{self.name}",
			deduplicate=True,
		)
		frappe.msgprint(_("The recalculations are being proposed in the background."), alert=True)
