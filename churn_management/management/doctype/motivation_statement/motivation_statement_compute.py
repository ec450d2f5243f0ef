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
from churn_management.utils.roles import enabled_users_with_role


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
	"""Enabled users holding the scheme's role, less those employed (Active Employee) by another company."""
	role, company = frappe.db.get_value("Motivation Scheme", scheme, ["role", "company"])
	users = enabled_users_with_role(role)
	if not users:
		return []
	elsewhere = frappe.get_all(
		"Employee",
		filters={"user_id": ("in", users), "status": "Active", "company": ("!=", company)},
		pluck="user_id",
	)
	return [user for user in users if user not in set(elsewhere)]


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
	all_sources = _stack(sources, back_sources)
	counts = all_sources.fillna({"takes_back": ""}).groupby(["kpi", "takes_back"]).size().to_dict()
	for row in _stack(lines, back_lines).to_dict("records"):
		row = _clean(row)
		count = counts.get((row["kpi"], row["takes_back"] or ""), 0)
		doc.append("lines", {**row, "source_count": count, "currency": doc.currency})
	doc.variable_amount = flt(sum(flt(line.amount) for line in doc.lines), 2)
	doc.total_amount = flt(doc.fixed_amount + doc.variable_amount, 2)
	rows = [{**_clean(row), "currency": doc.currency} for row in all_sources.to_dict("records")]
	if doc.flags.defer_sources and doc.is_new():
		doc.flags.source_rows = rows
		return
	for row in rows:
		doc.append("sources", row)


def insert_deferred_sources(doc) -> None:
	"""The bulk run writes a new statement's source documents (often hundreds) in one insert."""
	rows = doc.flags.pop("source_rows", None)
	if not rows:
		return
	now = frappe.utils.now_datetime()
	fields = ["kpi", "reference_doctype", "reference_name", "base_amount", "amount", "takes_back", "currency"]
	values = [
		(
			frappe.generate_hash(length=10),
			doc.name,
			doc.doctype,
			"sources",
			idx,
			0,
			now,
			now,
			doc.owner,
			doc.modified_by,
			*(row.get(field) for field in fields),
		)
		for idx, row in enumerate(rows, start=1)
	]
	frappe.db.bulk_insert(
		"Motivation Statement Source",
		[
			"name",
			"parent",
			"parenttype",
			"parentfield",
			"idx",
			"docstatus",
			"creation",
			"modified",
			"owner",
			"modified_by",
			*fields,
		],
		values,
	)


def _stack(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
	"""Both frames one under the other (an empty one adds nothing)."""
	frames = [frame for frame in (first, second) if not frame.empty]
	return pd.concat(frames, ignore_index=True) if frames else first


def _clean(row: dict) -> dict:
	"""NaN and None from the frames become empty values for the child rows."""
	return {
		key: (None if value is None or (isinstance(value, float) and value != value) else value)
		for key, value in row.items()
	}
