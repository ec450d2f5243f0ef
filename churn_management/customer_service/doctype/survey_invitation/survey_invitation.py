# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A customer's personal link to a survey: only the hash of its token is kept; it works once and expires."""

from frappe.model.document import Document


class SurveyInvitation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		answered_on: DF.Datetime | None
		company: DF.Link | None
		customer: DF.Link
		email: DF.Data | None
		expires_on: DF.Datetime | None
		status: DF.Literal["Sent", "No E-mail", "Answered", "Expired"]
		survey: DF.Link
		survey_response: DF.Link | None
		token_hash: DF.Data | None
	# end: auto-generated types

	pass
