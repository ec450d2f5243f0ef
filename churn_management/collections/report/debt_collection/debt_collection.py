# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Debt collection results: money collected per stage, per collector and month, the promise kept rate,
and the share of debtors who became churn. Payments are ERPNext Payment Entries in the Payment Ledger
against customers with a debt case, while the case was open; each counts for the stage it came in."""

import pandas as pd

import frappe
from frappe import _
from frappe.query_builder.functions import Sum

from churn_management.analytics.debt.collection import BROKEN, KEPT, attribute_to_stage, promise_kept_rate
from churn_management.collections.doctype.debt_case.debt_case_permissions import is_restricted_collector
from churn_management.utils.report_filters import company_and_period

NO_COLLECTOR = "-"


def execute(filters: dict | None = None):
	filters = company_and_period(filters)
	stages = frappe.get_all("Debt Stage", order_by="from_day asc", pluck="name")
	data = get_data(filters, stages)
	return get_columns(stages), data, None, get_chart(data, stages), get_summary(data)


def get_columns(stages: list[str]) -> list[dict]:
	columns = [
		{"label": _("Month"), "fieldname": "month", "fieldtype": "Data", "width": 90},
		{
			"label": _("Collector"),
			"fieldname": "collector",
			"fieldtype": "Link",
			"options": "User",
			"width": 160,
		},
		{"label": _("Cases opened"), "fieldname": "opened", "fieldtype": "Int", "width": 100},
		{"label": _("Collected"), "fieldname": "collected", "fieldtype": "Currency", "width": 120},
	]
	columns += [
		{"label": stage_label(stage), "fieldname": stage_field(stage), "fieldtype": "Currency", "width": 110}
		for stage in stages
	]
	columns += [
		{"label": _("Promises kept"), "fieldname": "promises_kept", "fieldtype": "Int", "width": 100},
		{"label": _("Promises broken"), "fieldname": "promises_broken", "fieldtype": "Int", "width": 100},
		{
			"label": _("Promise kept rate"),
			"fieldname": "promise_kept_rate",
			"fieldtype": "Percent",
			"width": 110,
		},
		{"label": _("Became churn"), "fieldname": "churned", "fieldtype": "Int", "width": 100},
		{
			"label": _("Share who became churn"),
			"fieldname": "churn_share",
			"fieldtype": "Percent",
			"width": 120,
		},
	]
	return columns


def stage_label(stage: str) -> str:
	"""A stage's name as the desk shows it (a preset stage in the user's language)."""
	return _(stage, context="Debt Stage")


def stage_field(stage: str) -> str:
	return "stage_" + frappe.scrub(stage)


def read_cases(filters) -> pd.DataFrame:
	case = frappe.qb.DocType("Debt Case")
	query = (
		frappe.qb.from_(case)
		.select(case.name, case.customer, case.collector, case.opened_on, case.closed_on, case.creation)
		.where(case.company == filters.company)
	)
	if filters.collector:
		query = query.where(case.collector == filters.collector)
	if is_restricted_collector():
		query = query.where(case.collector == frappe.session.user)
	frame = pd.DataFrame(
		query.run(), columns=["case", "customer", "collector", "opened_on", "closed_on", "creation"]
	)
	frame["opened_on"] = pd.to_datetime(frame["opened_on"].fillna(frame["creation"])).dt.normalize()
	frame["closed_on"] = pd.to_datetime(frame["closed_on"])
	frame["collector"] = frame["collector"].fillna(NO_COLLECTOR)
	return frame


def read_payments(filters, cases: pd.DataFrame) -> pd.DataFrame:
	"""Payment Entries of the cases' customers in the period, matched to the case open at the time."""
	if cases.empty:
		return pd.DataFrame(columns=["case", "date", "amount"])
	ledger = frappe.qb.DocType("Payment Ledger Entry")
	rows = (
		frappe.qb.from_(ledger)
		.select(ledger.party, ledger.posting_date, Sum(ledger.amount))
		.where(
			(ledger.company == filters.company)
			& (ledger.party_type == "Customer")
			& (ledger.voucher_type == "Payment Entry")
			& (ledger.delinked == 0)
			& (ledger.posting_date >= filters.from_date)
			& (ledger.posting_date <= filters.to_date)
			& ledger.party.isin(cases["customer"].unique().tolist())
		)
		.groupby(ledger.party, ledger.posting_date)
		.run()
	)
	payments = pd.DataFrame(rows, columns=["customer", "date", "amount"])
	payments["date"] = pd.to_datetime(payments["date"])
	payments["amount"] = -payments["amount"].astype(float)
	matched = payments.merge(cases[["case", "customer", "opened_on", "closed_on"]], on="customer")
	open_then = (matched["date"] >= matched["opened_on"]) & (
		matched["closed_on"].isna() | (matched["date"] <= matched["closed_on"])
	)
	return matched.loc[open_then & (matched["amount"] > 0), ["case", "date", "amount"]]


