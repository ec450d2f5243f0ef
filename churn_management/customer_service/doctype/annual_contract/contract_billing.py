# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What an annual contract changes in ERPNext billing.

On submit the prepaid year becomes one submitted Sales Invoice of the subscription covering the
term (the monthly charges of its plans, twelve of each, less the contract's discount), and the
subscription moves to yearly twins of its monthly plans, its next period starting the day after the
term: ERPNext then bills nothing during the term (its next billing day lies after it) and never a
prepaid month twice. When the contract ends unrenewed the subscription goes back to its monthly
plans, billing from the day after the term. A renewal prepays the next year the same way.
"""

import frappe
from frappe import _
from frappe.utils import add_days, flt, getdate

from erpnext.accounts.doctype.subscription_plan.subscription_plan import get_plan_rate

from churn_management.analytics.customer_service.contracts import TERM_MONTHS
from churn_management.analytics.retention.billing import cycle_end
from churn_management.retention.doctype.suspension_application.pause_billing import last_billed_day

YEARLY_SUFFIX = " (Annual Contract)"


def first_unbilled_day(subscription):
	"""The first day no invoice of the subscription covers: where a prepaid year can start."""
	billed_to = last_billed_day(subscription)
	if billed_to:
		return add_days(billed_to, 1)
	return getdate(subscription.current_invoice_start or subscription.start_date)


def monthly_rate(plan: str, qty: float, customer: str) -> float:
	"""What the plan bills the customer per month, as ERPNext prices it."""
	return flt(get_plan_rate(plan, qty, customer)) / (flt(qty) or 1)


def ensure_yearly_plan(plan: str, rate: float) -> str:
	"""A yearly twin of a monthly plan (same item, twelve months' price) for the contract's term."""
	name = f"{plan}{YEARLY_SUFFIX}"
	if frappe.db.exists("Subscription Plan", name):
		return name
	monthly = frappe.get_doc("Subscription Plan", plan)
	yearly = frappe.get_doc(
		{
			"doctype": "Subscription Plan",
			"plan_name": name,
			"item": monthly.item,
			"currency": monthly.currency,
			"price_determination": "Fixed Rate",
			"cost": flt(rate) * TERM_MONTHS,
			"billing_interval": "Year",
			"billing_interval_count": 1,
		}
	)
	yearly.flags.ignore_permissions = True
	yearly.insert()
	return yearly.name


def make_prepayment_invoice(contract) -> str:
	"""The submitted Sales Invoice of the prepaid year, linked to the subscription for the term."""
	subscription = frappe.get_doc("Subscription", contract.subscription)
	invoice = frappe.new_doc("Sales Invoice")
	invoice.update(
		{
			"customer": contract.customer,
			"company": contract.company,
			"subscription": contract.subscription,
			"from_date": contract.start_date,
			"to_date": contract.end_date,
			"cost_center": subscription.cost_center,
			"additional_discount_percentage": flt(contract.discount_percentage),
			"apply_discount_on": "Grand Total",
			"remarks": _("Prepaid annual contract {0}, {1} to {2}").format(
				contract.name,
				frappe.format(contract.start_date, "Date"),
				frappe.format(contract.end_date, "Date"),
			),
		}
	)
	for row in contract.plans:
		invoice.append(
			"items",
			{
				"item_code": frappe.db.get_value("Subscription Plan", row.plan, "item"),
				"qty": flt(row.qty) * TERM_MONTHS,
				"rate": flt(row.monthly_rate),
				"cost_center": subscription.cost_center,
			},
		)
	invoice.set_missing_values()
	invoice.flags.ignore_permissions = True
	invoice.insert()
	invoice.submit()
	return invoice.name


def bill_yearly(contract) -> None:
	"""Yearly twins of the plans; the next period to bill starts the day after the term."""
	subscription = frappe.get_doc("Subscription", contract.subscription)
	subscription.set("plans", [])
	for row in contract.plans:
		row.yearly_plan = ensure_yearly_plan(row.plan, row.monthly_rate)
		subscription.append("plans", {"plan": row.yearly_plan, "qty": row.qty})
	after = add_days(contract.end_date, 1)
	_set_period(subscription, after, cycle_end(getdate(after), "Year"))
	subscription.add_comment(
		"Info",
		_("Annual contract {0} prepaid {1} to {2}; billing yearly, next from {3}").format(
			contract.name,
			frappe.format(contract.start_date, "Date"),
			frappe.format(contract.end_date, "Date"),
			frappe.format(after, "Date"),
		),
	)


def bill_monthly(contract, from_date) -> None:
	"""The monthly plans again, billing from the given day (the day after the term, or its start).

	The subscription's version log shows the change; the contract says why (Lapsed or Cancelled)."""
	subscription = frappe.get_doc("Subscription", contract.subscription)
	if subscription.status == "Cancelled":
		return
	subscription.set("plans", [{"plan": row.plan, "qty": row.qty} for row in contract.plans])
	_set_period(subscription, from_date, cycle_end(getdate(from_date), "Month"))


def _set_period(subscription, start, end) -> None:
	if subscription.end_date and getdate(end) > getdate(subscription.end_date):
		end = subscription.end_date
	subscription.current_invoice_start = start
	subscription.current_invoice_end = end
	subscription.flags.ignore_permissions = True
	subscription.save()
