# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Restarting a stopped ERPNext Subscription (after a pause, or for a customer won back) so that it
bills the right period next."""

import frappe
from frappe import _
from frappe.query_builder.functions import Max
from frappe.utils import cint, getdate

from churn_management.analytics.retention.billing import next_billing_period


def restart_billing(subscription, resume_on) -> None:
	"""Restart through ERPNext, then give it the next period to bill (analytics/billing.py).

	ERPNext's restart can end that period on the subscription's first period's last day, before
	its start ("To Date cannot be before From Date" on every later run), or make it contain the
	date of the invoice ERPNext made when it was stopped (then it is never billed).
	"""
	cycle = subscription.get_billing_cycle_and_interval()[0]
	start, end = next_billing_period(
		getdate(resume_on),
		cycle.billing_interval,
		cint(cycle.billing_interval_count) or 1,
		billed_to=last_billed_day(subscription),
		end_date=subscription.end_date,
		calendar_months=bool(cint(subscription.follow_calendar_months)),
	)
	subscription.restart_subscription(posting_date=str(start))
	if (getdate(subscription.current_invoice_start), getdate(subscription.current_invoice_end)) != (
		start,
		end,
	):
		subscription.current_invoice_start = start
		subscription.current_invoice_end = end
		subscription.save()
	subscription.add_comment(
		"Info",
		_("Billing resumes with the period {0} to {1}").format(
			frappe.format(start, "Date"), frappe.format(end, "Date")
		),
	)


def last_billed_day(subscription):
	"""The last day an invoice of the subscription (submitted or draft) covers or is dated on."""
	invoice = frappe.qb.DocType(subscription.invoice_document_type)
	rows = (
		frappe.qb.from_(invoice)
		.select(Max(invoice.to_date), Max(invoice.posting_date))
		.where((invoice.subscription == subscription.name) & (invoice.docstatus < 2))
		.run()
	)
	days = [getdate(day) for day in rows[0] if day] if rows else []
	return max(days) if days else None
