# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Staff Motivation: per employee and month the fixed and variable pay, each KPI's figure and pay, and
what was taken back for saves that did not stick. Reads only the statements the user may see."""

import pandas as pd

import frappe
from frappe import _
from frappe.utils import flt

from churn_management.analytics.management.motivation import KPIS, staff_table

STATEMENT_FIELDS = ["name as statement", "employee_user", "employee_name", "period_start", "scheme"]


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	statements = read_statements(filters)
	if statements.empty:
		return columns(), [], _("No Motivation Statement in the period."), None, []
	lines = pd.DataFrame(
		frappe.get_all(
			"Motivation Statement Line",
			filters={
				"parenttype": "Motivation Statement",
				"parent": ("in", statements["statement"].tolist()),
			},
			fields=["parent as statement", "kpi", "quantity", "amount", "takes_back"],
			as_list=True,
		),
		columns=["statement", "kpi", "quantity", "amount", "takes_back"],
	)
	table = staff_table(statements, lines)
	table["employee_name"] = table["statement"].map(statements.set_index("statement")["employee_name"])
	data = [row_of(row) for row in table.to_dict("records")]
	return columns(), data, None, chart(table), summary(table)


def read_statements(filters) -> pd.DataFrame:
	"""The statements of the period this user may see (their own only, for an employee)."""
	conditions = {"docstatus": ("in", (0, 1) if filters.include_drafts else (1,))}
	for field in ("company", "employee_user", "scheme"):
		if filters.get(field):
			conditions[field] = filters[field]
	if filters.from_date and filters.to_date:
		conditions["period_start"] = ("between", (filters.from_date, filters.to_date))
	rows = frappe.get_list(
		"Motivation Statement",
		filters=conditions,
		fields=[*STATEMENT_FIELDS, "fixed_amount", "docstatus"],
		order_by="period_start asc, employee_user asc",
		limit_page_length=0,
		as_list=True,
	)
	return pd.DataFrame(
		rows,
		columns=[
			"statement",
			"employee_user",
			"employee_name",
			"period_start",
			"scheme",
			"fixed_amount",
			"docstatus",
		],
	)


def columns() -> list[dict]:
	cols = [
		{
			"fieldname": "statement",
			"label": _("Motivation Statement"),
			"fieldtype": "Link",
			"options": "Motivation Statement",
			"width": 150,
		},
		{
			"fieldname": "employee_user",
			"label": _("Employee User", context="Staff Motivation"),
			"fieldtype": "Link",
			"options": "User",
			"width": 180,
		},
		{
			"fieldname": "employee_name",
			"label": _("Employee Name", context="Staff Motivation"),
			"fieldtype": "Data",
			"width": 150,
		},
		{"fieldname": "period_start", "label": _("Month"), "fieldtype": "Date", "width": 100},
		{
			"fieldname": "scheme",
			"label": _("Motivation Scheme"),
			"fieldtype": "Link",
			"options": "Motivation Scheme",
			"width": 140,
		},
		{"fieldname": "fixed_amount", "label": _("Fixed Part"), "fieldtype": "Currency", "width": 110},
		{"fieldname": "variable_amount", "label": _("Variable Part"), "fieldtype": "Currency", "width": 110},
		{"fieldname": "taken_back", "label": _("Taken Back"), "fieldtype": "Currency", "width": 110},
		{"fieldname": "total_amount", "label": _("Total Pay"), "fieldtype": "Currency", "width": 110},
	]
	for number, kpi in enumerate(KPIS):
		label = _(kpi)
		cols.append(
			{"fieldname": f"qty_{number}", "label": label, "fieldtype": "Float", "precision": 2, "width": 120}
		)
		cols.append(
			{
				"fieldname": f"pay_{number}",
				"label": _("{0}: pay").format(label),
				"fieldtype": "Currency",
				"width": 120,
			}
		)
	return cols


def row_of(row: dict) -> dict:
	out = {
		key: row.get(key) for key in ("statement", "employee_user", "employee_name", "period_start", "scheme")
	}
	for key in ("fixed_amount", "variable_amount", "taken_back", "total_amount"):
		out[key] = flt(row.get(key), 2)
	for number, kpi in enumerate(KPIS):
		out[f"qty_{number}"] = _number(row.get(f"qty:{kpi}"))
		out[f"pay_{number}"] = _number(row.get(f"pay:{kpi}"))
	return out


def chart(table: pd.DataFrame) -> dict:
	"""Fixed and variable pay per employee over the period, stacked."""
	per_employee = table.groupby("employee_user")[["fixed_amount", "variable_amount"]].sum()
	return {
		"data": {
			"labels": per_employee.index.tolist(),
			"datasets": [
				{"name": _("Fixed Part"), "values": per_employee["fixed_amount"].round(2).tolist()},
				{"name": _("Variable Part"), "values": per_employee["variable_amount"].round(2).tolist()},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"fieldtype": "Currency",
	}


def summary(table: pd.DataFrame) -> list[dict]:
	return [
		{"value": len(table), "label": _("Statements"), "indicator": "Blue", "datatype": "Int"},
		{
			"value": flt(table["fixed_amount"].sum(), 2),
			"label": _("Fixed Part"),
			"indicator": "Blue",
			"datatype": "Currency",
		},
		{
			"value": flt(table["variable_amount"].sum(), 2),
			"label": _("Variable Part"),
			"indicator": "Green",
			"datatype": "Currency",
		},
		{
			"value": flt(table["taken_back"].sum(), 2),
			"label": _("Taken Back"),
			"indicator": "Red",
			"datatype": "Currency",
		},
	]


def _number(value) -> float | None:
	return None if value is None or pd.isna(value) else flt(value, 2)
