# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What earned each employee their pay in a month, read set-based for a list of employees.

Every KPI is a list of source documents (one row each) so a statement line can show what earned it:

* Customers returned: Churn Records won back by the employee (won_back_by, won_back_date); amount =
  the monthly revenue that came back.
* Conversion against plan: the Win-back tasks the employee closed with a real attempt (Returned,
  Refused, Unreachable); their customers returned over those tasks, as a percent of the planned
  conversion (the company's submitted Retention Plan for the year where there is one, else the scheme's).
* Saves that stuck: Retention Saves judged Stuck in the month whose task was the employee's (or, for a
  save at the desk, that they recorded).
* Annual contracts sold / Bonus cards issued: submitted Annual Contracts by sold_by starting in the month,
  Bonus Cards by issued_by issued in it (read only where those DocTypes exist).
* Debt collected: customer payments posted in the month while the employee was the collector of an open
  Debt Case of that customer; amount = the payment in company currency.
* Members reactivated: Reactivation tasks of the employee closed as Returned in the month.

A save judged Lost takes back, in the next statement, what earlier statements paid for it: the save
itself, the task or application it came from, and the churn record that task won back.
"""

from collections.abc import Iterable

import pandas as pd

import frappe
from frappe.query_builder.functions import Coalesce, Count
from frappe.utils import getdate

from churn_management.analytics.management.motivation import FACT_COLUMNS, conversion_percent_of_plan

FACTS = ["employee_user", *FACT_COLUMNS]
WORKED_OUTCOMES = ("Returned", "Refused", "Unreachable")
CHUNK = 500


def collect_facts(
	users: list[str], company: str, start, end, planned_conversion: float | None = None
) -> pd.DataFrame:
	"""Every document that counts for a KPI of these employees in the month, one row each."""
	rows = []
	for chunk in _chunks(users):
		rows += customers_returned(chunk, company, start, end)
		rows += saves_stuck(chunk, company, start, end)
		rows += members_reactivated(chunk, company, start, end)
		rows += debt_collected(chunk, company, start, end)
		rows += contracts_sold(chunk, company, start, end)
		rows += cards_issued(chunk, company, start, end)
	facts = pd.DataFrame(rows, columns=FACTS)
	planned = planned_conversion_from_plan(company, start)
	planned = planned if planned is not None else planned_conversion
	conversion = conversion_facts(users, company, start, end, facts, planned)
	return pd.concat([facts, conversion], ignore_index=True) if not conversion.empty else facts


def customers_returned(users: list[str], company: str, start, end) -> list[tuple]:
	record = frappe.qb.DocType("Churn Record")
	rows = (
		frappe.qb.from_(record)
		.select(record.won_back_by, record.name, Coalesce(record.lost_mrr, 0))
		.where(
			(record.status == "Won Back")
			& record.won_back_by.isin(users)
			& (record.company == company)
			& record.won_back_date[start:end]
		)
		.run()
	)
	return [(user, "Customers returned", "Churn Record", name, 1, mrr) for user, name, mrr in rows]


def saves_stuck(users: list[str], company: str, start, end) -> list[tuple]:
	save = frappe.qb.DocType("Retention Save")
	task = frappe.qb.DocType("Retention Task")
	owner = Coalesce(task.assignee, save.saved_by)
	rows = (
		frappe.qb.from_(save)
		.left_join(task)
		.on((save.source_doctype == "Retention Task") & (task.name == save.source_name))
		.select(owner, save.name)
		.where(
			(save.status == "Stuck")
			& (save.company == company)
			& save.judged_on[start:end]
			& owner.isin(users)
		)
		.run()
	)
	return [(user, "Saves that stuck", "Retention Save", name, 1, 0) for user, name in rows]


def members_reactivated(users: list[str], company: str, start, end) -> list[tuple]:
	task = frappe.qb.DocType("Retention Task")
	rows = (
		frappe.qb.from_(task)
		.select(task.assignee, task.name, Coalesce(task.monthly_revenue, 0))
		.where(
			(task.task_type == "Reactivation")
			& (task.outcome == "Returned")
			& task.assignee.isin(users)
			& (task.company == company)
			& task.closed_on[start:end]
		)
		.run()
	)
	return [(user, "Members reactivated", "Retention Task", name, 1, value) for user, name, value in rows]


def debt_collected(users: list[str], company: str, start, end) -> list[tuple]:
	payment = frappe.qb.DocType("Payment Entry")
	case = frappe.qb.DocType("Debt Case")
	rows = (
		frappe.qb.from_(payment)
		.join(case)
		.on(
			(case.customer == payment.party)
			& (case.company == payment.company)
			& (payment.posting_date >= case.opened_on)
			& (case.closed_on.isnull() | (payment.posting_date <= case.closed_on))
		)
		.select(case.collector, payment.name, payment.base_received_amount)
		.where(
			(payment.docstatus == 1)
			& (payment.payment_type == "Receive")
			& (payment.party_type == "Customer")
			& (payment.company == company)
			& payment.posting_date[start:end]
			& case.collector.isin(users)
		)
		.run()
	)
	seen, found = set(), []
	for user, name, amount in rows:
		if name not in seen:
			seen.add(name)
			found.append((user, "Debt collected", "Payment Entry", name, 1, amount or 0))
	return found


def contracts_sold(users: list[str], company: str, start, end) -> list[tuple]:
	if not frappe.db.table_exists("Annual Contract"):
		return []
	contract = frappe.qb.DocType("Annual Contract")
	rows = (
		frappe.qb.from_(contract)
		.select(contract.sold_by, contract.name, Coalesce(contract.amount, 0))
		.where(
			(contract.docstatus == 1)
			& contract.sold_by.isin(users)
			& (contract.company == company)
			& contract.start_date[start:end]
		)
		.run()
	)
	return [
		(user, "Annual contracts sold", "Annual Contract", name, 1, amount) for user, name, amount in rows
	]


def cards_issued(users: list[str], company: str, start, end) -> list[tuple]:
	if not frappe.db.table_exists("Bonus Card"):
		return []
	card = frappe.qb.DocType("Bonus Card")
	query = (
		frappe.qb.from_(card)
		.select(card.issued_by, card.name)
		.where(card.issued_by.isin(users) & card.issued_on[start:end])
	)
	if frappe.db.has_column("Bonus Card", "company"):
		query = query.where(card.company == company)
	rows = query.run()
	return [(user, "Bonus cards issued", "Bonus Card", name, 1, 0) for user, name in rows]


def conversion_facts(users, company, start, end, facts: pd.DataFrame, planned: float | None) -> pd.DataFrame:
	"""Each worked Win-back task carries an equal part of the employee's percent of plan."""
	if not planned:
		return pd.DataFrame(columns=FACTS)
	task = frappe.qb.DocType("Retention Task")
	worked = []
	for chunk in _chunks(users):
		worked += (
			frappe.qb.from_(task)
			.select(task.assignee, task.name)
			.where(
				(task.task_type == "Win-back")
				& task.outcome.isin(WORKED_OUTCOMES)
				& task.assignee.isin(chunk)
				& (task.company == company)
				& task.closed_on[start:end]
			)
			.run()
		)
	worked = pd.DataFrame(worked, columns=["employee_user", "reference_name"])
	returned = facts[facts["kpi"] == "Customers returned"].groupby("employee_user").size()
	rows = []
	for user, tasks in worked.groupby("employee_user"):
		percent = conversion_percent_of_plan(int(returned.get(user, 0)), len(tasks), planned)
		for name in tasks["reference_name"]:
			rows.append((user, "Conversion against plan", "Retention Task", name, percent / len(tasks), 0))
	return pd.DataFrame(rows, columns=FACTS)


