# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The daily churn status update (DOMAIN.md §1): overdue, pre-churn, non-payment churn and returns.

Read set-based from ERPNext: open Sales Invoices (disputed ones left out), unallocated advances,
returns in the register, pending applications and suspension requests. The analytics core nets
the debt per customer and company (``net_debt``) and decides every status (``desk_status``).
Then, each in its own transaction (one that fails is rolled back and logged, the rest go on):
subscriptions whose termination date has come are ended through ERPNext, non-payment records
whose debt is paid in full are closed as returned by payment, and customers past the
threshold get an involuntary churn record. Statuses are written in bulk, only where they
change, so a second run the same day changes nothing.
"""

import pandas as pd

import frappe
from frappe import _
from frappe.query_builder.functions import Max, Sum
from frappe.utils import cint, getdate, now_datetime, nowdate

from churn_management.analytics.churn.desk_status import status_updates
from churn_management.analytics.debt.net_debt import net_debts
from churn_management.churn_management.doctype.churn_record.churn_record_utils import customer_profiles
from churn_management.churn_management.doctype.churn_settings.churn_settings import (
	get_debt_rules,
	get_thresholds,
)
from churn_management.customer_service.complaints import escalated_customers
from churn_management.customer_service.tariff_signals import downgraded_customers

CHUNK = 1000


def run_daily() -> None:
	"""Scheduler entry point."""
	if not cint(frappe.db.get_single_value("Churn Settings", "enable_daily_update")):
		return
	update_churn_statuses()


def update_churn_statuses(as_of=None) -> dict:
	"""Bring every customer's churn status up to date; return what changed."""
	as_of = getdate(as_of or nowdate())
	thresholds = get_thresholds()
	ended = end_scheduled_subscriptions(as_of)
	debts, open_records, pending = read_debts(as_of), read_open_records(), read_pending(as_of)
	involved = set(debts["customer"]) | set(open_records["customer"]) | set(pending["customer"])
	plan = status_updates(read_customers(involved), debts, open_records, as_of, thresholds, pending=pending)
	returned = close_returned_records(plan[plan["returned_record"].notna()], as_of)
	created, failed = create_non_payment_records(plan[plan["needs_record"]], thresholds.non_payment_reason)
	updated = write_statuses(plan[~plan["needs_record"]])
	summary = {"updated": updated, "created": created, "returned": returned, "ended": ended, "failed": failed}
	frappe.db.set_single_value(
		"Churn Settings",
		{
			"last_run_on": now_datetime(),
			"last_run_summary": _(
				"{0} statuses changed, {1} non-payment churn records created, {2} returned by payment, "
				"{3} subscriptions ended, {4} failed"
			).format(updated, created, returned, ended, failed),
		},
	)
	frappe.db.commit()  # nosemgrep: a scheduled job ends its own transaction
	return summary


def read_customers(involved: set[str]) -> pd.DataFrame:
	"""The customers whose status can change: those with a debt, an open record or a pending request,
	and those not Active nor Won back (an Active or Won back customer with none of these keeps it)."""
	customer = frappe.qb.DocType("Customer")
	query = frappe.qb.from_(customer).select(customer.name, customer.churn_status)
	rows = list(
		query.where(
			customer.churn_status.isnull() | customer.churn_status.notin(["Active", "Won back"])
		).run()
	)
	names = sorted(involved)
	for start in range(0, len(names), CHUNK):
		rows += query.where(customer.name.isin(names[start : start + CHUNK])).run()
	return pd.DataFrame(rows, columns=["customer", "churn_status"]).drop_duplicates("customer")


def read_debts(as_of) -> pd.DataFrame:
	"""Net debt per customer and company, as the analytics core counts it."""
	rules = get_debt_rules()
	return net_debts(
		read_open_invoices(),
		read_advances(),
		as_of,
		min_amount=rules["min_amount"],
		min_days=rules["min_days"],
		returns=read_returns(),
	)


def read_open_invoices() -> pd.DataFrame:
	"""Every submitted invoice with something outstanding (credit notes negative), disputed left out.

	Per company and outstanding above or below zero, so the (company, outstanding_amount) index
	reads only the open invoices instead of every invoice there is."""
	invoice = frappe.qb.DocType("Sales Invoice")
	companies = frappe.get_all("Company", pluck="name")
	if not companies:
		return pd.DataFrame(columns=["customer", "company", "due_date", "outstanding"])
	rows = (
		frappe.qb.from_(invoice)
		.select(invoice.customer, invoice.company, invoice.due_date, invoice.outstanding_amount)
		.where(
			(invoice.docstatus == 1)
			& invoice.company.isin(companies)
			& ((invoice.outstanding_amount > 0) | (invoice.outstanding_amount < 0))
			& (invoice.churn_disputed == 0)
		)
		.run()
	)
	return pd.DataFrame(rows, columns=["customer", "company", "due_date", "outstanding"])


def read_advances() -> pd.DataFrame:
	"""Unallocated advances received from customers, per company."""
	payment = frappe.qb.DocType("Payment Entry")
	rows = (
		frappe.qb.from_(payment)
		.select(payment.party, payment.company, Sum(payment.unallocated_amount))
		.where(
			(payment.docstatus == 1)
			& (payment.party_type == "Customer")
			& (payment.payment_type == "Receive")
			& (payment.unallocated_amount > 0)
		)
		.groupby(payment.party, payment.company)
		.run()
	)
	return pd.DataFrame(rows, columns=["customer", "company", "amount"])


