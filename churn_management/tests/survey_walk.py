# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Data for the browser test of the survey web form (tools/survey-web-form): one survey and one personal link.

Run on a test site, never on a real one; each call makes a fresh customer and link and commits them
(the browser reads them through the web server). ``delete_survey_link`` removes them again.
"""

import frappe
from frappe.utils import cint

from churn_management.customer_service.survey_links import expiry_from_now, link_url, new_token
from churn_management.tests.customer_service_utils import make_survey, make_survey_customer

WALK_SURVEY = "_Walk Survey"


def make_survey_link(language: str = "en") -> dict:
	"""A survey with two questions, a customer and their personal link (the URL holds the token)."""
	frappe.set_user("Administrator")
	survey = frappe.db.get_value("Satisfaction Survey", {"survey_title": WALK_SURVEY}, "name")
	survey = survey or make_survey(survey_title=WALK_SURVEY).name
	customer = make_survey_customer()
	token, token_hash = new_token()
	invitation = frappe.get_doc(
		{
			"doctype": "Survey Invitation",
			"survey": survey,
			"customer": customer,
			"company": frappe.db.get_value("Satisfaction Survey", survey, "company"),
			"status": "Sent",
			"expires_on": expiry_from_now(
				cint(frappe.db.get_value("Satisfaction Survey", survey, "validity_days"))
			),
			"token_hash": token_hash,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: the browser reads the link through the web server
	return {"invitation": invitation.name, "customer": customer, "url": link_url(token, language)}


def survey_answer(invitation: str) -> dict | None:
	"""What the web form saved for the link: the response's customer, score, channel, answers and comment."""
	response = frappe.db.get_value("Survey Invitation", invitation, "survey_response")
	if not response:
		return None
	doc = frappe.get_doc("Survey Response", response)
	return {
		"customer": doc.customer,
		"score": doc.score,
		"channel": doc.channel,
		"comment": doc.comment,
		"answers": {row.question: row.answer for row in doc.answers},
		"link_status": frappe.db.get_value("Survey Invitation", invitation, "status"),
	}


def delete_survey_link(invitation: str) -> None:
	"""Remove what make_survey_link and the answer made (the survey too, once it has no other link)."""
	values = frappe.db.get_value(
		"Survey Invitation", invitation, ["customer", "survey_response"], as_dict=True
	)
	if not values:
		return
	if values.survey_response:
		frappe.delete_doc("Survey Response", values.survey_response, ignore_permissions=True, force=True)
	survey = frappe.db.get_value("Survey Invitation", invitation, "survey")
	frappe.delete_doc("Survey Invitation", invitation, ignore_permissions=True, force=True)
	if not frappe.db.exists("Survey Invitation", {"survey": survey}):
		frappe.delete_doc("Satisfaction Survey", survey, ignore_permissions=True, force=True)
	for subscription in frappe.get_all("Subscription", filters={"party": values.customer}, pluck="name"):
		frappe.delete_doc("Subscription", subscription, ignore_permissions=True, force=True)
	frappe.delete_doc("Customer", values.customer, ignore_permissions=True, force=True)
	frappe.db.commit()  # nosemgrep: the test site is left as it was