def planned_conversion_from_plan(company: str, start) -> float | None:
	"""The planned conversion of the company's submitted Retention Plan for the month's year, where one exists."""
	if not frappe.db.table_exists("Retention Plan") or not frappe.db.has_column(
		"Retention Plan", "planned_conversion"
	):
		return None
	value = frappe.db.get_value(
		"Retention Plan",
		{"company": company, "year": getdate(start).year, "docstatus": 1},
		"planned_conversion",
		order_by="modified desc",
	)
	return float(value) if value else None


def lost_saves(company: str, end) -> pd.DataFrame:
	"""The documents each save judged Lost by the month's end stands for (save, task or application, churn record)."""
	save = frappe.qb.DocType("Retention Save")
	task = frappe.qb.DocType("Retention Task")
	rows = (
		frappe.qb.from_(save)
		.left_join(task)
		.on((save.source_doctype == "Retention Task") & (task.name == save.source_name))
		.select(save.name, save.source_doctype, save.source_name, task.churn_record)
		.where((save.status == "Lost") & (save.company == company) & (save.judged_on <= end))
		.run()
	)
	refs = []
	for name, source_doctype, source_name, churn_record in rows:
		refs.append((name, "Retention Save", name))
		if source_doctype and source_name:
			refs.append((name, source_doctype, source_name))
		if churn_record:
			refs.append((name, "Churn Record", churn_record))
	return pd.DataFrame(refs, columns=["save", "reference_doctype", "reference_name"])


