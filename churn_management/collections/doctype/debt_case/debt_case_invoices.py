# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What a debt case owes, invoice by invoice: read by the debt job and by the case's write-off alike."""

import pandas as pd

import frappe
from frappe.query_builder.functions import Max, Sum
from frappe.utils import flt

from churn_management.analytics.debt.collection import net_case_invoices

CHUNK = 5_000


def unpaid_invoices(customers: list[str], company: str | None = None) -> pd.DataFrame:
	"""The undisputed unpaid invoices of these customers, in chunks of customers."""
	invoice = frappe.qb.DocType("Sales Invoice")
	rows: list[tuple] = []
	for start in range(0, len(customers), CHUNK):
		query = (
			frappe.qb.from_(invoice)
			.select(
				invoice.customer,
				invoice.company,
				invoice.name,
				invoice.due_date,
				invoice.outstanding_amount,
				invoice.grand_total,
			)
			.where(
				(invoice.docstatus == 1)
				& (invoice.outstanding_amount > 0)
				& (invoice.is_return == 0)
				& (invoice.churn_disputed == 0)
				& invoice.customer.isin(customers[start : start + CHUNK])
			)
		)
		if company:
			query = query.where(invoice.company == company)
		rows += query.run()
	frame = pd.DataFrame(
		rows, columns=["customer", "company", "invoice", "due_date", "outstanding", "grand_total"]
	)
	frame["due_date"] = pd.to_datetime(frame["due_date"])
	frame["outstanding"] = frame["outstanding"].astype(float)
	return frame


def read_invoices(customer: str, company: str, outstanding: float, as_of) -> list[dict]:
	"""The case's undisputed invoices still owed once the credit on the account has paid the oldest
	first, oldest first, each with what is left of it (ERPNext's outstanding less that credit)."""
	invoices = unpaid_invoices([customer], company)
	balance = pd.DataFrame({"customer": [customer], "company": [company], "outstanding": [outstanding]})
	rows = net_case_invoices(invoices, balance)
	return [
		{
			"sales_invoice": row.invoice,
			"due_date": row.due_date.date(),
			"days_overdue": max((as_of - row.due_date.date()).days, 0),
			"grand_total": row.grand_total,
			"outstanding_amount": flt(row.remaining, 2),
		}
		for row in rows.itertuples(index=False)
	]


def invoice_payments(condition) -> pd.DataFrame:
	"""When each invoice was last paid and how much, from the Payment Ledger rows matching `condition`."""
	ledger = frappe.qb.DocType("Payment Ledger Entry")
	rows = (
		frappe.qb.from_(ledger)
		.select(ledger.against_voucher_no, Max(ledger.posting_date), Sum(ledger.amount))
		.where(
			(ledger.against_voucher_type == "Sales Invoice")
			& (ledger.voucher_no != ledger.against_voucher_no)
			& (ledger.delinked == 0)
			& condition
		)
		.groupby(ledger.against_voucher_no)
		.run()
	)
	paid = pd.DataFrame(rows, columns=["invoice", "paid_date", "paid_amount"])
	paid["paid_amount"] = -paid["paid_amount"].astype(float)
	return paid
