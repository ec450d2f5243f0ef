# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What the retention department cost in a month, against what acquiring customers cost (DOMAIN.md §6).

Each category is the sum of its General Ledger lines (accounts and cost centers configured in the
table, fetched set-based from GL Entry) and of the costs entered by hand; offers also add the cost of
the offers given in the month's saves. A cost entered in another currency needs its exchange rate.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_months, flt, get_first_day, getdate, now_datetime

from churn_management.management.doctype.department_cost.department_cost_ledger import (
	ledger_amounts,
	month_figures,
)

CATEGORY_FIELDS = {
	"Staff": "staff_cost",
	"Overhead": "overhead",
	"Marketing": "marketing_cost",
	"Sales": "sales_cost",
	"Connection": "connection_cost",
}


class DepartmentCostError(frappe.ValidationError):
	pass


class DuplicateDepartmentCostError(DepartmentCostError):
	pass


class ExchangeRateMissingError(DepartmentCostError):
	pass


class DepartmentCost(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.management.doctype.department_cost_entry.department_cost_entry import (
			DepartmentCostEntry,
		)
		from churn_management.management.doctype.department_cost_source.department_cost_source import (
			DepartmentCostSource,
		)

		acquisition_cost: DF.Currency
		company: DF.Link
		connection_cost: DF.Currency
		currency: DF.Link | None
		entries: DF.Table[DepartmentCostEntry]
		fetched_on: DF.Datetime | None
		marketing_cost: DF.Currency
		month: DF.Date
		new_customers: DF.Int
		offer_cost: DF.Currency
		offers_given: DF.Currency
		overhead: DF.Currency
		retention_cost: DF.Currency
		returned_customers: DF.Int
		sales_cost: DF.Currency
		sources: DF.Table[DepartmentCostSource]
		staff_cost: DF.Currency
	# end: auto-generated types

	def before_insert(self):
		self.copy_sources_of_last_month()
		self.refresh_from_documents(new_customers=not self.new_customers)

	def validate(self):
		self.validate_month()
		self.set_currency()
		self.validate_unique()
		self.validate_sources()
		self.validate_entries()
		self.set_totals()

	def validate_month(self):
		self.month = get_first_day(getdate(self.month))

	def set_currency(self):
		self.currency = frappe.get_cached_value("Company", self.company, "default_currency")

	def validate_unique(self):
		other = frappe.db.exists(
			"Department Cost", {"company": self.company, "month": self.month, "name": ("!=", self.name)}
		)
		if other:
			frappe.throw(
				_("The costs of {0} for {1} are already in {2}.").format(
					frappe.bold(self.company), self.month.strftime("%m.%Y"), frappe.bold(other)
				),
				DuplicateDepartmentCostError,
				title=_("Month already entered"),
			)

	def validate_sources(self):
		for row in self.sources:
			if not row.account and not row.cost_center:
				frappe.throw(
					_("Row {0}: give an account, a cost center or both.").format(row.idx), DepartmentCostError
				)
			for doctype, value in (("Account", row.account), ("Cost Center", row.cost_center)):
				if value and frappe.db.get_value(doctype, value, "company") != self.company:
					frappe.throw(
						_("Row {0}: {1} {2} does not belong to company {3}.").format(
							row.idx, _(doctype), frappe.bold(value), frappe.bold(self.company)
						),
						DepartmentCostError,
					)

	def validate_entries(self):
		for row in self.entries:
			row.currency = row.currency or self.currency
			if flt(row.amount) < 0:
				frappe.throw(_("Row {0}: a cost cannot be negative.").format(row.idx), DepartmentCostError)
			if row.currency == self.currency:
				row.exchange_rate = 1
			elif flt(row.exchange_rate) <= 0:
				frappe.throw(
					_(
						"Row {0}: the cost is in {1}, not in the company's currency {2}: give the exchange rate (how much {2} one {1} is worth)."
					).format(row.idx, row.currency, self.currency),
					ExchangeRateMissingError,
					title=_("Exchange rate missing"),
				)
			row.base_amount = flt(flt(row.amount) * flt(row.exchange_rate), 2)

	def set_totals(self):
		totals = dict.fromkeys([*CATEGORY_FIELDS, "Offers"], 0.0)
		for row in self.sources:
			totals[row.category] += flt(row.amount)
		for row in self.entries:
			totals[row.category] += flt(row.base_amount)
		for category, fieldname in CATEGORY_FIELDS.items():
			self.set(fieldname, flt(totals[category], 2))
		self.offer_cost = flt(flt(self.offers_given) + totals["Offers"], 2)
		self.retention_cost = flt(self.staff_cost + self.offer_cost + self.overhead, 2)
		self.acquisition_cost = flt(self.marketing_cost + self.sales_cost + self.connection_cost, 2)

	def copy_sources_of_last_month(self):
		"""Each month reads the same accounts: a new month starts from the company's last one."""
		if self.sources:
			return
		last = frappe.get_all(
			"Department Cost",
			filters={"company": self.company, "month": ("<", get_first_day(getdate(self.month)))},
			order_by="month desc",
			limit=1,
			pluck="name",
		)
		if not last:
			return
		for row in frappe.get_doc("Department Cost", last[0]).sources:
			self.append(
				"sources", {"category": row.category, "account": row.account, "cost_center": row.cost_center}
			)

	def refresh_from_documents(self, new_customers: bool = True):
		"""Offers given and customers retained from the month's saves; new customers from invoices."""
		start = get_first_day(getdate(self.month))
		figures = month_figures(self.company, start, getdate(add_months(start, 1)))
		self.offers_given = figures["offers_given"]
		self.returned_customers = figures["returned"]
		if new_customers:
			self.new_customers = figures["new_customers"]

	@frappe.whitelist()
	def fetch_from_ledger(self) -> None:
		"""Read the configured accounts and cost centers from the General Ledger, and the month's saves."""
		self.check_permission("write")
		start = get_first_day(getdate(self.month))
		amounts = ledger_amounts(self.company, start, getdate(add_months(start, 1)), self.sources)
		for row, amount in zip(self.sources, amounts, strict=True):
			row.amount = amount
		self.refresh_from_documents()
		self.fetched_on = now_datetime()
		self.save()
