# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What ERPNext will invoice when a termination ends a subscription, told before it happens.

``Subscription.cancel_subscription`` bills the unbilled part of the current period of an active
subscription that is billed at the end of its periods (or some days before them): an invoice from
the period's start to the day of ending, posted on the period's end (its start when billed days
before), at the plans' price prorated when Subscription Settings say so. A submitted invoice's
posting date must lie in an active Fiscal Year, or ERPNext refuses to end the subscription. This module reads the same
facts with ERPNext's own period and price functions and changes nothing.
"""

import frappe
from frappe import _
from frappe.utils import add_days, date_diff, flt, getdate, nowdate

from churn_management.churn_management.doctype.churn_record.churn_record_utils import ENDED_SUBSCRIPTION

BILLED_AT_START = "Beginning of the current subscription period"
BILLED_DAYS_BEFORE = "Days before the current subscription period"
MAX_PERIODS_AHEAD = 400


def final_bill(name: str, end_date, company: str | None = None) -> dict:
	"""The invoice ERPNext will make when the subscription ends on the date (today if earlier)."""
	from erpnext.accounts.doctype.subscription.subscription import is_prorate

	subscription = frappe.get_doc("Subscription", name)
	end_date = max(getdate(end_date), getdate(nowdate()))
	bill = {"subscription": name, "ends_on": end_date, "bills": False, "problem": None}
	bill["note"] = nothing_to_bill(subscription)
	if bill["note"]:
		return bill
	start, end = billing_period(subscription, end_date)
	if end_date < start:
		bill["note"] = _("Its next period starts on {0}: ending it bills nothing.").format(
			frappe.format(start, "Date")
		)
		return bill
	prepaid = subscription.generate_invoice_at == BILLED_DAYS_BEFORE
	factor = prorata_factor(start, end, end_date, prepaid) if is_prorate() else 1
	posting_date = start if prepaid else end
	bill.update(
		bills=True,
		from_date=start,
		to_date=end_date,
		posting_date=posting_date,
		amount=plans_amount(subscription, start, end, factor),
		currency=frappe.db.get_value("Subscription Plan", subscription.plans[0].plan, "currency"),
		prorated=factor != 1,
		draft=not subscription.submit_invoice,
		taxes=subscription.sales_tax_template,
	)
	if subscription.submit_invoice:
		bill["problem"] = fiscal_year_problem(name, posting_date, subscription.company or company)
	return bill


def nothing_to_bill(subscription) -> str | None:
	"""Why ERPNext's cancel bills nothing for this subscription, if it does not."""
	if subscription.status in ENDED_SUBSCRIPTION:
		return _("Already ended in ERPNext ({0}): nothing more is billed.").format(_(subscription.status))
	if subscription.status != "Active":
		return _("ERPNext bills nothing on ending a subscription that is {0}.").format(_(subscription.status))
	if subscription.generate_invoice_at == BILLED_AT_START:
		return _("Billed at the start of each period: ending it bills nothing more.")
	return None


def plans_amount(subscription, start, end, factor: float) -> float:
	"""The plans' price for the period, as ERPNext's ``get_items_from_plans`` rates it, less discounts."""
	from erpnext.accounts.doctype.subscription_plan.subscription_plan import get_plan_rate

	precision = frappe.get_precision("Sales Invoice Item", "amount") or 2
	amount = 0.0
	for plan in subscription.plans:
		rate = flt(get_plan_rate(plan.plan, plan.qty, subscription.party, start, end, factor), precision)
		amount += flt(rate * flt(plan.qty), precision)
	if flt(subscription.additional_discount_percentage):
		amount -= amount * flt(subscription.additional_discount_percentage) / 100
	elif flt(subscription.additional_discount_amount):
		amount -= flt(subscription.additional_discount_amount)
	return flt(amount, precision)


def billing_period(subscription, end_date) -> tuple:
	"""The period ERPNext will bill from: today's stored one, or, for a later day, the one holding it.

	ERPNext's daily run bills each period at its end and moves on with the same
	``update_subscription_period`` used here on the unsaved document.
	"""
	if end_date > getdate(nowdate()):
		for _period in range(MAX_PERIODS_AHEAD):
			if getdate(subscription.current_invoice_end) >= end_date:
				break
			subscription.update_subscription_period(add_days(subscription.current_invoice_end, 1))
	return getdate(subscription.current_invoice_start), getdate(subscription.current_invoice_end)


def prorata_factor(start, end, billed_to, prepaid: bool) -> float:
	"""ERPNext's ``get_prorata_factor``, counted to the day of ending instead of today."""
	if prepaid:
		return 1
	return flt(date_diff(billed_to, start) + 1) / flt(date_diff(end, start) + 1)


def fiscal_year_problem(subscription: str, posting_date, company: str) -> str | None:
	"""ERPNext refuses an invoice posted outside every active Fiscal Year of the company."""
	from erpnext.accounts.utils import get_fiscal_year

	if get_fiscal_year(posting_date, company=company, boolean=True):
		return None
	return _(
		"ERPNext would post the final invoice of {0} on {1}, which is in no active Fiscal Year of {2}: create that Fiscal Year (Accounting > Fiscal Year) before terminating."
	).format(subscription, frappe.format(posting_date, "Date"), company)
