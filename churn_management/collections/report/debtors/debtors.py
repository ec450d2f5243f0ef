# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Debtors as of a date: aging buckets per customer from ERPNext's Payment Ledger (the source of ERPNext's
own Accounts Receivable, so the totals agree), with the debt case's stage, collector, promise, score
and block. The ledger is summed only for the customers who may owe (a collector's own debtors, or those
with an open invoice or a row not against an invoice), one grouped query instead of a row per voucher."""

import pandas as pd

import frappe
from frappe import _
from frappe.query_builder.functions import Abs, Coalesce, Min, Sum
from frappe.utils import getdate, nowdate

from churn_management.analytics.debt.collection import AGING_BUCKETS, aging_table
from churn_management.collections.doctype.debt_case.debt_case_permissions import (
	assigned_customers,
	is_restricted_collector,
	may_work_company,
)

BUCKET_FIELDS = {
	label: "range_" + label.replace("-", "_").replace("+", "_plus") for _l, _h, label in AGING_BUCKETS
}
PARTY_CHUNK = 5000
CASE_FIELDS = (
	"name",
	"customer",
	"stage",
	"collector",
	"net_recovery",
	"recommendation",
	"service_blocked",
)


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	filters.company = filters.company or frappe.defaults.get_user_default("Company")
	filters.report_date = getdate(filters.report_date or nowdate())
	validate_company(filters.company)
	data = get_data(filters)
	return get_columns(), data, None, get_chart(data), get_summary(data)


def validate_company(company: str) -> None:
	"""A User Permission on Company keeps the user out of that company's debts, as out of its cases."""
	if not may_work_company(frappe.session.user, company):
		frappe.throw(
			_("You are not allowed to see the debtors of company {0}.").format(frappe.bold(company)),
			frappe.PermissionError,
			title=_("Not permitted"),
		)


def get_columns() -> list[dict]:
	columns = [
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 180,
		},
	]
	if frappe.db.get_single_value("Selling Settings", "cust_master_name") != "Customer Name":
		# customers named by series: their name says nothing, so show it beside (as ERPNext's reports do)
		columns.append(
			{"label": _("Customer Name"), "fieldname": "customer_name", "fieldtype": "Data", "width": 160}
		)
	columns += [
		{"label": label, "fieldname": field, "fieldtype": "Currency", "width": 110}
		for label, field in BUCKET_FIELDS.items()
	]
	columns += [
		{
			"label": _("Total Outstanding", context="Debtors"),
			"fieldname": "outstanding",
			"fieldtype": "Currency",
			"width": 130,
		},
		{
			"label": _("Debt Case"),
			"fieldname": "debt_case",
			"fieldtype": "Link",
			"options": "Debt Case",
			"width": 110,
		},
		{
			"label": _("Stage"),
			"fieldname": "stage",
			"fieldtype": "Link",
			"options": "Debt Stage",
			"width": 120,
		},
		{
			"label": _("Collector"),
			"fieldname": "collector",
			"fieldtype": "Link",
			"options": "User",
			"width": 140,
		},
		{"label": _("Promised date"), "fieldname": "promise_date", "fieldtype": "Date", "width": 100},
		{"label": _("Promised amount"), "fieldname": "promise_amount", "fieldtype": "Currency", "width": 110},
		{
			"label": _("Expected net recovery"),
			"fieldname": "net_recovery",
			"fieldtype": "Currency",
			"width": 130,
		},
		{"label": _("Recommendation"), "fieldname": "recommendation", "fieldtype": "Data", "width": 110},
		{"label": _("Service blocked"), "fieldname": "service_blocked", "fieldtype": "Check", "width": 90},
	]
	return columns


def read_entries(filters) -> pd.DataFrame:
	"""Outstanding per voucher (invoice, credit note, unallocated payment) and its age, as of the date."""
	ledger = frappe.qb.DocType("Payment Ledger Entry")
	conditions = (
		(ledger.company == filters.company)
		& (ledger.party_type == "Customer")
		& (ledger.account_type == "Receivable")
		& (ledger.delinked == 0)
		& (ledger.posting_date <= filters.report_date)
	)
	if filters.exclude_disputed:
		disputed = frappe.get_all(
			"Sales Invoice",
			filters={"churn_disputed": 1, "docstatus": 1, "company": filters.company},
			pluck="name",
		)
		if disputed:  # few, so a list beats a sub-query; vouchers without an against-voucher stay in
			conditions &= ledger.against_voucher_no.isnull() | ledger.against_voucher_no.notin(disputed)
	if is_restricted_collector():
		parties = assigned_customers(frappe.session.user, filters.company)
	elif filters.customer:
		parties = [filters.customer]
	else:
		parties = candidate_parties(filters.company, filters.report_date)
	if filters.customer:
		parties = [party for party in parties if party == filters.customer]
	rows = []
	for start in range(0, len(parties), PARTY_CHUNK):
		# their open vouchers, through the index on party
		rows += (
			frappe.qb.from_(ledger)
			.select(
				ledger.party, Sum(ledger.amount), Coalesce(Min(ledger.due_date), Min(ledger.posting_date))
			)
			.where(conditions & ledger.party.isin(parties[start : start + PARTY_CHUNK]))
			.groupby(ledger.party, ledger.against_voucher_type, ledger.against_voucher_no)
			.having(Abs(Sum(ledger.amount)) > 0.005)
			.run()
		)
	frame = pd.DataFrame(rows, columns=["party", "outstanding", "due_date"])
	frame["outstanding"] = frame["outstanding"].astype(float)
	frame = frame[frame["outstanding"].abs() > 0.005]
	frame["days_overdue"] = (pd.Timestamp(filters.report_date) - pd.to_datetime(frame["due_date"])).dt.days
	return frame


