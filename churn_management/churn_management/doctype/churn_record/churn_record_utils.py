# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Facts about a customer that a churn record keeps, read from ERPNext."""

import frappe
from frappe.query_builder.functions import Min, Sum
from frappe.utils import date_diff, flt, getdate

CUSTOMER_TYPES = {"Company": "B2B", "Individual": "B2C", "Partnership": "B2B", "Proprietorship": "B2B"}
DAYS_PER_MONTH = 365.25 / 12


def set_customer_churn_status(customer: str, status: str, open_record: str | None) -> None:
	"""Mark the customer without running Customer's own validation (only our fields change)."""
	frappe.db.set_value(
		"Customer",
		customer,
		{"churn_status": status, "open_churn_record": open_record},
		update_modified=False,
	)


def customer_profile(customer: str, churn_date, subscription: str | None = None) -> dict:
	"""Customer type, territory, tariff, monthly revenue and tenure at a churn date."""
	values = frappe.db.get_value(
		"Customer", customer, ["customer_type", "territory", "creation"], as_dict=True
	)
	profile = {
		"customer_type": CUSTOMER_TYPES.get(values.customer_type, ""),
		"territory": values.territory,
		"tariff": None,
		"lost_mrr": 0.0,
		"subscription": subscription,
	}
	subscription = subscription or _latest_subscription(customer)
	if subscription:
		profile["subscription"] = subscription
		profile.update(_subscription_facts(subscription))
	if not profile["lost_mrr"]:
		profile["lost_mrr"] = _latest_invoice_total(customer)
	started = _customer_start(customer, profile.get("subscription_start")) or values.creation
	profile["tenure_months"] = round(max(date_diff(churn_date, getdate(started)), 0) / DAYS_PER_MONTH, 1)
	profile.pop("subscription_start", None)
	return profile


def _latest_subscription(customer: str) -> str | None:
	subscription = frappe.qb.DocType("Subscription")
	rows = (
		frappe.qb.from_(subscription)
		.select(subscription.name)
		.where((subscription.party_type == "Customer") & (subscription.party == customer))
		.orderby(subscription.start_date, order=frappe.qb.desc)
		.limit(1)
		.run()
	)
	return rows[0][0] if rows else None


def _subscription_facts(subscription: str) -> dict:
	"""Tariff (plan names) and monthly revenue of a subscription's plans."""
	doc = frappe.get_doc("Subscription", subscription)
	plans = [row.plan for row in doc.plans]
	monthly = 0.0
	for row in doc.plans:
		plan = frappe.db.get_value(
			"Subscription Plan",
			row.plan,
			["cost", "billing_interval", "billing_interval_count"],
			as_dict=True,
		)
		if plan:
			monthly += flt(plan.cost) * flt(row.qty or 1) * _monthly_factor(plan)
	return {
		"tariff": ", ".join(plans) or None,
		"lost_mrr": round(monthly, 2),
		"subscription_start": doc.start_date,
	}


def _monthly_factor(plan) -> float:
	months = {"Day": 1 / 30.4375, "Week": 7 / 30.4375, "Month": 1, "Year": 12}.get(plan.billing_interval, 1)
	return 1 / (months * max(flt(plan.billing_interval_count) or 1, 1))


def _latest_invoice_total(customer: str) -> float:
	invoice = frappe.qb.DocType("Sales Invoice")
	latest = (
		frappe.qb.from_(invoice)
		.select(invoice.base_grand_total)
		.where((invoice.customer == customer) & (invoice.docstatus == 1) & (invoice.is_return == 0))
		.orderby(invoice.posting_date, order=frappe.qb.desc)
		.limit(1)
		.run()
	)
	return flt(latest[0][0]) if latest else 0.0


def _customer_start(customer: str, subscription_start=None):
	invoice = frappe.qb.DocType("Sales Invoice")
	first = (
		frappe.qb.from_(invoice)
		.select(Min(invoice.posting_date))
		.where((invoice.customer == customer) & (invoice.docstatus == 1))
		.run()
	)
	dates = [d for d in (subscription_start, first[0][0] if first else None) if d]
	return min(getdate(d) for d in dates) if dates else None


def outstanding_balance(customer: str, company: str | None = None) -> float:
	"""Unpaid amount of the customer's submitted invoices (in the company currency)."""
	invoice = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(invoice)
		.select(Sum(invoice.outstanding_amount))
		.where((invoice.customer == customer) & (invoice.docstatus == 1))
	)
	if company:
		query = query.where(invoice.company == company)
	total = query.run()
	return flt(total[0][0]) if total else 0.0