def paid_before(
	users: list[str], start, references: Iterable[str], exclude: str | None = None
) -> pd.DataFrame:
	"""What earlier submitted statements paid these employees for the documents, less what was taken back."""
	statement = frappe.qb.DocType("Motivation Statement")
	source = frappe.qb.DocType("Motivation Statement Source")
	columns = ["employee_user", "statement", "kpi", "reference_doctype", "reference_name", "amount"]
	paid, taken = [], []
	references = list(set(references))
	for chunk in _chunks(references):
		base = (
			frappe.qb.from_(source)
			.join(statement)
			.on(statement.name == source.parent)
			.where(
				(source.parenttype == "Motivation Statement")
				& statement.employee_user.isin(users)
				& source.reference_name.isin(chunk)
			)
		)
		paid += (
			base.select(
				statement.employee_user,
				statement.name,
				source.kpi,
				source.reference_doctype,
				source.reference_name,
				source.amount,
			)
			.where((statement.docstatus == 1) & (statement.period_start < start) & source.takes_back.isnull())
			.run()
		)
		taken += (
			base.select(source.takes_back, source.kpi, source.reference_doctype, source.reference_name)
			.where(
				(statement.docstatus < 2)
				& source.takes_back.isnotnull()
				& (statement.name != (exclude or ""))
			)
			.run()
		)
	paid = pd.DataFrame(paid, columns=columns)
	if taken:
		keys = ["statement", "kpi", "reference_doctype", "reference_name"]
		taken = pd.DataFrame(taken, columns=keys).drop_duplicates()
		paid = paid.merge(taken, on=keys, how="left", indicator=True)
		paid = paid[paid["_merge"] == "left_only"].drop(columns="_merge")
	return paid


def statement_counts(users: list[str], start) -> dict[str, int]:
	"""Statements (drafts and submitted) the employees already have for the month."""
	statement = frappe.qb.DocType("Motivation Statement")
	found = {}
	for chunk in _chunks(users):
		rows = (
			frappe.qb.from_(statement)
			.select(statement.employee_user, Count("*"))
			.where(
				statement.employee_user.isin(chunk)
				& (statement.period_start == start)
				& (statement.docstatus < 2)
			)
			.groupby(statement.employee_user)
			.run()
		)
		found.update(dict(rows))
	return found


def _chunks(values: list, size: int = CHUNK):
	for first in range(0, len(values), size):
		yield values[first : first + size]
