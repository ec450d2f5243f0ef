# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The register of churned customers: the fact table for every churn analysis (DOMAIN.md §1).

Voluntary records come from terminated applications, involuntary ones from the daily non-payment
job. A customer has at most one open record; winning the customer back closes it, and a later
churn of that customer is secondary.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, nowdate

from churn_management.churn_management.doctype.churn_reason.churn_reason import validate_leaf_reason
from churn_management.churn_management.doctype.churn_record.churn_record_utils import (
	set_customer_churn_status,
)


class OpenChurnRecordExistsError(frappe.ValidationError):
	pass


class WinBackError(frappe.ValidationError):
	pass


def validate_no_open_record(customer: str, exclude: str | None = None) -> None:
	"""A customer is in the register once at a time: a second open record would count them twice."""
	other = frappe.db.get_value(
		"Churn Record", {"customer": customer, "status": "Open", "name": ("!=", exclude or "")}, "name"
	)
	if other:
		frappe.throw(
			_("Customer {0} has already churned: see churn record {1}.").format(
				frappe.bold(customer), frappe.get_desk_link("Churn Record", other)
			),
			OpenChurnRecordExistsError,
			title=_("Already in the register"),
		)


class ChurnRecord(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		churn_date: DF.Date
		churn_kind: DF.Literal["Voluntary", "Involuntary"]
		churn_order: DF.Literal["Primary", "Secondary"]
		churn_reason: DF.Link | None
		company: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		customer_type: DF.Literal["", "B2B", "B2C"]
		customer_words: DF.SmallText | None
		lost_mrr: DF.Currency
		managed: DF.Check
		naming_series: DF.Literal["CR-.YYYY.-"]
		reason_group: DF.Link | None
		source_doctype: DF.Link | None
		source_name: DF.DynamicLink | None
		status: DF.Literal["Open", "Won Back"]
		subscription: DF.Link | None
		tariff: DF.Data | None
		tenure_months: DF.Float
		territory: DF.Link | None
		won_back_by: DF.Link | None
		won_back_date: DF.Date | None
		won_back_method: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.validate_reason_is_leaf()
		self.validate_single_open_record()
		self.set_churn_order()

	def after_insert(self):
		status = "Churned" if getdate(self.churn_date) <= getdate(nowdate()) else "Pre-churn"
		set_customer_churn_status(self.customer, status, self.name)

	def on_trash(self):
		if self.status == "Open":
			set_customer_churn_status(self.customer, "Active", None)

	def validate_reason_is_leaf(self):
		validate_leaf_reason(self.churn_reason)

	def validate_single_open_record(self):
		if self.status == "Open":
			validate_no_open_record(self.customer, exclude=self.name)

	def set_churn_order(self):
		"""A churn after a win-back is secondary."""
		if not self.is_new():
			return
		won_back_before = frappe.db.exists("Churn Record", {"customer": self.customer, "status": "Won Back"})
		self.churn_order = "Secondary" if won_back_before else "Primary"

	@frappe.whitelist()
	def mark_won_back(self, retention_method: str, won_back_date: str | None = None) -> None:
		"""Close the record: the customer came back, by whom and with which method."""
		self.check_permission("write")
		if self.status != "Open":
			frappe.throw(_("This customer is already marked as won back."), WinBackError)
		won_back_date = getdate(won_back_date or nowdate())
		if won_back_date < getdate(self.churn_date):
			frappe.throw(_("A customer cannot be won back before the churn date."), WinBackError)
		if not frappe.db.exists("Retention Method", retention_method):
			frappe.throw(
				_("Retention method {0} does not exist.").format(frappe.bold(retention_method)), WinBackError
			)
		self.status = "Won Back"
		self.won_back_date = won_back_date
		self.won_back_by = frappe.session.user
		self.won_back_method = retention_method
		self.save()
		set_customer_churn_status(self.customer, "Won back", None)
