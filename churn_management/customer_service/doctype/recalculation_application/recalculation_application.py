# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A recalculation: money back for days without service or for a wrong charge (DOMAIN.md §4).

For days without service the amount comes from the tariff: days × plan price / days in the
billing period the invoice covers (the arithmetic is in analytics/customer_service). For a wrong
charge the desk enters the amount. Either way it cannot exceed what is left of the invoice after
earlier credit notes. The Retention Head approves by submitting; that drafts an ERPNext Credit
Note (a Sales Invoice return made by ERPNext's make_sales_return) against the invoice for the
amount, which reduces the invoice's outstanding once accounts submit it.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Sum
from frappe.utils import flt, get_first_day, get_last_day

from churn_management.analytics.customer_service.applications import (
	credit_for_days,
	inclusive_days,
	overlap_days,
)

DAYS_WITHOUT_SERVICE = "Days without service"


class RecalculationInvoiceError(frappe.ValidationError):
	pass


class RecalculationAmountError(frappe.ValidationError):
	pass


class RecalculationDatesError(frappe.ValidationError):
	pass


class RecalculationApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		amount: DF.Currency
		application_date: DF.Date
		approved_by: DF.Link | None
		company: DF.Link
		credit_note: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		days: DF.Int
		from_date: DF.Date | None
		invoice_total: DF.Currency
		naming_series: DF.Literal["RCL-.YYYY.-"]
		notes: DF.SmallText | None
		period_days: DF.Int
		plan_price: DF.Currency
		reason: DF.Literal["Days without service", "Wrong charge"]
		sales_invoice: DF.Link
		service_outage: DF.Link | None
		status: DF.Literal["Requested", "Approved", "Cancelled"]
		subscription: DF.Link | None
		to_date: DF.Date | None
	# end: auto-generated types

	def validate(self):
		self.validate_invoice()
		self.set_amount_from_tariff()
		self.validate_amount()
		if self.docstatus == 0:
			self.status = "Requested"

	def on_submit(self):
		self.db_set(
			{"status": "Approved", "approved_by": frappe.session.user, "credit_note": self.make_credit_note()}
		)

	def on_cancel(self):
		self.db_set("status", "Cancelled")

	def invoice(self):
		if getattr(self, "_invoice", None) is None or self._invoice.name != self.sales_invoice:
			self._invoice = frappe.get_doc("Sales Invoice", self.sales_invoice)
		return self._invoice

	def validate_invoice(self):
		invoice = self.invoice()
		if invoice.docstatus != 1 or invoice.is_return or invoice.customer != self.customer:
			frappe.throw(
				_("Invoice {0} is not a submitted invoice of customer {1}.").format(
					frappe.bold(self.sales_invoice), frappe.bold(self.customer)
				),
				RecalculationInvoiceError,
				title=_("Check the invoice"),
			)
		if invoice.company != self.company:
			frappe.throw(
				_("Invoice {0} belongs to company {1}, not {2}.").format(
					frappe.bold(self.sales_invoice), invoice.company, self.company
				),
				RecalculationInvoiceError,
				title=_("Check the invoice"),
			)
		self.subscription = invoice.subscription
		self.invoice_total = invoice.grand_total

	def billing_period(self) -> tuple:
		"""The period the invoice bills: its subscription dates, else the month of its posting date."""
		invoice = self.invoice()
		if invoice.from_date and invoice.to_date:
			return invoice.from_date, invoice.to_date
		return get_first_day(invoice.posting_date), get_last_day(invoice.posting_date)

	def tariff_price(self) -> float:
		"""What the invoice's plans cost for its billing period (the invoice's total without a subscription)."""
		if not self.subscription:
			return flt(self.invoice().grand_total)
		plan, detail = frappe.qb.DocType("Subscription Plan"), frappe.qb.DocType("Subscription Plan Detail")
		price = (
			frappe.qb.from_(detail)
			.join(plan)
			.on(plan.name == detail.plan)
			.select(Sum(plan.cost * detail.qty))
			.where((detail.parent == self.subscription) & (detail.parenttype == "Subscription"))
			.run()
		)
		return flt(price[0][0]) if price and price[0][0] else flt(self.invoice().grand_total)

	def set_amount_from_tariff(self):
		if self.reason != DAYS_WITHOUT_SERVICE:
			self.days = self.period_days = self.plan_price = 0
			return
		if not (self.from_date and self.to_date) or inclusive_days(self.from_date, self.to_date) == 0:
			frappe.throw(
				_("Enter the first and the last day without service, the last not before the first."),
				RecalculationDatesError,
				title=_("Check the dates"),
			)
		start, end = self.billing_period()
		self.days = overlap_days(self.from_date, self.to_date, start, end)
		if not self.days:
			frappe.throw(
				_(
					"The days without service lie outside the period {0} to {1} that invoice {2} bills."
				).format(
					frappe.format(start, "Date"), frappe.format(end, "Date"), frappe.bold(self.sales_invoice)
				),
				RecalculationDatesError,
				title=_("Check the dates"),
			)
		self.period_days = inclusive_days(start, end)
		self.plan_price = self.tariff_price()
		self.amount = credit_for_days(self.days, self.plan_price, self.period_days)

	def validate_amount(self):
		if flt(self.amount) <= 0:
			frappe.throw(
				_("Enter the amount to credit."), RecalculationAmountError, title=_("Check the amount")
			)
		left = flt(self.invoice().grand_total) - self.already_credited()
		if flt(self.amount) > flt(left, 2):
			frappe.throw(
				_("The recalculation of {0} is larger than what is left of invoice {1} ({2}).").format(
					frappe.format(self.amount, "Currency"),
					frappe.bold(self.sales_invoice),
					frappe.format(left, "Currency"),
				),
				RecalculationAmountError,
				title=_("Amount too large"),
			)

	def already_credited(self) -> float:
		"""Credit notes against the invoice, drafts included, so two recalculations cannot both pass."""
		invoice = frappe.qb.DocType("Sales Invoice")
		credited = (
			frappe.qb.from_(invoice)
			.select(Sum(invoice.grand_total))
			.where(
				(invoice.return_against == self.sales_invoice)
				& (invoice.is_return == 1)
				& (invoice.docstatus < 2)
			)
			.run()
		)
		return -flt(credited[0][0]) if credited and credited[0][0] else 0.0

	def make_credit_note(self) -> str:
		"""A draft Credit Note by ERPNext's own return, cut to one line worth the amount."""
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

		# the approver need not bill: the credit note is the application's, drafted on its behalf
		target = frappe.new_doc("Sales Invoice")
		target.flags.ignore_permissions = True
		note = make_sales_return(self.sales_invoice, target)
		source = self.invoice()
		# the amount is what the customer gets back; the line carries it before the invoice's taxes
		net_share = flt(source.net_total) / flt(source.grand_total) if flt(source.grand_total) else 1
		rate = flt(flt(self.amount) * net_share, 2)
		row = note.items[0]
		row.update(
			{
				"qty": -1,
				"rate": rate,
				"price_list_rate": rate,
				"discount_percentage": 0,
				"discount_amount": 0,
				"margin_rate_or_amount": 0,
				"description": _("Recalculation {0}: {1}").format(self.name, _(self.reason)),
			}
		)
		note.set("items", [row])
		note.update(
			{
				"ignore_pricing_rule": 1,
				"additional_discount_percentage": 0,
				"discount_amount": 0,
				"disable_rounded_total": 1,
				"update_outstanding_for_self": 0,
				"remarks": _("Recalculation {0}").format(self.name),
			}
		)
		note.calculate_taxes_and_totals()
		note.flags.ignore_permissions = True
		note.insert()
		return note.name
