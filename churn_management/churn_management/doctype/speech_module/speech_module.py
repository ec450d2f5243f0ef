# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A call script for a reason group: opening, finding the true reason, objections, offer, closing."""

import frappe
from frappe import _
from frappe.model.document import Document

STEP_ORDER = ("Opening", "Finding the true reason", "Objection", "Offer", "Closing")


class SpeechModule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.churn_management.doctype.speech_module_step.speech_module_step import (
			SpeechModuleStep,
		)

		never_say: DF.SmallText | None
		reason_group: DF.Link | None
		steps: DF.Table[SpeechModuleStep]
		title: DF.Data
	# end: auto-generated types

	def validate(self):
		self.validate_reason_group()
		self.validate_has_opening()

	def validate_reason_group(self):
		if self.reason_group and not frappe.db.get_value("Churn Reason", self.reason_group, "is_group"):
			frappe.throw(_("{0} is a reason, not a reason group.").format(frappe.bold(self.reason_group)))

	def validate_has_opening(self):
		"""A script starts with an opening; the other steps may come in any order after it."""
		if self.steps and self.steps[0].step_type != "Opening":
			frappe.throw(_("A speech module starts with an Opening step."))
