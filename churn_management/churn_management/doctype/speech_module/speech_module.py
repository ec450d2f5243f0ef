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
		self.drop_repeated_step_types()

	def validate_reason_group(self):
		if self.reason_group and not frappe.db.get_value("Churn Reason", self.reason_group, "is_group"):
			frappe.throw(_("{0} is a reason, not a reason group.").format(frappe.bold(self.reason_group)))

	def validate_has_opening(self):
		"""A script starts with an opening; the other steps may come in any order after it."""
		if self.steps and self.steps[0].step_type != "Opening":
			frappe.throw(_("A speech module starts with an Opening step."))

	def drop_repeated_step_types(self):
		"""A step shows as "Objection: 'Too dear'"; a title "Objection: 'Too dear'" or "Objection" says it twice."""
		for step in self.steps:
			step.title = step_title(step.step_type, step.title)


def step_title(step_type: str, title: str | None) -> str | None:
	"""The step's title without a leading repeat of its type, in English or in the desk's language."""
	if not title:
		return title
	site_language = frappe.db.get_default("lang") or "en"
	words = {
		step_type,
		_(step_type),
		_(step_type, context="Speech Module Step"),
		_(step_type, lang=site_language),
		_(step_type, lang=site_language, context="Speech Module Step"),
	}
	for word in sorted(words, key=len, reverse=True):
		if title.strip().casefold() == word.casefold():
			return None
		prefix = f"{word}:"
		if title.casefold().startswith(prefix.casefold()):
			return title[len(prefix) :].strip() or None
	return title