def read_returns() -> pd.DataFrame:
	"""The latest return of every customer who came back (won back or returned by payment)."""
	record = frappe.qb.DocType("Churn Record")
	rows = (
		frappe.qb.from_(record)
		.select(record.customer, Max(record.won_back_date))
		.where(record.status.isin(["Won Back", "Returned by Payment"]) & record.won_back_date.isnotnull())
		.groupby(record.customer)
		.run()
	)
	frame = pd.DataFrame(rows, columns=["customer", "last_return"])
	frame["last_return"] = pd.to_datetime(frame["last_return"])
	return frame


def read_open_records() -> pd.DataFrame:
	record = frappe.qb.DocType("Churn Record")
	rows = (
		frappe.qb.from_(record)
		.select(
			record.name,
			record.customer,
			record.company,
			record.churn_date,
			record.churn_kind,
			record.source_doctype,
		)
		.where((record.status == "Open") & (record.docstatus < 2))
		.run()
	)
	frame = pd.DataFrame(
		rows, columns=["name", "customer", "company", "churn_date", "churn_kind", "source_doctype"]
	).rename(columns={"name": "record"})
	frame["churn_date"] = pd.to_datetime(frame["churn_date"])
	frame["returnable"] = frame["churn_kind"].eq("Involuntary") & frame["source_doctype"].isna()
	return frame


def read_pending(as_of=None) -> pd.DataFrame:
	"""Customers with a termination application or a suspension request not yet decided, customers
	whose pause ended without their paying again, those with a complaint left unresolved too long, and
	those within the days after a downgrade."""
	customers = set()
	for doctype in ("Termination Application", "Suspension Application"):
		if not frappe.db.table_exists(doctype):
			continue
		table = frappe.qb.DocType(doctype)
		customers.update(
			row[0] for row in frappe.qb.from_(table).select(table.customer).where(table.docstatus == 0).run()
		)
	if frappe.db.table_exists("Suspension Application"):
		pause = frappe.qb.DocType("Suspension Application")
		customers.update(
			row[0]
			for row in frappe.qb.from_(pause)
			.select(pause.customer)
			.where((pause.docstatus == 1) & (pause.status == "Resumed") & (pause.came_back == "No"))
			.run()
		)
	customers.update(escalated_customers(as_of or nowdate()))
	customers.update(downgraded_customers(getdate(as_of or nowdate())))
	return pd.DataFrame({"customer": sorted(customers)})


def end_scheduled_subscriptions(as_of) -> int:
	"""End the subscriptions of terminations whose effective date has come, through ERPNext."""
	from churn_management.churn_management.doctype.termination_application.termination_subscriptions import (
		due_terminations,
		end_scheduled,
	)

	ended = 0
	for application in due_terminations(as_of):
		try:
			frappe.db.savepoint("scheduled_end")
			ended += end_scheduled(application)
			frappe.db.commit()  # nosemgrep: one transaction per application
		except frappe.ValidationError:
			frappe.db.rollback(save_point="scheduled_end")
			frappe.log_error(title=_("Ending the subscriptions of {0} failed").format(application))
	return ended


def close_returned_records(plan: pd.DataFrame, as_of) -> int:
	"""A non-payment churn whose debt is paid in full is a return by payment."""
	returned = 0
	for row in plan.itertuples(index=False):
		try:
			frappe.db.savepoint("returned_record")
			record = frappe.get_doc("Churn Record", row.returned_record)
			record.close_as_returned_by_payment(as_of)
			frappe.db.commit()  # nosemgrep: one transaction per record
			returned += 1
		except frappe.ValidationError:
			frappe.db.rollback(save_point="returned_record")
			frappe.log_error(
				title=_("Closing churn record {0} as returned failed").format(row.returned_record)
			)
	return returned


def write_statuses(plan: pd.DataFrame) -> int:
	"""One UPDATE per status and chunk of customers; the open record is cleared on a return."""
	customer = frappe.qb.DocType("Customer")
	for status, group in plan.groupby("status"):
		names = group["customer"].tolist()
		for start in range(0, len(names), CHUNK):
			query = (
				frappe.qb.update(customer)
				.set(customer.churn_status, status)
				.where(customer.name.isin(names[start : start + CHUNK]))
			)
			if status in ("Active", "Won back", "Overdue"):
				query = query.set(customer.open_churn_record, None)
			query.run()
	return len(plan)


def create_non_payment_records(plan: pd.DataFrame, reason: str | None) -> tuple[int, int]:
	"""An involuntary churn record per customer, each committed on its own."""
	if plan.empty:
		return 0, 0
	reason = reason if reason and frappe.db.exists("Churn Reason", reason) else None
	created = failed = 0
	for company, group in plan.groupby("company"):
		dates = {row.customer: row.churn_date.date() for row in group.itertuples(index=False)}
		profiles = customer_profiles(dates, company)
		for customer, churn_date in dates.items():
			try:
				frappe.db.savepoint("non_payment_record")
				doc = frappe.get_doc(
					{
						"doctype": "Churn Record",
						"customer": customer,
						"company": company,
						"churn_date": churn_date,
						"churn_kind": "Involuntary",
						"churn_reason": reason,
						**profiles[customer],
					}
				)
				doc.flags.ignore_permissions = True
				doc.insert()
				frappe.db.commit()  # nosemgrep: one transaction per record
				created += 1
			except frappe.ValidationError:
				frappe.db.rollback(save_point="non_payment_record")
				frappe.log_error(title=_("Non-payment churn record for {0} failed").format(customer))
				failed += 1
	return created, failed