def candidate_parties(company: str, report_date) -> list[str]:
	"""Every customer whose balance may not be zero on the date, found without a pass over the whole ledger.

	The ledger rows against an invoice sum to ERPNext's outstanding amount of that invoice, so such a
	customer has an invoice with an outstanding amount (read through the index on company and
	outstanding), a ledger row that is not against an invoice (an unallocated payment, a journal entry),
	or a row posted after the date. Their amounts are then summed from the ledger alone."""
	invoice = frappe.qb.DocType("Sales Invoice")
	ledger = frappe.qb.DocType("Payment Ledger Entry")
	receivable = (
		(ledger.company == company)
		& (ledger.party_type == "Customer")
		& (ledger.account_type == "Receivable")
		& (ledger.delinked == 0)
	)
	queries = (
		frappe.qb.from_(invoice)
		.select(invoice.customer)
		.where((invoice.company == company) & (invoice.outstanding_amount != 0) & (invoice.docstatus == 1)),
		frappe.qb.from_(ledger)
		.select(ledger.party)
		.where(
			receivable
			& (ledger.against_voucher_type.isnull() | (ledger.against_voucher_type != "Sales Invoice"))
		),
		frappe.qb.from_(ledger).select(ledger.party).where(receivable & (ledger.posting_date > report_date)),
	)
	return sorted({row[0] for query in queries for row in query.distinct().run()})


def get_data(filters) -> list[dict]:
	entries = read_entries(filters)
	if entries.empty:
		return []
	table = aging_table(entries)
	table = table[table["total"].abs() > 0.005]
	cases = read_cases(filters.company, table.index.tolist())
	if filters.only_with_case:
		table = table[table.index.isin(cases.keys())]
	names = dict(
		frappe.get_all(
			"Customer",
			filters={"name": ("in", table.index.tolist())},
			fields=["name", "customer_name"],
			as_list=1,
		)
	)
	promises = next_promises([case["name"] for case in cases.values()])
	data = []
	for customer, row in table.sort_values("total", ascending=False).round(2).to_dict("index").items():
		case = cases.get(customer, {})
		promise = promises.get(case.get("name"), {})
		if filters.collector and case.get("collector") != filters.collector:
			continue
		if filters.stage and case.get("stage") != filters.stage:
			continue
		data.append(
			{
				"customer": customer,
				"customer_name": names.get(customer),
				**{field: row[label] for label, field in BUCKET_FIELDS.items()},
				"outstanding": row["total"],
				"debt_case": case.get("name"),
				"stage": case.get("stage"),
				"collector": case.get("collector"),
				"promise_date": promise.get("promise_date"),
				"promise_amount": promise.get("amount"),
				"net_recovery": case.get("net_recovery"),
				"recommendation": _(case.get("recommendation")) if case.get("recommendation") else None,
				"service_blocked": case.get("service_blocked"),
			}
		)
	return data


def read_cases(company: str, customers: list[str]) -> dict:
	if not customers:
		return {}
	rows = frappe.get_all(
		"Debt Case",
		filters={"company": company, "status": "Open", "customer": ("in", customers)},
		fields=list(CASE_FIELDS),
	)
	return {row.customer: row for row in rows}


def next_promises(cases: list[str]) -> dict:
	"""The earliest pending promise of each case."""
	if not cases:
		return {}
	promise = frappe.qb.DocType("Debt Promise")
	rows = (
		frappe.qb.from_(promise)
		.select(promise.parent, promise.promise_date, promise.amount)
		.where(promise.parent.isin(cases) & (promise.status == "Pending"))
		.orderby(promise.promise_date)
		.run(as_dict=True)
	)
	found = {}
	for row in rows:
		found.setdefault(row.parent, row)
	return found


def get_chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": list(BUCKET_FIELDS),
			"datasets": [
				{
					"name": _("Outstanding", context="Debt Case"),
					"values": [sum(row[f] for row in data) for f in BUCKET_FIELDS.values()],
				}
			],
		},
		"type": "bar",
	}


def get_summary(data: list[dict]) -> list[dict]:
	total = sum(row["outstanding"] for row in data)
	overdue_90 = sum(row[BUCKET_FIELDS["90+"]] for row in data)
	return [
		{"value": len(data), "label": _("Debtors"), "indicator": "Blue", "datatype": "Int"},
		{
			"value": total,
			"label": _("Total Outstanding", context="Debtors"),
			"indicator": "Red",
			"datatype": "Currency",
		},
		{"value": overdue_90, "label": _("Over 90 days"), "indicator": "Orange", "datatype": "Currency"},
	]
