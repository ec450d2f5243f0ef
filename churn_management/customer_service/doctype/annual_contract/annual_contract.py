# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A prepaid year of a subscription, often sold with a bonus card (DOMAIN.md §4).

Submitting invoices the year and moves the subscription to yearly billing after the term
(contract_billing.py); "Renew" drafts the next year's contract; the daily job marks contracts
Expiring, and puts those that end unrenewed back on monthly billing as Lapsed.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import Criterion
from frappe.utils import add_days, flt, getdate

from churn_management.analytics.customer_service.contracts import (
	is_full_term,
	prepaid_amount,
	renewal_start,
	savings,
	term_end,
)
from churn_management.customer_service.doctype.annual_contract.contract_billing import (
	bill_monthly,
	bill_yearly,
	first_unbilled_day,
	make_prepayment_invoice,
	monthly_rate,
)

RUNNING = ("Active", "Expiring")


class ContractTermError(frappe.ValidationError):
	pass


class OverlappingContractError(frappe.ValidationError):
	pass


class ContractBillingError(frappe.ValidationError):
	pass


class ContractSubscriptionError(frappe.ValidationError):
	pass


class AnnualContract(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.customer_service.doctype.annual_contract_plan.annual_contract_plan import (
			AnnualContractPlan,
		)

		amended_from: DF.Link | None
		amount: DF.Currency
		bonus_card: DF.Link | None
		bonus_card_type: DF.Link | None
		company: DF.Link
		customer: DF.Link
		customer_name: DF.Data | None
		discount_percentage: DF.Percent
		end_date: DF.Date
		monthly_amount: DF.Currency
		naming_series: DF.Literal["ACON-.YYYY.-"]
		plans: DF.Table[AnnualContractPlan]
		renewal_of: DF.Link | None
		renewed_by: DF.Link | None
		sales_invoice: DF.Link | None
		savings: DF.Currency
		sold_by: DF.Link | None
		start_date: DF.Date
		status: DF.Literal["Draft", "Active", "Expiring", "Renewed", "Lapsed", "Cancelled"]
		subscription: DF.Link
	# end: auto-generated types

	def validate(self):
		self.validate_subscription()
		self.set_end_date()
		self.validate_term()
		self.validate_no_overlap()
		self.set_plans()
		self.validate_billing_start()
		self.set_amounts()
		self.status = "Draft"

	def validate_subscription(self):
		"""The subscription is the customer's, in the contract's company, and still running."""
		party, company, status = frappe.db.get_value(
			"Subscription", self.subscription, ["party", "company", "status"]
		)
		if party != self.customer or company != self.company:
			frappe.throw(
				_("Subscription {0} is not a subscription of {1} in {2}.").format(
					frappe.bold(self.subscription), frappe.bold(self.customer), frappe.bold(self.company)
				),
				ContractSubscriptionError,
				title=_("Check the subscription"),
			)
		if status in ("Cancelled", "Completed"):
			frappe.throw(
				_("Subscription {0} has ended; a contract needs a running subscription.").format(
					frappe.bold(self.subscription)
				),
				ContractSubscriptionError,
				title=_("Check the subscription"),
			)

	def set_plans(self):
		"""The monthly plans the year prepays: the subscription's, or the previous contract's on renewal."""
		if self.renewal_of:
			plans = frappe.get_all(
				"Annual Contract Plan",
				filters={"parent": self.renewal_of, "parenttype": self.doctype},
				fields=["plan", "qty"],
				order_by="idx",
			)
		else:
			subscription = frappe.get_doc("Subscription", self.subscription)
			cycles = subscription.get_billing_cycle_and_interval()
			if [(c.billing_interval, c.billing_interval_count) for c in cycles] != [("Month", 1)]:
				frappe.throw(
					_("Subscription {0} does not bill monthly; only monthly billing is prepaid.").format(
						frappe.bold(self.subscription)
					),
					ContractSubscriptionError,
					title=_("Check the subscription"),
				)
			plans = [{"plan": row.plan, "qty": row.qty} for row in subscription.plans]
		self.set(
			"plans",
			[
				{**plan, "monthly_rate": monthly_rate(plan["plan"], plan["qty"], self.customer)}
				for plan in plans
			],
		)

	def set_end_date(self):
		if self.start_date and not self.end_date:
			self.end_date = term_end(getdate(self.start_date))

	def validate_term(self):
		"""A contract runs exactly twelve months."""
		if is_full_term(getdate(self.start_date), getdate(self.end_date)):
			return
		frappe.throw(
			_("A contract runs 12 months: starting on {0} it ends on {1}, not on {2}.").format(
				frappe.format(self.start_date, "Date"),
				frappe.format(term_end(getdate(self.start_date)), "Date"),
				frappe.format(self.end_date, "Date"),
			),
			ContractTermError,
			title=_("Check the term"),
		)

	def validate_no_overlap(self):
		"""One running contract per subscription at a time."""
		contract = frappe.qb.DocType("Annual Contract")
		other = (
			frappe.qb.from_(contract)
			.select(contract.name)
			.where(
				Criterion.all(
					[
						contract.subscription == self.subscription,
						contract.docstatus == 1,
						contract.status.isin(RUNNING),
						contract.name != self.name,
						contract.start_date <= self.end_date,
						contract.end_date >= self.start_date,
					]
				)
			)
			.limit(1)
			.run()
		)
		if other:
			frappe.throw(
				_("Contract {0} already covers subscription {1} in this period.").format(
					frappe.bold(other[0][0]), frappe.bold(self.subscription)
				),
				OverlappingContractError,
				title=_("Contract overlaps another"),
			)

	def validate_billing_start(self):
		"""The year starts on the first day not billed yet: no month billed twice, none left out."""
		first = getdate(first_unbilled_day(frappe.get_doc("Subscription", self.subscription)))
		if getdate(self.start_date) == first:
			return
		frappe.throw(
			_(
				"Subscription {0} is billed up to {1}: the contract must start on {2} so that no month is billed twice or left out."
			).format(
				frappe.bold(self.subscription),
				frappe.format(add_days(first, -1), "Date"),
				frappe.format(first, "Date"),
			),
			ContractBillingError,
			title=_("Check the start date"),
		)

	def set_amounts(self):
		self.monthly_amount = sum(flt(row.monthly_rate) * flt(row.qty) for row in self.plans)
		discount = flt(self.discount_percentage)
		if not 0 <= discount <= 100:
			frappe.throw(_("The discount lies between 0 and 100 percent."), ContractTermError)
		self.amount = prepaid_amount(self.monthly_amount, discount)
		self.savings = savings(self.monthly_amount, discount)

	def on_submit(self):
		self.db_set("sales_invoice", make_prepayment_invoice(self))
		bill_yearly(self)
		for row in self.plans:
			row.db_set("yearly_plan", row.yearly_plan)
		self.db_set("status", "Active")
		self.issue_bonus_card()
		if self.renewal_of:
			frappe.db.set_value(
				"Annual Contract", self.renewal_of, {"status": "Renewed", "renewed_by": self.name}
			)

	def issue_bonus_card(self):
		"""The card sold with the contract, issued by whoever submits it."""
		if not self.bonus_card_type or self.bonus_card:
			return
		card = frappe.get_doc(
			{
				"doctype": "Bonus Card",
				"customer": self.customer,
				"card_type": self.bonus_card_type,
				"annual_contract": self.name,
				"issued_by": frappe.session.user,
				"issued_on": getdate(),
			}
		).insert()
		self.db_set("bonus_card", card.name)

	def on_cancel(self):
		"""Undo the prepayment: its invoice is cancelled and the subscription bills monthly from the start."""
		if self.sales_invoice and frappe.db.get_value("Sales Invoice", self.sales_invoice, "docstatus") == 1:
			invoice = frappe.get_doc("Sales Invoice", self.sales_invoice)
			invoice.flags.ignore_permissions = True
			invoice.cancel()
		bill_monthly(self, self.start_date)
		self.db_set("status", "Cancelled")
		if self.renewal_of:
			ended = getdate(frappe.db.get_value("Annual Contract", self.renewal_of, "end_date")) < getdate()
			frappe.db.set_value(
				"Annual Contract",
				self.renewal_of,
				{"status": "Lapsed" if ended else "Expiring", "renewed_by": None},
			)

	def lapse(self):
		"""Ended unrenewed: back to monthly billing from the day after the term."""
		bill_monthly(self, add_days(self.end_date, 1))
		self.db_set("status", "Lapsed")

	@frappe.whitelist()
	def renew(self) -> str:
		"""Draft the next year's contract, linked to this one."""
		self.check_permission("write")
		if self.docstatus != 1 or self.renewed_by or self.status == "Renewed":
			frappe.throw(
				_("Only a submitted contract that is not renewed yet can be renewed."), ContractTermError
			)
		start = max(
			renewal_start(getdate(self.end_date)),
			getdate(first_unbilled_day(frappe.get_doc("Subscription", self.subscription))),
		)
		renewal = frappe.get_doc(
			{
				"doctype": "Annual Contract",
				"customer": self.customer,
				"company": self.company,
				"subscription": self.subscription,
				"renewal_of": self.name,
				"start_date": start,
				"end_date": term_end(start),
				"discount_percentage": self.discount_percentage,
				"bonus_card_type": None if self.bonus_card else self.bonus_card_type,
				"sold_by": frappe.session.user,
			}
		).insert()
		return renewal.name


@frappe.whitelist()
def get_term(subscription: str) -> dict:
	"""The term a new contract of the subscription would run: from its first unbilled day, 12 months."""
	doc = frappe.get_doc("Subscription", subscription)
	doc.check_permission("read")
	start = getdate(first_unbilled_day(doc))
	return {"start_date": start, "end_date": term_end(start)}
