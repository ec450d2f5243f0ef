# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Lifecycle Statistics: weekly, monthly or quarterly entries into and exits from each stage,
passage along the standard path, and the days members spend in each stage."""

import pandas as pd

import frappe
from frappe import _
from frappe.utils import add_months, getdate, nowdate

from churn_management.analytics.lifecycle.segmentation import path_passage, stage_flows, time_in_stage
from churn_management.clubs.report.lifecycle_data import (
	PERIODICITIES,
	read_transitions,
	stage_order,
	standard_path,
)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	to_date = getdate(filters.get("to_date") or nowdate())
	from_date = getdate(filters.get("from_date") or add_months(to_date, -3))
	periodicity = filters.get("periodicity") if filters.get("periodicity") in PERIODICITIES else "Weekly"
	moves = read_transitions(filters, until=to_date)
	columns = get_columns()
	if moves.empty:
		return columns, [], None, None, []
	stays = time_in_stage(moves, pd.Timestamp(to_date)).set_index("stage")
	window = moves[moves["date"] >= pd.Timestamp(from_date)]
	flows = stage_flows(window, periodicity, stage_order()) if len(window) else pd.DataFrame()
	data = []
	for row in flows.to_dict("records"):
		stay = stays.loc[row["stage"]] if row["stage"] in stays.index else None
		data.append(
			{
				"period": row["period"].date(),
				"stage": row["stage"],
				"entries": int(row["entries"]),
				"exits": int(row["exits"]),
				"net": int(row["net"]),
				"mean_days": None
				if stay is None or pd.isna(stay["mean_days"])
				else round(float(stay["mean_days"]), 1),
				"in_stage_now": 0 if stay is None else int(stay["in_stage_now"]),
			}
		)
	passage = (
		path_passage(window, standard_path(filters.get("club")), periodicity)
		if len(window)
		else pd.DataFrame()
	)
	return columns, data, None, get_chart(passage), get_summary(window, passage)


def get_chart(passage: pd.DataFrame) -> dict | None:
	if passage.empty:
		return None
	return {
		"data": {
			"labels": [str(p.date()) for p in passage["period"]],
			"datasets": [
				{
					"name": _("Along The Standard Path, %"),
					"values": (100 * passage["share"]).round(1).tolist(),
				}
			],
		},
		"type": "line",
	}


def get_summary(window: pd.DataFrame, passage: pd.DataFrame) -> list[dict]:
	moved = int(window["from_stage"].notna().sum())
	on_path = int(passage["on_path"].sum()) if len(passage) else 0
	share = round(100 * on_path / moved, 1) if moved else 0
	return [
		{"value": moved, "label": _("Moves Between Stages"), "indicator": "Blue", "datatype": "Int"},
		{"value": share, "label": _("Along The Standard Path, %"), "indicator": "Green", "datatype": "Float"},
	]


def get_columns() -> list[dict]:
	return [
		{"label": _("Period"), "fieldname": "period", "fieldtype": "Date", "width": 110},
		{
			"label": _("Stage"),
			"fieldname": "stage",
			"fieldtype": "Link",
			"options": "Lifecycle Stage",
			"width": 220,
		},
		{"label": _("Entries"), "fieldname": "entries", "fieldtype": "Int", "width": 90},
		{"label": _("Exits"), "fieldname": "exits", "fieldtype": "Int", "width": 90},
		{"label": _("Net"), "fieldname": "net", "fieldtype": "Int", "width": 80},
		{
			"label": _("Average Days In Stage"),
			"fieldname": "mean_days",
			"fieldtype": "Float",
			"precision": 1,
			"width": 150,
		},
		{"label": _("In Stage Now"), "fieldname": "in_stage_now", "fieldtype": "Int", "width": 110},
	]
