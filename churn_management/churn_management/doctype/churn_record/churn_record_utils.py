# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Facts about customers that a churn record keeps, read from ERPNext set-based."""

import frappe
from frappe.query_builder.functions import Min
from frappe.utils import date_diff, flt, getdate

CUSTOMER_TYPES = {"Company": "B2B", "Individual": "B2C", "Partnership": "B2B", "Proprietorship": "B2B"}
DAYS_PER_MONTH = 365.25 / 12
ENDED_SUBSCRIPTION = ("Cancelled", "Completed")
CHUNK = 1000


def set_customer_churn_status(customer: str, status: str, open_record: str | None) -> None:
	"""Mark the customer without running Customer's own validation (only our fields change)."""
	frappe.db.set_value(
		"Customer",
		customer,
		{"churn_status": status, "open_churn_record": open_record},
		update_modified=False,
	)


def customer_profile(
	customer: str, churn_date, subscriptions: list[str] | None = None, company: str | None = None
) -> dict:
	"""Customer type, territory, tariff, monthly revenue and tenure of one customer at a churn date."""
	return customer_profiles(
		{customer: churn_date}, company, {customer: subscriptions} if subscriptions else None
	)[customer]


def customer_profiles(
	churn_dates: dict[str, object], company: str | None = None, chosen: dict[str, list[str]] | None = None
) -> dict[str, dict]:
	"""Profiles of many customers at once: three queries per thousand customers, not per customer.

	The subscriptions behind the churn are the ones given in ``chosen``, else the customer's
	subscriptions still running (or the latest one) in the company; monthly revenue is what
	their plans bill per month, tenure runs from the earliest subscription start (the first
	invoice, then the customer's creation, when there is no subscription).
	"""
	profiles: dict[str, dict] = {}
	names = list(churn_dates)
	for start in range(0, len(names), CHUNK):
		chunk = names[start : start + CHUNK]
		customers = _customer_rows(chunk)
		subscriptions = _subscription_rows(chunk, company)
		first_invoices = _first_invoice_dates(chunk, company)
		for name in chunk:
			row = customers.get(name) or {}
			subs = _pick_subscriptions(subscriptions.get(name, []), (chosen or {}).get(name))
			started = min((s["start_date"] for s in subs if s["start_date"]), default=None)
			started = started or first_invoices.get(name) or row.get("creation")
			churn_date = getdate(churn_dates[name])
			tenure = max(date_diff(churn_date, getdate(started)), 0) / DAYS_PER_MONTH if started else 0
			profiles[name] = {
				"customer_type": CUSTOMER_TYPES.get(row.get("customer_type"), ""),
				"territory": row.get("territory"),
				"subscription": subs[0]["name"] if subs else None,
				"tariff": ", ".join(dict.fromkeys(p for s in subs for p in s["plans"])) or None,
				"lost_mrr": round(sum(s["monthly"] for s in subs), 2),
				"tenure_months": round(tenure, 1),
			}
	return profiles


def _customer_rows(names: list[str]) -> dict[str, dict]:
	customer = frappe.qb.DocType("Customer")
	rows = (
		frappe.qb.from_(customer)
		.select(customer.name, customer.customer_type, customer.territory, customer.creation)
		.where(customer.name.isin(names))
		.run(as_dict=True)
	)
	return {row.name: row for row in rows}


def _subscription_rows(names: list[str], company: str | None) -> dict[str, list[dict]]:
	"""Every subscription of the customers with its plans' monthly revenue."""
	subscription = frappe.qb.DocType("Subscription")
	detail = frappe.qb.DocType("Subscription Plan Detail")
	plan = frappe.qb.DocType("Subscription Plan")
	query = (
		frappe.qb.from_(subscription)
		.left_join(detail)
		.on((detail.parent == subscription.name) & (detail.parenttype == "Subscription"))
		.left_join(plan)
		.on(plan.name == detail.plan)
		.select(
			subscription.name,
			subscription.party,
			subscription.status,
			subscription.start_date,
			detail.plan,
			detail.qty,
			plan.cost,
			plan.billing_interval,
			plan.billing_interval_count,
		)
		.where((subscription.party_type == "Customer") & (subscription.party.isin(names)))
		.orderby(subscription.start_date, order=frappe.qb.desc)
	)
	if company:
		query = query.where(subscription.company == company)
	result: dict[str, dict[str, dict]] = {}
	for row in query.run(as_dict=True):
		subs = result.setdefault(row.party, {})
		sub = subs.setdefault(
			row.name,
			{
				"name": row.name,
				"status": row.status,
				"start_date": row.start_date,
				"plans": [],
				"monthly": 0.0,
			},
		)
		if row.plan:
			sub["plans"].append(row.plan)
			sub["monthly"] += flt(row.cost) * flt(row.qty or 1) * monthly_factor(row)
	return {party: list(subs.values()) for party, subs in result.items()}


def _pick_subscriptions(subscriptions: list[dict], chosen: list[str] | None) -> list[dict]:
	if chosen:
		return [s for s in subscriptions if s["name"] in chosen]
	running = [s for s in subscriptions if s["status"] not in ENDED_SUBSCRIPTION]
	return running or subscriptions[:1]


def _first_invoice_dates(names: list[str], company: str | None) -> dict:
	invoice = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(invoice)
		.select(invoice.customer, Min(invoice.posting_date))
		.where((invoice.docstatus == 1) & (invoice.customer.isin(names)))
		.groupby(invoice.customer)
	)
	if company:
		query = query.where(invoice.company == company)
	return dict(query.run())


def monthly_factor(plan) -> float:
	"""How many times a month a plan bills (a yearly plan: 1/12)."""
	months = {"Day": 1 / 30.4375, "Week": 7 / 30.4375, "Month": 1, "Year": 12}.get(plan.billing_interval, 1)
	return 1 / (months * max(flt(plan.billing_interval_count) or 1, 1))


def active_subscriptions(customer: str, company: str | None = None) -> list[dict]:
	"""The customer's subscriptions still running, with their plans and monthly revenue."""
	rows = _subscription_rows([customer], company).get(customer, [])
	paused = paused_subscriptions(customer)
	return [
		{
			"subscription": s["name"],
			"status": s["status"],
			"tariff": ", ".join(s["plans"]),
			"monthly_revenue": round(s["monthly"], 2),
		}
		for s in rows
		if s["status"] not in ENDED_SUBSCRIPTION or s["name"] in paused
	]


def paused_subscriptions(customer: str) -> set[str]:
	"""Subscriptions stopped only for a pause (ERPNext has no pause: it is a cancel and a restart)."""
	if not frappe.db.table_exists("Suspension Application"):
		return set()
	pause = frappe.qb.DocType("Suspension Application")
	rows = (
		frappe.qb.from_(pause)
		.select(pause.subscription)
		.where((pause.customer == customer) & (pause.docstatus == 1) & (pause.status == "Paused"))
		.run()
	)
	return {row[0] for row in rows if row[0]}
