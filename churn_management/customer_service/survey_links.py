# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Personal survey links: a random token per customer, stored only as its SHA-256, that works once and expires.

The customer's link opens the web form "survey" with the token; the page shows the survey's questions, and the
answer is accepted only while the link is unused and unexpired. Every refusal is one clear translated message
that says nothing about other customers. Detractors (0-6) are the candidates of the task rule trigger
"Detractor in a satisfaction survey".
"""

import hashlib
import secrets
from urllib.parse import urlencode

import pandas as pd

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import add_days, get_datetime, get_url, now_datetime

from churn_management.analytics.customer_service.nps import DETRACTOR_MAX
from churn_management.retention.doctype.retention_task.retention_task_utils import to_frame

WEB_FORM_ROUTE = "survey"
DETRACTOR_TRIGGER = "Detractor in a satisfaction survey"
PAGE_VIEWS_PER_MINUTE = 20


class SurveyLinkError(frappe.ValidationError):
	pass


class SurveyLinkInvalidError(SurveyLinkError):
	pass


class SurveyLinkUsedError(SurveyLinkError):
	pass


class SurveyLinkExpiredError(SurveyLinkError):
	pass


def new_token() -> tuple[str, str]:
	"""A fresh token for the e-mail and the hash kept in the database."""
	token = secrets.token_urlsafe(32)
	return token, hash_token(token)


def hash_token(token: str) -> str:
	return hashlib.sha256(token.encode()).hexdigest()


def link_url(token: str, language: str | None = None) -> str:
	"""The personal link: the web form with the token (and the customer's language)."""
	query = {"token": token}
	if language:
		query["_lang"] = language
	return get_url(f"/{WEB_FORM_ROUTE}/new?{urlencode(query)}")


def check_link(token: str | None, for_update: bool = False) -> frappe._dict:
	"""The invitation of a working link, or a translated refusal (unknown, used or expired)."""
	invitation = None
	if token and isinstance(token, str):
		invitation = frappe.db.get_value(
			"Survey Invitation",
			{"token_hash": hash_token(token)},
			["name", "survey", "customer", "company", "status", "expires_on"],
			as_dict=True,
			for_update=for_update,
		)
	if not invitation:
		frappe.throw(
			_("This survey link is not valid. Please open the link from your e-mail."),
			SurveyLinkInvalidError,
			title=_("Survey link"),
		)
	if invitation.status == "Answered":
		frappe.throw(
			_("This survey link has already been used. Thank you, your answer is saved."),
			SurveyLinkUsedError,
			title=_("Survey link"),
		)
	if invitation.status == "Expired" or get_datetime(invitation.expires_on) <= now_datetime():
		frappe.throw(
			_("This survey link has expired. Thank you for your time."),
			SurveyLinkExpiredError,
			title=_("Survey link"),
		)
	return invitation


@rate_limit(limit=PAGE_VIEWS_PER_MINUTE, seconds=60)
def link_context(token: str | None) -> dict:
	"""What the survey page shows for a token: the survey's questions, or why the link does not work."""
	try:
		invitation = check_link(token)
	except SurveyLinkError as error:
		frappe.clear_last_message()
		return {"error": str(error)}
	survey = frappe.get_doc("Satisfaction Survey", invitation.survey)
	return {
		"title": survey.survey_title,
		"introduction": survey.introduction or "",
		"score_question": survey.score_question,
		"questions": [row.question for row in survey.questions],
	}


def mark_answered(invitation: str, response: str) -> None:
	"""The link has done its work: it never opens again."""
	frappe.db.set_value(
		"Survey Invitation",
		invitation,
		{"status": "Answered", "answered_on": now_datetime(), "survey_response": response},
	)


def expire_links(now=None) -> int:
	"""Links past their date turn Expired (one update)."""
	invitation = frappe.qb.DocType("Survey Invitation")
	condition = invitation.status.isin(["Sent", "No E-mail"]) & (
		invitation.expires_on <= (now or now_datetime())
	)
	found = frappe.qb.from_(invitation).select(invitation.name).where(condition).run()
	if found:
		frappe.qb.update(invitation).set(invitation.status, "Expired").where(condition).run()
	return len(found)


def detractor_task_candidates(since, ready_by) -> pd.DataFrame:
	"""Customers who scored 0-6 in a survey answered between ``since`` and ``ready_by``."""
	response = frappe.qb.DocType("Survey Response")
	rows = (
		frappe.qb.from_(response)
		.select(response.customer, response.company)
		.where(
			(response.score <= DETRACTOR_MAX)
			& (response.responded_on >= since)
			& (response.responded_on <= ready_by)
		)
		.orderby(response.responded_on, order=frappe.qb.desc)
		.run(as_dict=True)
	)
	return to_frame(rows, ["customer", "company"]).drop_duplicates("customer")


def expiry_from_now(days: int):
	return add_days(now_datetime(), days)
