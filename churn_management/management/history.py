# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What the plan and the economics read from the site, set-based, as DataFrames for the core.

A customer's start is the posting date of their first submitted invoice in the company; a churn
event is a Churn Record (a won-back one returns the customer on its won-back date); a return is a
Retention Save, its offer cost the task's offer cost or, for a save at the desk, the method's cost.
"""

from datetime import date

import pandas as pd

import frappe
from frappe.query_builder import Case, DatePart
from frappe.query_builder.functions import Coalesce, Count, Extract, Max, Min, Sum

from churn_management.analytics.churn.states import DAYS_PER_MONTH

CUSTOMER_COLUMNS = ["customer", "territory", "start_date"]
CHURN_COLUMNS = ["customer", "territory", "churn_date", "back_date", "reason", "managed"]
SAVE_COLUMNS = ["save", "saved_on", "status", "offer_cost", "revenue"]


def _frame(query, columns: list[str], dates: tuple[str, ...] = ()) -> pd.DataFrame:
	frame = pd.DataFrame.from_records(query.run(), columns=columns)
	for column in dates:
		frame[column] = pd.to_datetime(frame[column])
	return frame


def customer_starts(company: str, until: date, territories: bool = True) -> pd.DataFrame:
	"""Each customer of the company with the first invoice before ``until``: customer, territory, start.

	The invoices are grouped alone (joining the customers to a million invoices costs seconds); the
	territories come from one read of the customers, left out (empty) when not asked for."""
	invoice = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(invoice)
		.select(invoice.customer, Min(invoice.posting_date))
		.where(
			(invoice.company == company)
			& (invoice.docstatus == 1)
			& (invoice.is_return == 0)
			& (invoice.posting_date < until)
		)
		.groupby(invoice.customer)
	)
	starts = _frame(query, ["customer", "start_date"], ("start_date",))
	starts["territory"] = None
	if territories:
		customer = frappe.qb.DocType("Customer")
		by_customer = dict(frappe.qb.from_(customer).select(customer.name, customer.territory).run())
		starts["territory"] = starts["customer"].map(by_customer)
	return starts[CUSTOMER_COLUMNS]


def churn_events(company: str, until: date) -> pd.DataFrame:
	"""Churn records before ``until``: customer, territory (the customer's, as for the starts), churn and
	won-back dates, reason, managed."""
	record = frappe.qb.DocType("Churn Record")
	customer = frappe.qb.DocType("Customer")
	back = Case().when((record.status == "Won Back") & (record.won_back_date < until), record.won_back_date)
	query = (
		frappe.qb.from_(record)
		.left_join(customer)
		.on(customer.name == record.customer)
		.select(
			record.customer,
			Coalesce(customer.territory, record.territory),
			record.churn_date,
			back,
			record.churn_reason,
			record.managed,
		)
		.where((record.company == company) & (record.churn_date < until))
	)
	frame = _frame(query, CHURN_COLUMNS, ("churn_date", "back_date"))
	frame["managed"] = frame["managed"].fillna(0).astype(bool)
	return frame


def reason_conversions() -> dict[str, float]:
	"""Planned conversion of each reason, a fraction: its best method (the reason's figure, else the method's)."""
	link = frappe.qb.DocType("Churn Reason Method")
	method = frappe.qb.DocType("Retention Method")
	planned = (
		Case().when(link.planned_conversion > 0, link.planned_conversion).else_(method.planned_conversion)
	)
	rows = (
		frappe.qb.from_(link)
		.join(method)
		.on(method.name == link.retention_method)
		.select(link.parent, Max(planned))
		.where((link.parenttype == "Churn Reason") & (method.enabled == 1))
		.groupby(link.parent)
		.run()
	)
	return {reason: float(value or 0) / 100 for reason, value in rows}


def task_history(company: str, since: date, until: date) -> pd.DataFrame:
	"""Retention tasks made in the window: task_type, attempt_count, minutes_spent."""
	task = frappe.qb.DocType("Retention Task")
	query = (
		frappe.qb.from_(task)
		.select(task.task_type, Coalesce(task.attempt_count, 0), Coalesce(task.minutes_spent, 0))
		.where((task.company == company) & (task.creation >= since) & (task.creation < until))
	)
	frame = _frame(query, ["task_type", "attempt_count", "minutes_spent"])
	return frame.astype({"attempt_count": int, "minutes_spent": float})


def saves(company: str, since: date, until: date) -> pd.DataFrame:
	"""Saves in the window with the cost of the offer given and the monthly revenue kept."""
	save = frappe.qb.DocType("Retention Save")
	task = frappe.qb.DocType("Retention Task")
	method = frappe.qb.DocType("Retention Method")
	from_task = save.source_doctype == "Retention Task"
	query = (
		frappe.qb.from_(save)
		.left_join(task)
		.on(from_task & (task.name == save.source_name))
		.left_join(method)
		.on(method.name == save.retention_method)
		.select(
			save.name,
			save.saved_on,
			save.status,
			Case().when(from_task, Coalesce(task.offer_cost, 0)).else_(Coalesce(method.cost, 0)),
			Coalesce(task.monthly_revenue, 0),
		)
		.where((save.company == company) & (save.saved_on >= since) & (save.saved_on < until))
	)
	frame = _frame(query, SAVE_COLUMNS, ("saved_on",))
	frame = frame.astype({"offer_cost": float, "revenue": float})
	desk = _desk_revenue(company, since, until)
	if not desk.empty:
		frame["revenue"] = frame["revenue"].where(frame["revenue"] > 0, frame["save"].map(desk).fillna(0.0))
	return frame


def _desk_revenue(company: str, since: date, until: date) -> pd.Series:
	"""Monthly revenue of the subscriptions kept by each save at the termination desk."""
	save = frappe.qb.DocType("Retention Save")
	line = frappe.qb.DocType("Termination Subscription")
	rows = (
		frappe.qb.from_(save)
		.join(line)
		.on((line.parent == save.source_name) & (line.parenttype == "Termination Application"))
		.select(save.name, Sum(line.monthly_revenue))
		.where(
			(save.source_doctype == "Termination Application")
			& (save.company == company)
			& (save.saved_on >= since)
			& (save.saved_on < until)
		)
		.groupby(save.name)
		.run()
	)
	return pd.Series({name: float(value or 0) for name, value in rows}, dtype=float)


def new_customers(company: str, since: date, until: date) -> int:
	"""Customers of the company whose first submitted invoice falls in the window."""
	invoice = frappe.qb.DocType("Sales Invoice")
	first = (
		frappe.qb.from_(invoice)
		.select(invoice.customer, Min(invoice.posting_date).as_("first_date"))
		.where((invoice.company == company) & (invoice.docstatus == 1) & (invoice.is_return == 0))
		.groupby(invoice.customer)
	)
	rows = (
		frappe.qb.from_(first)
		.select(Count("*"))
		.where((first.first_date >= since) & (first.first_date < until))
		.run()
	)
	return int(rows[0][0] or 0)


def monthly_totals(query, date_field, value, where, year: int) -> dict[int, float]:
	"""A figure of a query (``frappe.qb.from_(...)``, joins allowed) per calendar month of the year."""
	month = Extract(DatePart.month, date_field)
	rows = (
		query.select(month, value)
		.where(where & (date_field >= date(year, 1, 1)) & (date_field < date(year + 1, 1, 1)))
		.groupby(month)
		.run()
	)
	return {int(m): float(v or 0) for m, v in rows}


def lifetimes(company: str, as_of: date) -> pd.DataFrame:
	"""Each customer's lifetime so far: months from the first invoice to churn (or to the as-of date
	while active or won back) and whether they churned: duration, churned."""
	starts = customer_starts(company, as_of, territories=False)
	churns = churn_events(company, as_of).sort_values("churn_date").drop_duplicates("customer", keep="last")
	frame = starts.merge(churns[["customer", "churn_date", "back_date"]], on="customer", how="left")
	churned = frame["churn_date"].notna() & frame["back_date"].isna()
	end = frame["churn_date"].where(churned, pd.Timestamp(as_of))
	days = (end - frame["start_date"]).dt.days.clip(lower=0)
	return pd.DataFrame({"duration": days / DAYS_PER_MONTH, "churned": churned.to_numpy()})
