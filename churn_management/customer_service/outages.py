# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Outages: who they touched, the recalculations they call for, and each customer's count of them.

Read set-based: the customers of an outage are those listed on it and those of its territory and
the territories under it; the counts for the lifetime analysis are one query for the listed
customers and one for the territories, counted in the analytics core.
"""

import pandas as pd

import frappe
from frappe import _
from frappe.utils import add_days, add_months, get_datetime, getdate

from churn_management.analytics.customer_service.outages import outages_per_customer

CHUNK = 1000


def outage_counts(as_of) -> pd.DataFrame:
	"""Outages per customer in the 12 months up to as_of: DataFrame[customer, outages_12m]."""
	as_of = getdate(as_of)
	outage = frappe.qb.DocType("Service Outage")
	window = (outage.start >= add_months(as_of, -12)) & (outage.start < add_days(as_of, 1))
	listed = frappe.qb.DocType("Service Outage Customer")
	rows = (
		frappe.qb.from_(outage)
		.join(listed)
		.on((listed.parent == outage.name) & (listed.parenttype == "Service Outage"))
		.select(outage.name.as_("outage"), listed.customer)
		.where(window)
		.run()
	)
	scope, territory = frappe.qb.DocType("Territory").as_("scope"), frappe.qb.DocType("Territory")
	customer = frappe.qb.DocType("Customer")
	rows += (
		frappe.qb.from_(outage)
		.join(scope)
		.on(scope.name == outage.territory)
		.join(territory)
		.on((territory.lft >= scope.lft) & (territory.rgt <= scope.rgt))
		.join(customer)
		.on(customer.territory == territory.name)
		.select(outage.name.as_("outage"), customer.name.as_("customer"))
		.where(window)
		.run()
	)
	return outages_per_customer(pd.DataFrame(list(rows), columns=["outage", "customer"]))


def affected_customers(outage) -> list[str]:
	"""The customers listed on the outage and those of its territory (and the territories under it)."""
	customers = {row.customer for row in outage.customers}
	if outage.territory:
		bounds = frappe.db.get_value("Territory", outage.territory, ["lft", "rgt"], as_dict=True)
		territory, customer = frappe.qb.DocType("Territory"), frappe.qb.DocType("Customer")
		customers.update(
			row[0]
			for row in frappe.qb.from_(customer)
			.join(territory)
			.on(customer.territory == territory.name)
			.select(customer.name)
			.where((territory.lft >= bounds.lft) & (territory.rgt <= bounds.rgt) & (customer.disabled == 0))
			.run()
		)
	return sorted(customers)


def invoices_to_credit(outage, customers: list[str]) -> dict[str, str]:
	"""Per customer, the invoice of a running subscription that bills the day the outage began
	(else the subscription's latest invoice)."""
	day = getdate(outage.start)
	subscription, invoice = frappe.qb.DocType("Subscription"), frappe.qb.DocType("Sales Invoice")
	chosen: dict[str, tuple] = {}
	for start in range(0, len(customers), CHUNK):
		rows = (
			frappe.qb.from_(invoice)
			.join(subscription)
			.on(subscription.name == invoice.subscription)
			.select(invoice.customer, invoice.name, invoice.from_date, invoice.to_date, invoice.posting_date)
			.where(
				(subscription.party_type == "Customer")
				& subscription.party.isin(customers[start : start + CHUNK])
				& (subscription.company == outage.company)
				& subscription.status.notin(["Cancelled", "Completed"])
				& (invoice.docstatus == 1)
				& (invoice.is_return == 0)
			)
			.run(as_dict=True)
		)
		for row in rows:
			covers = bool(row.from_date and row.to_date and row.from_date <= day <= row.to_date)
			rank = (covers, row.posting_date, row.name)
			if row.customer not in chosen or rank > chosen[row.customer][0]:
				chosen[row.customer] = (rank, row.name)
	return {customer: value[1] for customer, value in chosen.items()}


def already_proposed(outage: str) -> set[str]:
	return set(
		frappe.get_all(
			"Recalculation Application",
			filters={"service_outage": outage, "docstatus": ("<", 2)},
			pluck="customer",
		)
	)


def propose_recalculations(outage: str) -> int:
	"""A draft recalculation per customer affected who has none for this outage yet; returns how many."""
	doc = frappe.get_doc("Service Outage", outage)
	customers = [c for c in affected_customers(doc) if c not in already_proposed(outage)]
	made = 0
	for customer, invoice in invoices_to_credit(doc, customers).items():
		frappe.db.savepoint("outage_recalculation")
		try:
			frappe.get_doc(
				{
					"doctype": "Recalculation Application",
					"customer": customer,
					"company": doc.company,
					"reason": "Days without service",
					"sales_invoice": invoice,
					"from_date": getdate(doc.start),
					"to_date": getdate(get_datetime(doc.end)),
					"service_outage": doc.name,
					"notes": doc.cause,
				}
			).insert(ignore_permissions=True)
			made += 1
		except frappe.ValidationError:
			frappe.db.rollback(save_point="outage_recalculation")
			frappe.log_error(
				title=_("Recalculation for {0} after outage {1} not proposed").format(customer, outage)
			)
	frappe.db.set_value(
		"Service Outage",
		outage,
		"recalculations_proposed",
		len(already_proposed(outage)),
		update_modified=False,
	)
	return made
