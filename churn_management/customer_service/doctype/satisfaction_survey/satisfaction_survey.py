# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A satisfaction survey campaign: the questions, the customers chosen by a filter, and how long links work.

"Send" makes one personal link per chosen customer and e-mails it through Frappe's e-mail queue; sending again
reaches only customers who have no link of the survey yet.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, now_datetime

from churn_management.customer_service.doctype.satisfaction_survey.survey_sending import (
	SEND_NOW_UP_TO,
	send_invitations,
	survey_customers,
)

MAX_VALIDITY_DAYS = 365


class SurveyError(frappe.ValidationError):
	pass


class SatisfactionSurvey(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.customer_service.doctype.satisfaction_survey_question.satisfaction_survey_question import (
			SatisfactionSurveyQuestion,
		)

		churn_status: DF.Literal["", "Active", "Overdue", "Pre-churn", "Churned", "Won back"]
		company: DF.Link
		customer_group: DF.Link | None
		introduction: DF.SmallText | None
		links_sent: DF.Int
		questions: DF.Table[SatisfactionSurveyQuestion]
		responses: DF.Int
		score_question: DF.Data
		sent_on: DF.Datetime | None
		status: DF.Literal["Draft", "Sent", "Closed"]
		survey_title: DF.Data
		tariff: DF.Link | None
		territory: DF.Link | None
		validity_days: DF.Int
	# end: auto-generated types

	def validate(self):
		self.validate_validity_days()
		self.validate_questions_unique()

	def validate_validity_days(self):
		if not 0 < cint(self.validity_days) <= MAX_VALIDITY_DAYS:
			frappe.throw(
				_("A survey link is valid from 1 to {0} days.").format(MAX_VALIDITY_DAYS), SurveyError
			)

	def validate_questions_unique(self):
		seen = set()
		for row in self.questions:
			if row.question in seen:
				frappe.throw(
					_("Row {0}: the question {1} is asked twice.").format(row.idx, frappe.bold(row.question)),
					SurveyError,
				)
			seen.add(row.question)

	@frappe.whitelist()
	def send(self) -> int:
		"""Make and e-mail the personal links (in the background when there are many)."""
		self.check_permission("write")
		if self.status == "Closed":
			frappe.throw(_("The survey is closed."), SurveyError)
		customers = survey_customers(self)
		if not customers:
			frappe.throw(
				_("No customer matches the survey's filters or every one has a link already."), SurveyError
			)
		self.db_set({"status": "Sent", "sent_on": self.sent_on or now_datetime()})
		if len(customers) <= SEND_NOW_UP_TO:
			return send_invitations(self.name)
		frappe.enqueue(
			"churn_management.customer_service.doctype.satisfaction_survey.survey_sending.send_invitations",
			queue="long",
			timeout=3600,
			survey=self.name,
			enqueue_after_commit=True,
		)
		frappe.msgprint(_("{0} links are being sent in the background.").format(len(customers)), alert=True)
		return 0

	@frappe.whitelist()
	def close(self) -> None:
		"""No more links are sent; links already sent still work until they expire."""
		self.check_permission("write")
		self.db_set("status", "Closed")
