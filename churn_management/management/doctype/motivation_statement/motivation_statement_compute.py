# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Fill a statement from the data: its scheme's tiers, the month's facts, take-backs of lost saves.

Shared by the form (one employee) and the month's bulk job (all employees of a scheme, facts read once
for all of them and handed to each statement through ``doc.flags``).
"""

import pandas as pd

import frappe
from frappe.query_builder.functions import Coalesce
from frappe.utils import flt

from churn_management.analytics.management.motivation import statement_lines, take_backs
from churn_management.management.doctype.motivation_statement.motivation_statement_data import (
	collect_facts,
	lost_saves,
	paid_before,
)


def schemes_for(user: str, company: str, start, end) -> list[str]:
	"""Schemes of the user's roles valid in some part of the month, in the company."""
	scheme = frappe.qb.DocType("Motivation Scheme")
	role = frappe.qb.DocType("Has Role")
	rows = (
		frappe.qb.from_(scheme)
		.join(role)
		.on((role.role == scheme.role) & (role.parenttype == "User") & (role.parent == user))
		.select(scheme.name)
		.distinct()
		.where(
			(scheme.company == company)
			& (scheme.valid_from <= end)
			& (Coalesce(scheme.valid_to, "9999-12-31") >= start)
		)
		.orderby(scheme.name)
		.run()
	)
	return [row[0] for row in rows]


def employees_under(scheme: str) -> list[str]:
	"""Enabled users holding the scheme's role, less those employed by another company."""
	role, company = frappe.db.get_value("Motivation Scheme", scheme, ["role", "company"])
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	employee = frappe.qb.DocType("Employee")
	rows = (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.left_join(employee)
		.on((employee.user_id == user.name) & (employee.status == "Active"))
		.select(user.name)
		.distinct()
		.where(
			(has_role.parenttype == "User")
			& (has_role.role == role)
			& (user.enabled == 1)
			& user.name.notin(("Administrator", "Guest"))
			& (employee.name.isnull() | (employee.company == company))
		)
		.orderby(user.name)
		.run()
	)
	return [row[0] for row in rows]


def scheme_tiers(scheme: str) -> pd.DataFrame:
	"""The scheme's tier rows as the core reads them."""
	return pd.DataFrame(
		frappe.get_all(
			"Motivation Scheme Component",
			filters={"parent": scheme, "parenttype": "Motivation Scheme"},
			fields=["kpi", "rate_type", "threshold_from", "threshold_to", "rate"],
			order_by="idx",
			as_list=True,
		),
		columns=["kpi", "rate_type", "threshold_from", "threshold_to", "rate"],
	)


def compute_statement(doc) -> None:
	"""Lines, source documents and amounts of a draft statement."""
	scheme = frappe.get_cached_doc("Motivation Scheme", doc.scheme)
	facts = doc.flags.facts
	if facts is None:
		facts = collect_facts(
			[doc.employee_user], doc.company, doc.period_start, doc.period_end, scheme.planned_conversion
		)
	facts = facts[facts["employee_user"] == doc.employee_user]
	lines, sources = statement_lines(scheme_tiers(doc.scheme), facts)
	lost = doc.flags.lost if doc.flags.lost is not None else lost_saves(doc.company, doc.period_end)
	paid = doc.flags.paid
	if paid is None:
		paid = paid_before([doc.employee_user], doc.period_start, lost["reference_name"], exclude=doc.name)
	paid = paid[paid["employee_user"] == doc.employee_user]
	back_lines, back_sources = take_backs(lost, paid)
	doc.currency = scheme.currency
	doc.fixed_amount = flt(scheme.fixed_amount)
	doc.set("lines", [])
	doc.set("sources", [])
	for frame, table in (
		(lines, "lines"),
		(back_lines, "lines"),
		(sources, "sources"),
		(back_sources, "sources"),
	):
		for row in frame.to_dict("records"):
			doc.append(table, {**_clean(row), "currency": doc.currency})
	for line in doc.lines:
		line.source_count = sum(
			1
			for s in doc.sources
			if s.kpi == line.kpi and (s.takes_back or None) == (line.takes_back or None)
		)
	doc.variable_amount = flt(sum(flt(line.amount) for line in doc.lines), 2)
	doc.total_amount = flt(doc.fixed_amount + doc.variable_amount, 2)


def _clean(row: dict) -> dict:
	"""NaN and None from the frames become empty values for the child rows."""
	return {
		key: (None if value is None or (isinstance(value, float) and value != value) else value)
		for key, value in row.items()
	}
