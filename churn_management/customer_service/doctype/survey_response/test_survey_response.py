# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Satisfaction surveys end to end: sending personal links, a guest answering through the web form, reused,
expired and unknown links, scores outside 0-10, detractors' tasks, the NPS report and who sees the answers."""

import email
import json
import re

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime, nowdate
from frappe.website.doctype.web_form.web_form import accept

from churn_management.customer_service.doctype.satisfaction_survey.satisfaction_survey import SurveyError
from churn_management.customer_service.doctype.survey_response.survey_response import SurveyScoreError
from churn_management.customer_service.jobs.surveys import make_detractor_tasks
from churn_management.customer_service.survey_links import (
	SurveyLinkExpiredError,
	SurveyLinkInvalidError,
	SurveyLinkUsedError,
	expire_links,
	hash_token,
	link_context,
)
from churn_management.tests.customer_service_utils import (
	CUSTOMER_SERVICE_TEST_IGNORE,
	make_rule,
	make_survey,
	make_survey_customer,
)
from churn_management.tests.debt_utils import ensure_outgoing_email_account
from churn_management.tests.retention_utils import ANALYST, DESK, HEAD, MANAGER, make_retention_users
from churn_management.tests.utils import get_company, make_company

test_ignore = CUSTOMER_SERVICE_TEST_IGNORE
NPS_REPORT = "churn_management.customer_service.report.satisfaction_(nps).satisfaction_(nps)"


def sent_token(invitation: str) -> str:
	"""The token of a personal link, read from the e-mail in Frappe's queue (the database keeps its hash)."""
	message = frappe.db.get_value(
		"Email Queue", {"reference_doctype": "Survey Invitation", "reference_name": invitation}, "message"
	)
	parts = email.message_from_string(message).walk()
	text = "".join(
		(part.get_payload(decode=True) or b"").decode() for part in parts if not part.is_multipart()
	)
	return re.search(r"token=([A-Za-z0-9_\-]+)", text).group(1)


def answer_on_the_web(token: str, score, **values):
	"""What the web form posts, as a guest."""
	frappe.set_user("Guest")
	try:
		return accept("survey", json.dumps({"token": token, "score": score, **values}))
	finally:
		frappe.set_user("Administrator")


