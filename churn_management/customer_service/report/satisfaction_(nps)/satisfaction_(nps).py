# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Satisfaction (NPS): the Net Promoter Score overall and per segment (territory, tariff, customer type,
tenure band or month), the response rate of the personal links, and the trend by month.

Only answers to surveys the user may read are counted (so a company's user sees that company's surveys);
no customer names or comments are shown, so the report serves the analyst as well as the retention desk.
"""

import pandas as pd

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_months, getdate, nowdate

from churn_management.analytics.customer_service.nps import (
	DETRACTOR_MAX,
	monthly_trend,
	nps,
	nps_by,
	response_rate,
	tenure_band,
)
from churn_management.churn_management.doctype.churn_record.churn_record_utils import customer_profiles
from churn_management.retention.doctype.retention_task.retention_task_utils import to_frame

SEGMENTS = {
	"Territory": "territory",
	"Tariff": "tariff",
	"Customer Type": "customer_type",
	"Tenure Band": "tenure_band",
	"Month": "month",
}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	filters.to_date = getdate(filters.to_date or nowdate())
	filters.from_date = getdate(filters.from_date or add_months(filters.to_date, -12))
	surveys = readable_surveys(filters)
	responses = read_responses(surveys, filters)
	segment = filters.segment_by or "Territory"
	by_segment = nps_by(responses, SEGMENTS.get(segment, "territory"))
	columns = get_columns(segment)
	data = by_segment.to_dict("records")
	sent, answered = link_counts(surveys, filters)
	return columns, data, None, get_chart(responses), get_summary(responses, sent, answered)


def readable_surveys(filters) -> list[str]:
	"""The surveys the user may read (their company's), narrowed by the filters."""
	conditions = {}
	if filters.company:
		conditions["company"] = filters.company
	if filters.survey:
		conditions["name"] = filters.survey
	return frappe.get_list("Satisfaction Survey", filters=conditions, pluck="name")


def read_responses(surveys: list[str], filters) -> pd.DataFrame:
	"""Scores of the period with each customer's segment values (one query, then profiles in bulk)."""
	columns = ["customer", "score", "responded_on", *SEGMENTS.values()]
	if not surveys:
		return pd.DataFrame(columns=columns)
	response = frappe.qb.DocType("Survey Response")
	rows = (
		frappe.qb.from_(response)
		.select(response.customer, response.score, response.responded_on)
		.where(
			response.survey.isin(surveys)
			& (response.responded_on >= filters.from_date)
			& (response.responded_on <= filters.to_date)
		)
		.run(as_dict=True)
	)
	frame = to_frame(rows, ["customer", "score", "responded_on"])
	if frame.empty:
		return pd.DataFrame(columns=columns)
	latest = frame.groupby("customer")["responded_on"].max().to_dict()
	profiles = customer_profiles(latest, filters.company)
	frame["territory"] = frame["customer"].map(lambda c: profiles[c]["territory"])
	frame["tariff"] = frame["customer"].map(lambda c: profiles[c]["tariff"])
	frame["customer_type"] = frame["customer"].map(lambda c: profiles[c]["customer_type"])
	frame["tenure_band"] = frame["customer"].map(lambda c: tenure_band(profiles[c]["tenure_months"]))
	frame["month"] = pd.to_datetime(frame["responded_on"]).dt.strftime("%Y-%m")
	return frame.reindex(columns=columns)


def link_counts(surveys: list[str], filters) -> tuple[int, int]:
	"""Personal links sent in the period, and how many of them were answered."""
	if not surveys:
		return 0, 0
	invitation = frappe.qb.DocType("Survey Invitation")
	rows = (
		frappe.qb.from_(invitation)
		.select(invitation.status, Count(invitation.name))
		.where(
			invitation.survey.isin(surveys)
			& (invitation.creation >= filters.from_date)
			& (invitation.creation < frappe.utils.add_days(filters.to_date, 1))
		)
		.groupby(invitation.status)
		.run()
	)
	counts = dict(rows)
	return sum(counts.values()), counts.get("Answered", 0)


def get_columns(segment: str) -> list[dict]:
	return [
		{"fieldname": "segment", "label": _(segment), "fieldtype": "Data", "width": 200},
		{"fieldname": "responses", "label": _("Responses"), "fieldtype": "Int", "width": 110},
		{"fieldname": "promoters", "label": _("Promoters"), "fieldtype": "Int", "width": 110},
		{"fieldname": "passives", "label": _("Passives"), "fieldtype": "Int", "width": 110},
		{"fieldname": "detractors", "label": _("Detractors"), "fieldtype": "Int", "width": 110},
		{"fieldname": "nps", "label": _("NPS"), "fieldtype": "Float", "precision": 1, "width": 90},
	]


def get_chart(responses: pd.DataFrame) -> dict | None:
	trend = monthly_trend(responses)
	if trend.empty:
		return None
	return {
		"data": {
			"labels": trend["segment"].tolist(),
			"datasets": [{"name": _("NPS"), "values": trend["nps"].tolist()}],
		},
		"type": "line",
		"colors": ["#5e64ff"],
	}


def get_summary(responses: pd.DataFrame, sent: int, answered: int) -> list[dict]:
	score = nps(responses["score"]) if not responses.empty else None
	rate = response_rate(sent, answered)
	detractors = int((responses["score"] <= DETRACTOR_MAX).sum()) if not responses.empty else 0
	return [
		{
			"value": f"{score:.1f}" if score is not None else "-",
			"label": _("NPS"),
			"indicator": "Green" if (score or 0) > 0 else "Red",
			"datatype": "Data",
		},
		{"value": len(responses), "label": _("Responses"), "indicator": "Blue", "datatype": "Int"},
		{
			"value": f"{rate:.1f} %" if rate is not None else "-",
			"label": _("Response Rate %"),
			"indicator": "Blue",
			"datatype": "Data",
		},
		{"value": detractors, "label": _("Detractors"), "indicator": "Red", "datatype": "Int"},
	]