def read_stage_log(cases: list[str]) -> pd.DataFrame:
	if not cases:
		return pd.DataFrame(columns=["case", "on", "stage"])
	action = frappe.qb.DocType("Debt Case Action")
	rows = (
		frappe.qb.from_(action)
		.select(action.parent, action.on, action.stage)
		.where((action.parenttype == "Debt Case") & (action.action == "Stage") & action.parent.isin(cases))
		.run()
	)
	return pd.DataFrame(rows, columns=["case", "on", "stage"])


def read_promises(cases: list[str]) -> pd.DataFrame:
	if not cases:
		return pd.DataFrame(columns=["case", "made_on", "status"])
	promise = frappe.qb.DocType("Debt Promise")
	rows = (
		frappe.qb.from_(promise)
		.select(promise.parent, promise.made_on, promise.status)
		.where((promise.parenttype == "Debt Case") & promise.parent.isin(cases))
		.run()
	)
	frame = pd.DataFrame(rows, columns=["case", "made_on", "status"])
	frame["made_on"] = pd.to_datetime(frame["made_on"])
	return frame


def read_churned(customers: list[str]) -> pd.DataFrame:
	"""Churn records of the customers (the register filled by the churn status job)."""
	if not customers or not frappe.db.exists("DocType", "Churn Record"):
		return pd.DataFrame(columns=["customer", "churn_date"])
	record = frappe.qb.DocType("Churn Record")
	rows = (
		frappe.qb.from_(record)
		.select(record.customer, record.churn_date)
		.where(record.customer.isin(customers))
		.run()
	)
	frame = pd.DataFrame(rows, columns=["customer", "churn_date"])
	frame["churn_date"] = pd.to_datetime(frame["churn_date"])
	return frame


def get_data(filters, stages: list[str]) -> list[dict]:
	cases = read_cases(filters)
	if cases.empty:
		return []
	names = cases["case"].tolist()
	start, end = pd.Timestamp(filters.from_date), pd.Timestamp(filters.to_date)
	collector_of = cases.set_index("case")["collector"]

	payments = attribute_to_stage(read_payments(filters, cases), read_stage_log(names))
	payments["collector"] = payments["case"].map(collector_of)
	payments["month"] = payments["date"].dt.strftime("%Y-%m")

	opened = cases[(cases["opened_on"] >= start) & (cases["opened_on"] <= end)].copy()
	opened["month"] = opened["opened_on"].dt.strftime("%Y-%m")
	churn = read_churned(opened["customer"].unique().tolist())
	became = opened.merge(churn, on="customer", how="left")
	became = became[became["churn_date"] >= became["opened_on"]]
	opened["churned"] = opened["case"].isin(set(became["case"]))

	promises = read_promises(names)
	promises = promises[(promises["made_on"] >= start) & (promises["made_on"] <= end)].copy()
	promises["collector"] = promises["case"].map(collector_of)
	promises["month"] = promises["made_on"].dt.strftime("%Y-%m")

	keys = sorted(
		set(zip(payments["month"], payments["collector"], strict=True))
		| set(zip(opened["month"], opened["collector"], strict=True))
		| set(zip(promises["month"], promises["collector"], strict=True))
	)
	data = []
	for month, collector in keys:
		paid = payments[(payments["month"] == month) & (payments["collector"] == collector)]
		new = opened[(opened["month"] == month) & (opened["collector"] == collector)]
		made = promises[(promises["month"] == month) & (promises["collector"] == collector)]
		rate = promise_kept_rate(made["status"])
		row = {
			"month": month,
			"collector": None if collector == NO_COLLECTOR else collector,
			"opened": len(new),
			"collected": round(float(paid["amount"].sum()), 2),
			"promises_kept": int((made["status"] == KEPT).sum()),
			"promises_broken": int((made["status"] == BROKEN).sum()),
			"promise_kept_rate": None if pd.isna(rate) else round(100 * rate, 1),
			"churned": int(new["churned"].sum()),
			"churn_share": round(100 * new["churned"].mean(), 1) if len(new) else None,
		}
		for stage in stages:
			row[stage_field(stage)] = round(float(paid.loc[paid["stage"] == stage, "amount"].sum()), 2)
		data.append(row)
	return data


def get_chart(data: list[dict], stages: list[str]) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [stage_label(stage) for stage in stages],
			"datasets": [
				{"name": _("Collected"), "values": [sum(row[stage_field(s)] for row in data) for s in stages]}
			],
		},
		"type": "bar",
	}


def get_summary(data: list[dict]) -> list[dict]:
	kept = sum(row["promises_kept"] for row in data)
	settled = kept + sum(row["promises_broken"] for row in data)
	opened = sum(row["opened"] for row in data)
	return [
		{
			"value": sum(row["collected"] for row in data),
			"label": _("Collected"),
			"indicator": "Green",
			"datatype": "Currency",
		},
		{
			"value": round(100 * kept / settled, 1) if settled else 0,
			"label": _("Promise kept rate"),
			"indicator": "Blue",
			"datatype": "Percent",
		},
		{
			"value": round(100 * sum(row["churned"] for row in data) / opened, 1) if opened else 0,
			"label": _("Share who became churn"),
			"indicator": "Red",
			"datatype": "Percent",
		},
	]