class TestSatisfactionSurvey(FrappeTestCase):
	def setUp(self):
		make_retention_users()
		ensure_outgoing_email_account()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.delete("User Permission", {"user": MANAGER})

	def send_survey(self, **values):
		"""A survey of two customers (one without an e-mail), sent by the Retention Head."""
		territory = make_territory()
		self.customer = make_survey_customer(churn_status="Pre-churn", territory=territory)
		self.silent = make_survey_customer(email="", churn_status="Pre-churn", territory=territory)
		self.elsewhere = make_survey_customer(territory=territory)  # Active: the filter leaves them out
		survey = make_survey(churn_status="Pre-churn", territory=territory, **values)
		frappe.set_user(HEAD)
		survey.reload()
		made = survey.send()
		frappe.set_user("Administrator")
		self.invitation = frappe.db.get_value(
			"Survey Invitation", {"survey": survey.name, "customer": self.customer}, "name"
		)
		return survey, made

	def test_send_makes_one_personal_link_per_chosen_customer(self):
		survey, made = self.send_survey()
		links = frappe.get_all(
			"Survey Invitation", filters={"survey": survey.name}, fields=["customer", "status", "token_hash"]
		)
		self.assertEqual(made, 2)
		self.assertEqual(
			{row.customer: row.status for row in links}, {self.customer: "Sent", self.silent: "No E-mail"}
		)
		token = sent_token(self.invitation)
		self.assertEqual(
			frappe.db.get_value("Survey Invitation", self.invitation, "token_hash"), hash_token(token)
		)
		self.assertFalse(frappe.db.exists("Survey Invitation", {"token_hash": token}))
		self.assertEqual(
			frappe.db.get_value("Satisfaction Survey", survey.name, ["status", "links_sent"]), ("Sent", 2)
		)
		frappe.set_user(HEAD)
		self.assertRaises(SurveyError, frappe.get_doc("Satisfaction Survey", survey.name).send)
		self.assertEqual(frappe.db.count("Survey Invitation", {"survey": survey.name}), 2)

	def test_a_retention_manager_cannot_send(self):
		survey = make_survey()
		frappe.set_user(MANAGER)
		self.assertRaises(frappe.PermissionError, frappe.get_doc("Satisfaction Survey", survey.name).send)

	def test_a_guest_answers_through_the_personal_link(self):
		survey, _made = self.send_survey()
		token = sent_token(self.invitation)
		self.assertEqual(
			link_context(token)["questions"], ["What should we improve?", "Would you stay another year?"]
		)
		answer_on_the_web(
			token,
			9,
			comment="Fast and friendly",
			customer=self.silent,  # not a field of the web form: ignored
			answers=[
				{"question": "What should we improve?", "answer": "Evening speed"},
				{"question": "Something else", "answer": "ignored"},
			],
		)
		response = frappe.get_doc("Survey Response", {"invitation": self.invitation})
		self.assertEqual(
			(response.customer, response.survey, response.company),
			(self.customer, survey.name, get_company()),
		)
		self.assertEqual((response.channel, response.score, response.nps_category), ("Web", 9, "Promoter"))
		self.assertFalse(response.token)
		self.assertEqual(
			[(row.question, row.answer) for row in response.answers],
			[("What should we improve?", "Evening speed"), ("Would you stay another year?", None)],
		)
		self.assertEqual(
			frappe.db.get_value("Survey Invitation", self.invitation, ["status", "survey_response"]),
			("Answered", response.name),
		)
		self.assertEqual(frappe.db.get_value("Satisfaction Survey", survey.name, "responses"), 1)

	def test_a_link_works_once(self):
		self.send_survey()
		token = sent_token(self.invitation)
		answer_on_the_web(token, 8)
		self.assertRaises(SurveyLinkUsedError, answer_on_the_web, token, 2)
		self.assertEqual(frappe.db.count("Survey Response", {"customer": self.customer}), 1)
		self.assertIn(_used_message(), link_context(token)["error"])

	def test_an_expired_link_is_refused(self):
		self.send_survey()
		token = sent_token(self.invitation)
		frappe.db.set_value("Survey Invitation", self.invitation, "expires_on", add_days(now_datetime(), -1))
		self.assertRaises(SurveyLinkExpiredError, answer_on_the_web, token, 8)
		self.assertFalse(frappe.db.exists("Survey Response", {"customer": self.customer}))
		self.assertIn("expired", link_context(token)["error"])
		self.assertGreaterEqual(expire_links(), 1)
		self.assertEqual(frappe.db.get_value("Survey Invitation", self.invitation, "status"), "Expired")

	def test_an_unknown_link_or_none_is_refused(self):
		self.send_survey()
		self.assertRaises(SurveyLinkInvalidError, answer_on_the_web, "made-up-token", 8)
		self.assertRaises(SurveyLinkInvalidError, answer_on_the_web, "", 8)
		self.assertIn("not valid", link_context("made-up-token")["error"])

	def test_a_score_outside_0_to_10_saves_nothing(self):
		self.send_survey()
		token = sent_token(self.invitation)
		for score in (11, -1, "", 7.5, "ten"):
			self.assertRaises(SurveyScoreError, answer_on_the_web, token, score)
		self.assertEqual(frappe.db.get_value("Survey Invitation", self.invitation, "status"), "Sent")
		self.assertFalse(frappe.db.exists("Survey Response", {"customer": self.customer}))
		frappe.set_user(MANAGER)
		call = _call_answer(self.customer, frappe.get_last_doc("Satisfaction Survey").name, 12)
		self.assertRaises(SurveyScoreError, call.insert)
		typed_as_web = _call_answer(
			self.customer, frappe.get_last_doc("Satisfaction Survey").name, 8, channel="Web"
		)
		self.assertRaises(SurveyLinkInvalidError, typed_as_web.insert)
		self.assertFalse(frappe.db.exists("Survey Response", {"customer": self.customer}))

	def test_a_detractor_gets_one_prevention_task(self):
		rule = make_rule("Detractor in a satisfaction survey")
		survey = make_survey()
		detractor, passive = make_survey_customer(), make_survey_customer()
		frappe.set_user(MANAGER)
		_call_answer(detractor, survey.name, 3).insert()
		_call_answer(passive, survey.name, 7).insert()
		frappe.set_user("Administrator")
		self.assertEqual(make_detractor_tasks(), 1)
		task = frappe.get_all(
			"Retention Task",
			filters={"customer": detractor, "task_rule": rule},
			fields=["task_type", "company"],
		)
		self.assertEqual([(t.task_type, t.company) for t in task], [("Prevention", get_company())])
		self.assertFalse(frappe.db.exists("Retention Task", {"customer": passive}))
		self.assertEqual(make_detractor_tasks(), 0)

	def test_answers_reach_only_the_retention_roles(self):
		survey = make_survey()
		customer = make_survey_customer()
		frappe.set_user(MANAGER)
		response = _call_answer(customer, survey.name, 6, comment="Too expensive").insert()
		self.assertEqual(response.nps_category, "Detractor")
		for user, can_read in (
			(MANAGER, True),
			(HEAD, True),
			(ANALYST, False),
			(DESK, False),
			("Guest", False),
		):
			frappe.set_user(user)
			self.assertEqual(frappe.has_permission("Survey Response", "read", response.name), can_read, user)
			self.assertFalse(frappe.has_permission("Survey Invitation", "write"), user)
		for user in (ANALYST, DESK, "Guest"):
			frappe.set_user(user)
			self.assertRaises(
				frappe.PermissionError,
				frappe.get_doc("Survey Response", response.name).check_permission,
				"read",
			)
		frappe.set_user("Guest")
		self.assertFalse(frappe.has_permission("Survey Invitation", "read"))
		self.assertFalse(frappe.has_permission("Satisfaction Survey", "read"))

	def test_a_manager_of_one_company_sees_neither_answers_nor_nps_of_another(self):
		other = make_company("_Test Survey Other Co", "_TSO")
		ours, theirs = make_survey(), make_survey(company=other)
		_call_answer(make_survey_customer(), ours.name, 10).insert()
		_call_answer(make_survey_customer(), theirs.name, 0).insert()
		theirs_response = frappe.get_last_doc("Survey Response", {"survey": theirs.name})
		frappe.get_doc(
			{"doctype": "User Permission", "user": MANAGER, "allow": "Company", "for_value": get_company()}
		).insert(ignore_permissions=True)
		frappe.set_user(MANAGER)
		self.assertFalse(frappe.has_permission("Survey Response", "read", theirs_response.name))
		self.assertEqual(
			frappe.get_list(
				"Survey Response", filters={"survey": ("in", [ours.name, theirs.name])}, pluck="survey"
			),
			[ours.name],
		)
		_columns, data, *_rest = nps_report().execute({"survey": ours.name, "segment_by": "Customer Type"})
		self.assertEqual([(row["responses"], row["nps"]) for row in data], [(1, 100.0)])
		_columns, data, *_rest = nps_report().execute({"survey": theirs.name, "segment_by": "Customer Type"})
		self.assertEqual(data, [])
		_columns, data, *_rest = nps_report().execute({"company": other, "segment_by": "Customer Type"})
		self.assertEqual(data, [])

	def test_nps_report_overall_per_segment_by_month_and_response_rate(self):
		survey, _made = self.send_survey()
		answer_on_the_web(sent_token(self.invitation), 10)
		_call_answer(self.silent, survey.name, 4).insert()
		frappe.set_user(ANALYST)
		columns, data, _message, chart, summary = nps_report().execute(
			{"company": get_company(), "survey": survey.name, "segment_by": "Customer Type"}
		)
		self.assertEqual([c["fieldname"] for c in columns][-1], "nps")
		self.assertEqual(
			data,
			[{"segment": "B2C", "responses": 2, "promoters": 1, "passives": 0, "detractors": 1, "nps": 0.0}],
		)
		self.assertEqual(chart["data"]["labels"], [nowdate()[:7]])
		values = {card["label"]: card["value"] for card in summary}
		self.assertEqual((values["NPS"], values["Response Rate %"]), ("0.0", "50.0 %"))
		self.assertEqual(values["Responses"], 2)
		_columns, by_tenure, *_rest = nps_report().execute(
			{"survey": survey.name, "segment_by": "Tenure Band"}
		)
		self.assertEqual([row["segment"] for row in by_tenure], ["0-6 months"])


def make_territory() -> str:
	"""A territory of its own, so a test's survey reaches only that test's customers."""
	return (
		frappe.get_doc(
			{
				"doctype": "Territory",
				"territory_name": f"_Test Survey Territory {frappe.generate_hash(length=6)}",
				"parent_territory": frappe.db.get_value("Territory", {"is_group": 1}, "name"),
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def nps_report():
	import importlib

	return importlib.import_module(NPS_REPORT)


def _call_answer(customer: str, survey: str, score, **values):
	"""An answer a retention manager types in from a call."""
	return frappe.get_doc(
		{
			"doctype": "Survey Response",
			"customer": customer,
			"survey": survey,
			"score": score,
			"channel": "Call",
			"responded_on": nowdate(),
			**values,
		}
	)


def _used_message() -> str:
	return "already been used"
