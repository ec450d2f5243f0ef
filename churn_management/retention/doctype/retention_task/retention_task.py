# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""One call or action for one customer (DOMAIN.md §3, §4): win-back, prevention, reason call, renewal,
reactivation, equipment return.

A task waits until the daily job finds a manager with free time for it (highest value of a return
first); it then opens and Frappe's Assignment Rule hands it to a retention manager. The manager logs
attempts and closes it with an outcome. Returned marks the churn record won back, the customer Won
back, and restarts or re-creates the ERPNext subscription; the save is then judged N days later.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, nowdate

from churn_management.retention.doctype.retention_settings.retention_settings import (
	validate_retention_user,
	value_and_priority,
)
from churn_management.retention.doctype.retention_task.retention_task_utils import (
	call_guide,
	record_save,
	restore_subscription,
	win_back_churn_record,
)


class AttemptError(frappe.ValidationError):
	pass


class TaskOutcomeError(frappe.ValidationError):
	pass


class RetentionTask(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.retention.doctype.retention_task_attempt.retention_task_attempt import (
			RetentionTaskAttempt,
		)

		assignee: DF.Link | None
		attempt_count: DF.Int
		attempts: DF.Table[RetentionTaskAttempt]
		churn_reason: DF.Link | None
		churn_record: DF.Link | None
		closed_by: DF.Link | None
		closed_on: DF.Date | None
		company: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		customer_words: DF.SmallText | None
		due_date: DF.Date
		max_attempts: DF.Int
		minutes_spent: DF.Int
		monthly_revenue: DF.Currency
		naming_series: DF.Literal["RT-.YYYY.-"]
		notes: DF.SmallText | None
		offer: DF.SmallText | None
		offer_cost: DF.Currency
		outcome: DF.Literal["", "Returned", "Refused", "Unreachable", "Not applicable"]
		planned_method: DF.Link | None
		priority: DF.Literal["High", "Medium", "Low"]
		reason_group: DF.Link | None
		retention_campaign: DF.Link | None
		retention_method: DF.Link | None
		return_value: DF.Currency
		sales_invoice: DF.Link | None
		save_status: DF.Literal["", "Pending", "Stuck", "Lost"]
		status: DF.Literal["Waiting", "Open", "In Progress", "Closed"]
		subscription: DF.Link | None
		suspension_application: DF.Link | None
		task_rule: DF.Link | None
		task_type: DF.Literal[
			"Win-back", "Prevention", "Reason call", "Renewal", "Reactivation", "Equipment return"
		]
		termination_application: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.set_reason_context()
		self.validate_attempts()
		self.set_assignee()
		self.validate_outcome()
		self.set_offer_from_method()
		self.set_value_and_priority()
		self.set_status()

	def on_update(self):
		if self.outcome == "Returned" and self.has_value_changed("outcome"):
			self.win_back()

	def set_reason_context(self):
		"""The reason and the customer's words come from what caused the task."""
		if self.churn_record and not self.churn_reason:
			values = frappe.db.get_value(
				"Churn Record", self.churn_record, ["churn_reason", "customer_words"], as_dict=True
			)
			if values:
				self.churn_reason = values.churn_reason
				self.customer_words = self.customer_words or values.customer_words
		if self.termination_application and not self.churn_reason:
			values = frappe.db.get_value(
				"Termination Application",
				self.termination_application,
				["churn_reason", "customer_words"],
				as_dict=True,
			)
			if values:
				self.churn_reason = values.churn_reason
				self.customer_words = self.customer_words or values.customer_words
		self.reason_group = (
			frappe.db.get_value("Churn Reason", self.churn_reason, "parent_churn_reason")
			if self.churn_reason
			else None
		)

	def validate_attempts(self):
		for row in self.attempts:
			if cint(row.minutes) < 0:
				frappe.throw(
					_("Row {0}: minutes spent cannot be negative.").format(row.idx),
					AttemptError,
					title=_("Check the attempts"),
				)
		max_attempts = cint(self.max_attempts)
		before = self.get_doc_before_save()
		logged_before = len(before.attempts) if before else 0
		if max_attempts and len(self.attempts) > max(max_attempts, logged_before):
			frappe.throw(
				_("This task allows {0} attempts. Close it with an outcome, or raise Max Attempts.").format(
					max_attempts
				),
				AttemptError,
			)
		self.attempt_count = len(self.attempts)
		self.minutes_spent = sum(cint(row.minutes) for row in self.attempts)

	def set_assignee(self):
		"""Who holds the open ToDo (Frappe's Assignment Rule or the head's reassignment) has the task."""
		if self.is_new():
			return
		holder = frappe.db.get_value(
			"ToDo",
			{"reference_type": self.doctype, "reference_name": self.name, "status": "Open"},
			"allocated_to",
		)
		if holder or self.status != "Closed":
			self.assignee = holder
		validate_retention_user(self.assignee)

	def validate_outcome(self):
		if not self.outcome:
			return
		if not self.attempts and not self.flags.closed_by_system:
			frappe.throw(
				_("Log at least one attempt (when, channel, result) before setting the outcome."),
				TaskOutcomeError,
				title=_("No attempt yet"),
			)
		if self.outcome == "Returned" and not self.retention_method:
			frappe.throw(
				_("Record the retention method that brought the customer back."),
				TaskOutcomeError,
				title=_("Method missing"),
			)
		before = self.get_doc_before_save()
		if before and before.outcome == "Returned" and self.outcome != "Returned":
			frappe.throw(
				_("The customer is already marked as returned; the outcome cannot change."), TaskOutcomeError
			)

	def set_offer_from_method(self):
		if not self.retention_method or not self.has_value_changed("retention_method"):
			return
		if not self.offer_cost:
			self.offer_cost = frappe.db.get_value("Retention Method", self.retention_method, "cost") or 0

	def set_value_and_priority(self):
		if self.is_new() or self.has_value_changed("monthly_revenue"):
			self.return_value, self.priority = value_and_priority(self.monthly_revenue)

	def set_status(self):
		"""Closed once an outcome is set; In Progress once a manager has tried."""
		if self.outcome:
			if self.status != "Closed":
				self.closed_on = nowdate()
				self.closed_by = frappe.session.user
			self.status = "Closed"
		elif self.status == "Closed":
			self.status = "In Progress" if self.attempts else "Open"
			self.closed_on = self.closed_by = None
		elif self.status == "Open" and self.attempts:
			self.status = "In Progress"

	def win_back(self):
		"""The customer came back: register, customer status, subscription, and a save to judge."""
		returned_on = getdate(self.closed_on or nowdate())
		self.churn_record = win_back_churn_record(self, returned_on) or self.churn_record
		self.subscription = restore_subscription(self.customer, self.subscription, returned_on)
		self.db_set(
			{"churn_record": self.churn_record, "subscription": self.subscription, "save_status": "Pending"}
		)
		record_save(
			customer=self.customer,
			company=self.company,
			saved_on=returned_on,
			source_doctype=self.doctype,
			source_name=self.name,
			retention_method=self.retention_method,
			churn_reason=self.churn_reason,
		)

	@frappe.whitelist()
	def release(self) -> None:
		"""Hand the task out now, whatever the daily capacity (the Retention Head's call)."""
		frappe.only_for(("Retention Head", "System Manager"))
		if self.status != "Waiting":
			return
		self.status = "Open"
		self.save()


@frappe.whitelist()
def get_call_guide(task: str) -> dict:
	"""What the manager needs during the call: methods of the reason and the speech module's steps."""
	doc = frappe.get_doc("Retention Task", task)
	doc.check_permission("read")
	return call_guide(doc.churn_reason)
