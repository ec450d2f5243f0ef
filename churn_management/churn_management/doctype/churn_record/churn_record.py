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

from churn_management.churn_management.doctype.churn_reason.churn_reason import (
	validate_leaf_reason,
	validate_reason_fits,
)
from churn_management.churn_management.doctype.churn_record.churn_record_utils import (
	set_customer_churn_status,
)
from churn_management.retention.doctype.retention_task.retention_task_closing import (
	close_tasks_of_returned_customer,
)


class OpenChurnRecordExistsError(frappe.ValidationError):
	pass


class WinBackError(frappe.ValidationError):
	pass


class ChurnDateError(frappe.ValidationError):
	pass


RETURNED = ("Won Back", "Returned by Payment")


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

		channel: DF.Literal["", "Office", "Phone", "E-mail", "Written", "Website"]
		churn_date: DF.Date
		churn_kind: DF.Literal["Voluntary", "Involuntary"]
		churn_order: DF.Literal["Primary", "Secondary"]
		churn_reason: DF.Link | None
		company: DF.Link | None
		competitor: DF.Link | None
		currency: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		customer_type: DF.Literal["", "B2B", "B2C"]
		customer_words: DF.SmallText | None
		handled_by: DF.Link | None
		lost_mrr: DF.Currency
		managed: DF.Check
		naming_series: DF.Literal["CR-.YYYY.-"]
		offer_result: DF.Literal["", "Accepted", "Refused", "Not Offered"]
		offered_method: DF.Link | None
		reason_group: DF.Link | None
		source_doctype: DF.Link | None
		source_name: DF.DynamicLink | None
		status: DF.Literal["Open", "Won Back", "Returned by Payment"]
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
		self.validate_reason_fits()
		self.validate_customer_unchanged()
		self.validate_dates()
		self.validate_after_latest_return()
		self.validate_single_open_record()
		self.set_churn_order()

	def after_insert(self):
		status = "Churned" if getdate(self.churn_date) <= getdate(nowdate()) else "Pre-churn"
		set_customer_churn_status(self.customer, status, self.name)

	def on_update(self):
		if self.status in RETURNED and self.has_value_changed("status"):
			close_tasks_of_returned_customer(self)

	def on_trash(self):
		if self.status == "Open":
			set_customer_churn_status(self.customer, "Active", None)

	def validate_reason_is_leaf(self):
		validate_leaf_reason(self.churn_reason)

	def validate_reason_fits(self):
		"""Voluntary churn never carries the non-payment reason, nor involuntary a reason of choice."""
		validate_reason_fits(self.churn_reason, self.customer_type, self.churn_kind)

	def validate_customer_unchanged(self):
		"""A record in the register stays the record of its customer."""
		if not self.is_new() and self.has_value_changed("customer"):
			frappe.throw(_("The customer of a churn record cannot be changed."), ChurnDateError)

	def validate_dates(self):
		if self.won_back_date and getdate(self.won_back_date) < getdate(self.churn_date):
			frappe.throw(
				_("The churn date {0} cannot fall after the return on {1}.").format(
					frappe.format(self.churn_date, "Date"), frappe.format(self.won_back_date, "Date")
				),
				ChurnDateError,
				title=_("Check the dates"),
			)

	def validate_after_latest_return(self):
		"""A churn is never dated before the return it follows."""
		if not self.is_new():
			return
		latest = latest_return(self.customer)
		if latest and getdate(self.churn_date) < getdate(latest):
			frappe.throw(
				_("The customer came back on {0}; a new churn cannot be dated {1}.").format(
					frappe.format(latest, "Date"), frappe.format(self.churn_date, "Date")
				),
				ChurnDateError,
				title=_("Check the dates"),
			)

	def validate_single_open_record(self):
		if self.status == "Open":
			validate_no_open_record(self.customer, exclude=self.name)

	def set_churn_order(self):
		"""A churn after a win-back is secondary."""
		if not self.is_new():
			return
		won_back_before = frappe.db.exists(
			"Churn Record", {"customer": self.customer, "status": ("in", RETURNED), "name": ("!=", self.name)}
		)
		self.churn_order = "Secondary" if won_back_before else "Primary"

	@frappe.whitelist()
	def mark_won_back(
		self,
		retention_method: str,
		won_back_date: str | None = None,
		offer: str | None = None,
		won_back_by: str | None = None,
	) -> None:
		"""Close the record: the customer came back, by whom, with which method and offer."""
		self.check_permission("write")
		if self.status != "Open":
			frappe.throw(_("This customer is already marked as returned."), WinBackError)
		won_back_date = getdate(won_back_date or nowdate())
		if won_back_date < getdate(self.churn_date):
			frappe.throw(_("A customer cannot be won back before the churn date."), WinBackError)
		if not frappe.db.exists("Retention Method", retention_method):
			frappe.throw(
				_("Retention method {0} does not exist.").format(frappe.bold(retention_method)), WinBackError
			)
		self.status = "Won Back"
		self.won_back_date = won_back_date
		self.won_back_by = won_back_by or frappe.session.user
		self.won_back_method = retention_method
		if offer:
			self.offer_result = "Accepted"
			self.add_comment("Info", _("Won back with the offer: {0}").format(offer))
		self.save()
		set_customer_churn_status(self.customer, "Won back", None)

	def close_as_returned(self, returned_on, won_back_by: str | None = None, note: str | None = None) -> None:
		"""The customer came back by buying again (a new club card): the record closes as won back."""
		if self.status != "Open":
			frappe.throw(_("This customer is already marked as returned."), WinBackError)
		self.status = "Won Back"
		self.won_back_date = max(getdate(returned_on), getdate(self.churn_date))
		self.won_back_by = won_back_by or frappe.session.user
		self.flags.ignore_permissions = True
		self.save()
		if note:
			self.add_comment("Info", note)
		set_customer_churn_status(self.customer, "Won back", None)

	def close_as_returned_by_payment(self, paid_on=None) -> None:
		"""The debt behind a non-payment churn is paid in full: the customer is back, Active."""
		if self.status != "Open" or self.churn_kind != "Involuntary":
			frappe.throw(_("Only an open non-payment churn record can be returned by payment."), WinBackError)
		self.status = "Returned by Payment"
		self.won_back_date = max(getdate(paid_on or nowdate()), getdate(self.churn_date))
		self.flags.ignore_permissions = True
		self.save()
		set_customer_churn_status(self.customer, "Active", None)


