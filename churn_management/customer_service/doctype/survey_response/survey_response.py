# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""One customer's answer to a satisfaction survey: a score 0-10, answers and a comment.

Staff enter answers given on a call; customers answer on the web form through their personal link. A web
answer takes its customer and survey from the link (never from the form), uses the link up in the same
transaction and keeps no token. A detractor (0-6) gets a Prevention task by the task rules.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, nowdate

from churn_management.analytics.customer_service.nps import is_valid_score, score_category
from churn_management.customer_service.survey_links import (
	DETRACTOR_TRIGGER,
	SurveyLinkInvalidError,
	check_link,
	mark_answered,
)


class SurveyScoreError(frappe.ValidationError):
	pass


class SurveyResponse(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.customer_service.doctype.survey_response_answer.survey_response_answer import (
			SurveyResponseAnswer,
		)

		answers: DF.Table[SurveyResponseAnswer]
		channel: DF.Literal["Web", "Call", "E-mail", "Visit", "Other"]
		comment: DF.SmallText | None
		company: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		invitation: DF.Link | None
		nps_category: DF.Literal["", "Promoter", "Passive", "Detractor"]
		responded_on: DF.Date
		score: DF.Int
		survey: DF.Link
		token: DF.Data | None
	# end: auto-generated types

	def before_validate(self):
		self.use_personal_link()

	def validate(self):
		self.validate_score()
		self.validate_answers()
		self.set_nps_category()

	def use_personal_link(self):
		"""A web answer (always a guest's) belongs to the customer and survey of its link."""
		if not self.is_new():
			return
		if not self.token:
			if frappe.session.user == "Guest":
				frappe.throw(
					_("This survey link is not valid. Please open the link from your e-mail."),
					SurveyLinkInvalidError,
					title=_("Survey link"),
				)
			if self.channel == "Web":
				frappe.throw(
					_(
						"Web answers come only through the customer's personal link; choose the channel you heard it on."
					),
					SurveyLinkInvalidError,
				)
			return
		invitation = check_link(self.token, for_update=True)
		self.token = None
		self.update(
			{
				"invitation": invitation.name,
				"customer": invitation.customer,
				"survey": invitation.survey,
				"company": invitation.company,
				"channel": "Web",
				"responded_on": nowdate(),
			}
		)

	def validate_score(self):
		raw = self.get("score")
		if raw in (None, "") or not is_valid_score(raw):
			frappe.throw(
				_("The score must be a whole number from 0 to 10."),
				SurveyScoreError,
				title=_("Score (0-10)"),
			)
		self.score = cint(raw)

	def validate_answers(self):
		"""Answers to the survey's own questions, in its order; anything else given is dropped."""
		if not self.survey:
			return
		questions = frappe.get_all(
			"Satisfaction Survey Question",
			filters={"parent": self.survey, "parenttype": "Satisfaction Survey"},
			pluck="question",
			order_by="idx",
		)
		given = {row.question: row.answer for row in self.answers if row.question}
		self.set("answers", [{"question": q, "answer": given.get(q)} for q in questions])

	def set_nps_category(self):
		self.nps_category = score_category(self.score)

	def after_insert(self):
		if self.invitation:
			mark_answered(self.invitation, self.name)
		self.count_on_survey()
		if self.nps_category == "Detractor" and frappe.db.exists(
			"Retention Task Rule", {"enabled": 1, "trigger": DETRACTOR_TRIGGER}
		):
			frappe.enqueue(
				"churn_management.customer_service.jobs.surveys.make_detractor_tasks",
				queue="short",
				enqueue_after_commit=True,
			)

	def on_trash(self):
		self.count_on_survey(leaving=True)

	def count_on_survey(self, leaving: bool = False):
		count = frappe.db.count("Survey Response", {"survey": self.survey}) - (1 if leaving else 0)
		frappe.db.set_value("Satisfaction Survey", self.survey, "responses", count, update_modified=False)
