# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The daily churn status update (DOMAIN.md §1): overdue, pre-churn and non-payment churn.

Read set-based from submitted Sales Invoices: each customer's oldest unpaid due date. The
analytics core decides every customer's status; customers past the involuntary-churn threshold
without an open churn record get one (reason: the non-payment reason of Churn Settings). Each
new record is its own transaction: one that fails is rolled back and logged, and the rest go on.
Statuses are written in bulk, only where they change, so a second run the same day changes
nothing.
"""

import pandas as pd

import frappe
from frappe import _
from frappe.query_builder.functions import Max, Min, Sum
from frappe.utils import cint, getdate, now_datetime, nowdate

from churn_management.analytics.states import status_updates
from churn_management.churn_management.doctype.churn_record.churn_record_utils import (
	CUSTOMER_TYPES,
	DAYS_PER_MONTH,
)
from churn_management.churn_management.doctype.churn_settings.churn_settings import get_thresholds

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
	plan = status_updates(read_customers(), read_debts(as_of), read_open_records(), as_of, thresholds)
	new_records = plan[plan["needs_record"]]
	created, failed = create_non_payment_records(new_records, thresholds.non_payment_reason)
	updated = write_statuses(plan[~plan["needs_record"]])
	summary = {"updated": updated, "created": created, "failed": failed}
	frappe.db.set_single_value(
		"Churn Settings",
		{
			"last_run_on": now_datetime(),
			"last_run_summary": _(
				"{0} statuses changed, {1} non-payment churn records created, {2} failed"
			).format(updated, created, failed),
		},
	)
	frappe.db.commit()  # nosemgrep: a scheduled job ends its own transaction
	return summary


def read_customers() -> pd.DataFrame:
	customer = frappe.qb.DocType("Customer")
	rows = frappe.qb.from_(customer).select(customer.name, customer.churn_status).run()
	return pd.DataFrame(rows, columns=["customer", "churn_status"])


def read_debts(as_of) -> pd.DataFrame:
	"""Per customer: the oldest due date among unpaid submitted invoices already due, and the amount."""
	invoice = frappe.qb.DocType("Sales Invoice")
	rows = (
		frappe.qb.from_(invoice)
		.select(invoice.customer, Min(invoice.due_date), Sum(invoice.outstanding_amount))
		.where(
			(invoice.docstatus == 1)
			& (invoice.outstanding_amount > 0)
			& (invoice.is_return == 0)
			& (invoice.due_date < as_of)
		)
		.groupby(invoice.customer)
		.run()
	)
	frame = pd.DataFrame(rows, columns=["customer", "oldest_due", "outstanding"])
	frame["oldest_due"] = pd.to_datetime(frame["oldest_due"])
	frame["outstanding"] = frame["outstanding"].astype(float)
	return frame


def read_open_records() -> pd.DataFrame:
	record = frappe.qb.DocType("Churn Record")
	rows = (
		frappe.qb.from_(record)
		.select(record.customer, record.churn_date)
		.where(record.status == "Open")
		.run()
	)
	frame = pd.DataFrame(rows, columns=["customer", "churn_date"])
	frame["churn_date"] = pd.to_datetime(frame["churn_date"])
	return frame


def write_statuses(plan: pd.DataFrame) -> int:
	"""One UPDATE per status and chunk of customers."""
	customer = frappe.qb.DocType("Customer")
	for status, group in plan.groupby("status"):
		names = group["customer"].tolist()
		for start in range(0, len(names), CHUNK):
			(
				frappe.qb.update(customer)
				.set(customer.churn_status, status)
				.where(customer.name.isin(names[start : start + CHUNK]))
				.run()
			)
	return len(plan)


def create_non_payment_records(plan: pd.DataFrame, reason: str | None) -> tuple[int, int]:
	"""An involuntary churn record per customer, each committed on its own."""
	if plan.empty:
		return 0, 0
	reason = reason if reason and frappe.db.exists("Churn Reason", reason) else None
	profiles = read_profiles(plan["customer"].tolist())
	company = frappe.db.get_single_value("Churn Settings", "default_company")
	created = failed = 0
	for row in plan.itertuples(index=False):
		profile = profiles.get(row.customer, {})
		churn_date = row.churn_date.date()
		started = profile.get("started")
		tenure = (churn_date - started).days / DAYS_PER_MONTH if started else 0
		try:
			frappe.db.savepoint("non_payment_record")
			doc = frappe.get_doc(
				{
					"doctype": "Churn Record",
					"customer": row.customer,
					"company": profile.get("company") or company,
					"churn_date": churn_date,
					"churn_kind": "Involuntary",
					"churn_reason": reason,
					"lost_mrr": profile.get("lost_mrr", 0),
					"tenure_months": round(max(tenure, 0), 1),
					"customer_type": profile.get("customer_type", ""),
					"territory": profile.get("territory"),
				}
			)
			doc.flags.ignore_permissions = True
			doc.insert()
			frappe.db.commit()  # nosemgrep: one transaction per record
			created += 1
		except frappe.ValidationError:
			frappe.db.rollback(save_point="non_payment_record")
			frappe.log_error(title=_("Non-payment churn record for {0} failed").format(row.customer))
			failed += 1
	return created, failed


def read_profiles(customers: list[str]) -> dict[str, dict]:
	"""Customer type, territory, company, first invoice date and latest invoice total, set-based."""
	customer = frappe.qb.DocType("Customer")
	invoice = frappe.qb.DocType("Sales Invoice")
	latest = frappe.qb.DocType("Sales Invoice").as_("latest")
	profiles: dict[str, dict] = {}
	for start in range(0, len(customers), CHUNK):
		chunk = customers[start : start + CHUNK]
		for name, customer_type, territory in (
			frappe.qb.from_(customer)
			.select(customer.name, customer.customer_type, customer.territory)
			.where(customer.name.isin(chunk))
			.run()
		):
			profiles[name] = {"customer_type": CUSTOMER_TYPES.get(customer_type, ""), "territory": territory}
		firsts = (
			frappe.qb.from_(invoice)
			.select(invoice.customer, Min(invoice.posting_date), Max(invoice.posting_date))
			.where((invoice.docstatus == 1) & (invoice.customer.isin(chunk)))
			.groupby(invoice.customer)
			.run()
		)
		last_dates = {}
		for name, first, last in firsts:
			profiles.setdefault(name, {})["started"] = getdate(first)
			last_dates[name] = last
		for name, total, company, posting_date in (
			frappe.qb.from_(latest)
			.select(latest.customer, latest.base_grand_total, latest.company, latest.posting_date)
			.where((latest.docstatus == 1) & (latest.is_return == 0) & (latest.customer.isin(chunk)))
			.run()
		):
			if posting_date == last_dates.get(name):
				profiles[name]["lost_mrr"] = float(total or 0)
				profiles[name]["company"] = company
	return profiles