def latest_return(customer: str):
	"""The date the customer last came back (won back or returned by payment), if ever."""
	rows = frappe.get_all(
		"Churn Record",
		filters={"customer": customer, "status": ("in", RETURNED)},
		fields=["max(won_back_date) as latest"],
	)
	return rows[0].latest if rows else None


@frappe.whitelist()
def get_reason_coverage(company: str | None = None) -> dict:
	"""Share of churn over the last 12 months whose true reason is known, next to its target."""
	import pandas as pd

	from frappe.utils import add_months, flt

	from churn_management.analytics.churn.register import reason_coverage

	frappe.has_permission("Churn Record", "read", throw=True)
	filters = {"churn_date": (">=", add_months(nowdate(), -12))}
	if company:
		filters["company"] = company
	rows = frappe.get_list("Churn Record", filters=filters, pluck="churn_reason")
	records = pd.DataFrame({"churn_reason": pd.Series(rows, dtype=object)})
	settings = frappe.get_cached_doc("Churn Settings")
	placeholders = (settings.non_payment_reason,) if settings.non_payment_reason else ()
	coverage = reason_coverage(records, placeholders)
	return {
		"coverage": None if coverage is None else round(coverage * 100, 1),
		"target": flt(settings.target_reason_coverage) or 90,
		"records": len(records),
	}
