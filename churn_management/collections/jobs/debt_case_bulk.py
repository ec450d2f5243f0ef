# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Opening and staging debt cases set-based: monthly billing makes thousands of invoices due on the same
day, so the debt job writes the new cases, their invoices and their log in a few multi-row statements,
and moves cases to their next stage with one update per stage. What each stage does (letters, the block,
tasks, the collector's assignment) is left to the background batches of jobs/debt_cases.py, which find
the cases by their stage not yet acted on (``acted_stage``)."""

import re

import pandas as pd

import frappe
from frappe.query_builder.functions import Max
from frappe.utils import cint, flt, now_datetime

from churn_management.analytics.debt.collection import net_case_invoices
from churn_management.collections.doctype.debt_case.debt_case_invoices import unpaid_invoices
from churn_management.utils.bulk import insert_rows, select_where_in

CASE = "Debt Case"
CHUNK = 5_000
CHILD_FIELDS = ("name", "parent", "parenttype", "parentfield", "idx", "creation", "modified", "owner")


def open_new_cases(rows: pd.DataFrame, stage_rows: dict, as_of) -> int:
	"""A case for each debtor in ``rows`` (customer, company, oldest_due, outstanding, days_overdue,
	target_stage) that never had one, with its invoices and its first log rows."""
	if rows.empty:
		return 0
	rows = rows.reset_index(drop=True).assign(case=reserve_names(len(rows)))
	details = {
		name: (customer_name, email)
		for name, customer_name, email in select_where_in(
			"Customer", ("name", "customer_name", "email_id"), "name", sorted(set(rows["customer"]))
		)
	}
	now, user = now_datetime(), frappe.session.user
	insert_rows(
		CASE,
		("name", "customer", "customer_name", "contact_email", "company", "status", "stage", "stage_since",
		 "opened_on", "refreshed_on", "outstanding", "oldest_due_date", "days_overdue", "docstatus", "idx",
		 "creation", "modified", "owner", "modified_by"),
		[
			(row.case, row.customer, *details.get(row.customer, (None, None)), row.company, "Open",
			 row.target_stage, as_of, as_of, as_of, flt(row.outstanding, 2), row.oldest_due.date(),
			 int(row.days_overdue), 0, 0, now, now, user, user)
			for row in rows.itertuples(index=False)
		],
	)  # fmt: skip
	invoices = unpaid_invoices(sorted(set(rows["customer"])))
	owed = net_case_invoices(invoices, rows[["customer", "company", "outstanding"]])
	owed = owed.merge(rows[["customer", "company", "case"]], on=["customer", "company"])
	owed["idx"] = owed.groupby("case").cumcount() + 1
	insert_rows(
		"Debt Case Invoice",
		(*CHILD_FIELDS, "sales_invoice", "due_date", "days_overdue", "grand_total", "outstanding_amount"),
		[
			(frappe.generate_hash(length=12), row.case, CASE, "invoices", row.idx, now, now, user,
			 row.invoice, row.due_date.date(), max((pd.Timestamp(as_of) - row.due_date).days, 0),
			 flt(row.grand_total, 2), flt(row.remaining, 2))
			for row in owed.itertuples(index=False)
		],
	)  # fmt: skip
	opened = [(case, 1, "Case Opened", None, "") for case in rows["case"]]
	staged = [
		(row.case, 2, "Stage", row.target_stage, stage_name(stage_rows, row.target_stage))
		for row in rows.itertuples(index=False)
	]
	insert_log(opened + staged, now, user)
	return len(rows)


def move_cases(moves: pd.DataFrame, stage_rows: dict, as_of) -> int:
	"""Each case in ``moves`` (case, target_stage) enters its target stage: one update per stage and
	the log rows in one insert."""
	if moves.empty:
		return 0
	now, user = now_datetime(), frappe.session.user
	case = frappe.qb.DocType(CASE)
	for stage, group in moves.groupby("target_stage"):
		(
			frappe.qb.update(case)
			.set(case.stage, stage)
			.set(case.stage_since, as_of)
			.set(case.modified, now)
			.where(case.name.isin(list(group["case"])))
			.run()
		)
	last = last_log_idx(list(moves["case"]))
	insert_log(
		[
			(row.case, last.get(row.case, 0) + 1, "Stage", row.target_stage,
			 stage_name(stage_rows, row.target_stage))
			for row in moves.itertuples(index=False)
		],
		now,
		user,
	)  # fmt: skip
	return len(moves)


def insert_log(entries: list[tuple], now, user: str) -> None:
	"""Log rows (case, idx, action, stage, note) of the job."""
	insert_rows(
		"Debt Case Action",
		(*CHILD_FIELDS, "on", "action", "stage", "user", "note"),
		[
			(frappe.generate_hash(length=12), case, CASE, "actions", idx, now, now, user, now, action, stage,
			 user, note)
			for case, idx, action, stage, note in entries
		],
	)  # fmt: skip


def last_log_idx(cases: list[str]) -> dict[str, int]:
	action = frappe.qb.DocType("Debt Case Action")
	found: dict[str, int] = {}
	for start in range(0, len(cases), CHUNK):
		rows = (
			frappe.qb.from_(action)
			.select(action.parent, Max(action.idx))
			.where((action.parenttype == CASE) & action.parent.isin(cases[start : start + CHUNK]))
			.groupby(action.parent)
			.run()
		)
		found.update({parent: cint(idx) for parent, idx in rows})
	return found


def stage_name(stage_rows: dict, stage: str | None) -> str:
	"""The note of a "Stage" log row: the stage's title where it is not already the stage's name."""
	title = stage_rows[stage].stage_name if stage in stage_rows else ""
	return "" if title == stage else title


def reserve_names(count: int) -> list[str]:
	"""``count`` names of the Debt Case naming rule (format:DEBT-{#####}) from Frappe's own series, taken
	at once under the series' row lock, as Frappe takes one."""
	match = re.fullmatch(r"format:(.*)\{(#+)\}", frappe.get_meta(CASE).autoname or "")
	prefix, digits = match.group(1), len(match.group(2))
	key = ""  # Frappe counts a braced {#####} under the series of what precedes it inside the braces
	series = frappe.qb.DocType("Series")
	current = frappe.qb.from_(series).select(series.current).where(series.name == key).for_update().run()
	start = cint(current[0][0]) if current else 0
	if current:
		frappe.qb.update(series).set(series.current, start + count).where(series.name == key).run()
	else:
		frappe.qb.into(series).columns(series.name, series.current).insert(key, count).run()
	return [f"{prefix}{number:0{digits}d}" for number in range(start + 1, start + count + 1)]
