# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Small pieces the management reports share: columns, percentages, the core's language, no-data."""

from __future__ import annotations

import math

import pandas as pd

import frappe
from frappe import _

from churn_management.analytics.churn.survival import hazard_in_words

# the segment columns the lifetime analysis may use, with their labels
SEGMENT_LABELS = {
	"customer_type": "Customer Type",
	"territory": "Territory",
	"tariff": "Tariff",
	"sales_channel": "Sales Channel",
	"contract_type": "Contract Type",
	"complaints": "Complaints in 12 Months",
	"outages": "Outages in 12 Months",
}


def column(fieldname: str, label: str, fieldtype: str = "Data", width: int = 120, options: str | None = None):
	"""A report column (the label translated by the caller)."""
	spec = {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width}
	if options:
		spec["options"] = options
	return spec


def percent(value) -> float | None:
	"""A fraction of the core as a percentage for a Percent column (None stays empty)."""
	number = number_or_none(value)
	return None if number is None else round(number * 100, 2)


def number_or_none(value) -> float | None:
	if value is None or value is pd.NA:
		return None
	number = float(value)
	return None if math.isnan(number) or math.isinf(number) else number


def month_label(month) -> str:
	return pd.Timestamp(month).strftime("%Y-%m")


def core_language() -> str:
	"""The language the core writes words in (its workbook, its sentences): the user's, if it has it."""
	return "ru" if (frappe.local.lang or "").startswith("ru") else "en"


def segment_label(column_name: str) -> str:
	return _(SEGMENT_LABELS.get(column_name, column_name))


def segment_value(value) -> str:
	"""The core's placeholder values ((all), (blank), (other)) in the user's language."""
	text = str(value)
	return _(text) if text in ("(all)", "(blank)", "(other)") else text


def hazard_meaning(record: dict, language: str, significant: bool | None = None) -> str:
	"""A lifetime model's row (column, value, baseline, hazard_ratio) said in words in the user's language."""
	return hazard_in_words(
		segment_label(record["column"]),
		segment_value(record["value"]),
		segment_value(record["baseline"]),
		float(record["hazard_ratio"]),
		bool(record["significant"] if significant is None else significant),
		language,
	)


def no_data(columns: list[dict]) -> tuple:
	"""The report's answer when no customer matches the filters."""
	return columns, [], _("No customers of the company match these filters."), None, []


def card(value, label: str, datatype: str = "Int", indicator: str = "Blue") -> dict:
	return {"value": value, "label": label, "datatype": datatype, "indicator": indicator}
