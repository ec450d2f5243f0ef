# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The sales / debt link (seed 003): of the new customers each salesperson or channel brought, the share
who fell into debt within their first months. A customer starts with their first Sales Invoice; they
fell into debt when an invoice due in the window stayed unpaid past its due date plus the grace days."""

import pandas as pd

import frappe
from frappe import _
from frappe.query_builder.functions import Min
from frappe.utils import cint, nowdate

from churn_management.analytics.debt.collection import fell_into_debt
from churn_management.collections.doctype.debt_case.debt_case_invoices import invoice_payments
from churn_management.utils.report_filters import company_and_period

GROUPS = {
	"Sales Person": "sales_person",
	"Sales Partner": "default_sales_partner",
	"Customer Group": "customer_group",
	"Territory": "territory",
}
NOT_SET = "-"


def execute(filters: dict | None = None):
	filters = company_and_period(filters)
	filters.group_by = filters.group_by if filters.group_by in GROUPS else "Sales Person"
	filters.months = cint(filters.months) or 3
	filters.grace_days = cint(filters.grace_days)
	data = get_data(filters)
	return get_columns(filters), data, None, get_chart(data), None


def get_columns(filters) -> list[dict]:
	options = {"Sales Person": "Sales Person", "Sales Partner": "Sales Partner"}.get(filters.group_by)
	return [
		{
			"label": _(filters.group_by),
			"fieldname": "channel",
			"fieldtype": "Link" if options else "Data",
			"options": options,
			"width": 180,
		},
		{"label": _("New customers"), "fieldname": "new_customers", "fieldtype": "Int", "width": 120},
		{"label": _("Observed"), "fieldname": "observed", "fieldtype": "Int", "width": 100},
		{"label": _("Fell into debt"), "fieldname": "in_debt", "fieldtype": "Int", "width": 110},
		{"label": _("Share in debt"), "fieldname": "debt_share", "fieldtype": "Percent", "width": 110},
	]


def read_new_customers(filters) -> pd.DataFrame:
	"""Customers whose first invoice in the company falls in the period, with their channel."""
	invoice = frappe.qb.DocType("Sales Invoice")
	first = (
		frappe.qb.from_(invoice)
		.select(invoice.customer, Min(invoice.posting_date).as_("start"))
		.where((invoice.company == filters.company) & (invoice.docstatus == 1) & (invoice.is_return == 0))
		.groupby(invoice.customer)
		.run()
	)
	frame = pd.DataFrame(first, columns=["customer", "start"])
	frame["start"] = pd.to_datetime(frame["start"])
	frame = frame[
		(frame["start"] >= pd.Timestamp(filters.from_date))
		& (frame["start"] <= pd.Timestamp(filters.to_date))
	]
	frame["channel"] = frame["customer"].map(read_channels(filters.group_by, frame["customer"].tolist()))
	frame["channel"] = frame["channel"].fillna(NOT_SET)
	return frame


def read_channels(group_by: str, customers: list[str]) -> dict:
	if not customers:
		return {}
	if group_by == "Sales Person":
		team = frappe.qb.DocType("Sales Team")
		rows = (
			frappe.qb.from_(team)
			.select(team.parent, team.sales_person)
			.where((team.parenttype == "Customer") & team.parent.isin(customers))
			.orderby(team.idx, order=frappe.qb.desc)
			.run()
		)
		return dict(rows)  # the first salesperson of each customer wins (rows come last-first)
	customer = frappe.qb.DocType("Customer")
	field = GROUPS[group_by]
	rows = (
		frappe.qb.from_(customer)
		.select(customer.name, customer[field])
		.where(customer.name.isin(customers))
		.run()
	)
	return dict(rows)


def read_invoices(filters, customers: list[str]) -> pd.DataFrame:
	"""The customers' invoices with when and how much was paid, from the Payment Ledger."""
	columns = ["customer", "invoice", "due_date", "amount", "paid_date", "paid_amount"]
	if not customers:
		return pd.DataFrame(columns=columns)
	invoice = frappe.qb.DocType("Sales Invoice")
	rows = (
		frappe.qb.from_(invoice)
		.select(invoice.customer, invoice.name, invoice.due_date, invoice.base_grand_total)
		.where(
			(invoice.company == filters.company)
			& (invoice.docstatus == 1)
			& (invoice.is_return == 0)
			& invoice.customer.isin(customers)
		)
		.run()
	)
	frame = pd.DataFrame(rows, columns=columns[:4])
	ledger = frappe.qb.DocType("Payment Ledger Entry")
	paid = invoice_payments((ledger.party_type == "Customer") & ledger.party.isin(customers))
	frame = frame.merge(paid, on="invoice", how="left")
	frame["amount"] = frame["amount"].astype(float)
	return frame


def get_data(filters) -> list[dict]:
	customers = read_new_customers(filters)
	if customers.empty:
		return []
	invoices = read_invoices(filters, customers["customer"].tolist())
	result = fell_into_debt(
		customers[["customer", "start"]],
		invoices,
		nowdate(),
		months=filters.months,
		grace_days=filters.grace_days,
	)
	result["channel"] = customers["channel"].to_numpy()
	data = []
	for channel, group in result.groupby("channel"):
		observed = group[group["observed"]]
		data.append(
			{
				"channel": None if channel == NOT_SET else channel,
				"new_customers": len(group),
				"observed": len(observed),
				"in_debt": int(observed["in_debt"].sum()),
				"debt_share": round(100 * observed["in_debt"].mean(), 1) if len(observed) else None,
			}
		)
	return sorted(data, key=lambda row: -(row["debt_share"] or 0))


def get_chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [row["channel"] or _("Not set") for row in data],
			"datasets": [{"name": _("Share in debt"), "values": [row["debt_share"] or 0 for row in data]}],
		},
		"type": "bar",
	}
