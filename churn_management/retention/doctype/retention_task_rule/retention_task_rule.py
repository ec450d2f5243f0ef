# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""When the daily job makes a retention task: trigger, filters, task type, delay, due days, attempts."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

N_DAY_TRIGGERS = ("Contract ends in N days", "Membership ends in N days", "Member inactive N days")


class TaskRuleError(frappe.ValidationError):
	pass


class RetentionTaskRule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link | None
		customer_type: DF.Literal["Both", "B2B", "B2C"]
		days: DF.Int
		delay_days: DF.Int
		due_days: DF.Int
		enabled: DF.Check
		max_attempts: DF.Int
		only_without_reason: DF.Check
		reason_group: DF.Link | None
		repeat_after_days: DF.Int
		rule_name: DF.Data
		task_type: DF.Literal[
			"Win-back", "Prevention", "Reason call", "Renewal", "Reactivation", "Equipment return"
		]
		trigger: DF.Literal[
			"Churn record created",
			"Status became Pre-churn",
			"Termination application filed",
			"Contract ends in N days",
			"Membership ends in N days",
			"Member inactive N days",
			"Complaint unresolved N days",
			"Detractor in a satisfaction survey",
			"Tariff downgrade",
		]
	# end: auto-generated types

	def validate(self):
		self.validate_days_not_negative()
		self.validate_n_days()
		self.validate_max_attempts()
		self.validate_reason_group()

	def validate_days_not_negative(self):
		for fieldname in ("delay_days", "due_days", "repeat_after_days", "days"):
			if cint(self.get(fieldname)) < 0:
				frappe.throw(
					_("{0} cannot be negative.").format(_(self.meta.get_label(fieldname))),
					TaskRuleError,
					title=_("Check the rule"),
				)

	def validate_n_days(self):
		if self.trigger in N_DAY_TRIGGERS and cint(self.days) <= 0:
			frappe.throw(_("Trigger {0} needs the number of days N.").format(_(self.trigger)), TaskRuleError)

	def validate_max_attempts(self):
		if cint(self.max_attempts) < 1:
			frappe.throw(_("A task needs at least one attempt."), TaskRuleError)

	def validate_reason_group(self):
		if self.reason_group and not frappe.db.get_value("Churn Reason", self.reason_group, "is_group"):
			frappe.throw(
				_("{0} is a reason, not a reason group.").format(frappe.bold(self.reason_group)),
				TaskRuleError,
			)
