# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A customer's request from the website to end or to pause the contract.

The web form only records what the visitor typed, the same way whatever they typed: checking the
customer id against the e-mail, and drafting the application for the desk, happen in a background
job. So the answer, and the time it takes, never tell a visitor whether a customer id exists.
Nothing is ended or paused here; the desk submits the draft after talking to the customer.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.rate_limiter import rate_limit
from frappe.utils import getdate, nowdate

# requests per visitor's IP address and hour, on top of Frappe's own limit for every web form
REQUESTS_PER_HOUR = 5
PROCESS_JOB = "churn_management.customer_service.jobs.online_requests.process_online_request"


class OnlineRequestDatesError(frappe.ValidationError):
	pass


class OnlineRequest(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		application: DF.DynamicLink | None
		application_doctype: DF.Link | None
		customer: DF.Link | None
		customer_id: DF.Data
		desired_date: DF.Date
		email: DF.Data
		note: DF.SmallText | None
		pause_until: DF.Date | None
		processed_on: DF.Datetime | None
		reason: DF.SmallText
		request_type: DF.Literal["End the contract", "Pause the contract"]
		status: DF.Literal["Received", "Draft Made", "Duplicate", "Not Matched", "Needs Review"]
	# end: auto-generated types

	def before_insert(self):
		if frappe.session.user == "Guest":
			count_request_from_visitor()
			self.status = "Received"
			for fieldname in ("customer", "application_doctype", "application", "note", "processed_on"):
				self.set(fieldname, None)

	def validate(self):
		self.clean_input()
		self.validate_dates()

	def after_insert(self):
		frappe.enqueue(PROCESS_JOB, queue="short", name=self.name, enqueue_after_commit=True)

	def clean_input(self):
		self.customer_id = (self.customer_id or "").strip()
		self.email = (self.email or "").strip().lower()
		if self.request_type != "Pause the contract":
			self.pause_until = None

	def validate_dates(self):
		if getdate(self.desired_date) < getdate(nowdate()):
			frappe.throw(
				_("The date {0} has passed: choose today or a later day.").format(
					frappe.format(self.desired_date, "Date")
				),
				OnlineRequestDatesError,
				title=_("Check the dates"),
			)
		if self.pause_until and getdate(self.pause_until) < getdate(self.desired_date):
			frappe.throw(
				_("The pause ends on {0}, before it starts on {1}.").format(
					frappe.format(self.pause_until, "Date"), frappe.format(self.desired_date, "Date")
				),
				OnlineRequestDatesError,
				title=_("Check the dates"),
			)


@rate_limit(limit=REQUESTS_PER_HOUR, seconds=60 * 60, methods=["POST"])
def count_request_from_visitor() -> None:
	"""Counts a visitor's requests by IP address; past the limit Frappe refuses with "Too many requests"."""
