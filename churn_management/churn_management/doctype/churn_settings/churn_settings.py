# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Churn definitions (DOMAIN.md §1) and the classifier presets of each vertical."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, now_datetime

from churn_management.analytics.churn.presets import available_languages
from churn_management.churn_management.doctype.churn_reason.churn_reason import validate_leaf_reason
from churn_management.churn_management.doctype.churn_settings.classifier_preset import (
	load_classifier_preset,
	preview_classifier_preset,
)

VERTICALS = {"Security monitoring": "security", "Internet & cable TV": "isp", "Fitness club": "fitness"}
LANGUAGES = {"English": "en", "Russian": "ru"}


class ThresholdError(frappe.ValidationError):
	pass


class ChurnSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		churn_after_months: DF.Int
		default_company: DF.Link | None
		enable_daily_update: DF.Check
		grace_days: DF.Int
		min_debt_amount: DF.Currency
		last_run_on: DF.Datetime | None
		last_run_summary: DF.SmallText | None
		non_payment_reason: DF.Link | None
		pre_churn_days: DF.Int
		preset_language: DF.Literal["English", "Russian"]
		preset_loaded_on: DF.Datetime | None
		target_reason_coverage: DF.Percent
		vertical: DF.Literal["", "Security monitoring", "Internet & cable TV", "Fitness club"]
	# end: auto-generated types

	def validate(self):
		self.validate_thresholds()
		self.validate_non_payment_reason()

	def validate_thresholds(self):
		if cint(self.churn_after_months) < 1:
			frappe.throw(_("Involuntary churn needs at least 1 month past due."), ThresholdError)
		if cint(self.pre_churn_days) < 1:
			frappe.throw(_("Pre-churn needs at least 1 day overdue."), ThresholdError)
		if not 0 <= cint(self.grace_days) <= cint(self.pre_churn_days):
			frappe.throw(_("Grace days must be between 0 and the pre-churn days."), ThresholdError)
		if cint(self.pre_churn_days) >= cint(self.churn_after_months) * 28:
			frappe.throw(
				_("Pre-churn must start before involuntary churn: fewer days than {0} months.").format(
					self.churn_after_months
				),
				ThresholdError,
			)

		if flt(self.min_debt_amount) < 0:
			frappe.throw(_("The minimum debt amount cannot be negative."), ThresholdError)
		if not 0 <= flt(self.target_reason_coverage) <= 100:
			frappe.throw(_("The target reason coverage must be between 0 and 100 %."), ThresholdError)

	def validate_non_payment_reason(self):
		validate_leaf_reason(self.non_payment_reason)

	@frappe.whitelist()
	def preview_classifier_preset(self, vertical: str | None = None, language: str | None = None) -> dict:
		"""What loading a preset would create and what it would keep, before anything changes."""
		self.check_permission("write")
		vertical, language = self._preset_choice(vertical, language)
		return preview_classifier_preset(VERTICALS[vertical], LANGUAGES[language])

	@frappe.whitelist()
	def load_classifier_preset(self, vertical: str | None = None, language: str | None = None) -> dict:
		"""Create the reasons, methods, speech modules and competitors of a vertical's preset."""
		self.check_permission("write")
		vertical, language = self._preset_choice(vertical, language)
		created = load_classifier_preset(VERTICALS[vertical], LANGUAGES[language])
		self.reload()
		self.vertical = vertical
		self.preset_language = language
		self.preset_loaded_on = now_datetime()
		if not self.non_payment_reason and created.get("non_payment_reason"):
			self.non_payment_reason = created["non_payment_reason"]
		self.save()
		return created

	def _preset_choice(self, vertical: str | None, language: str | None) -> tuple[str, str]:
		vertical = vertical or self.vertical
		language = language or self.preset_language or "English"
		if vertical not in VERTICALS:
			frappe.throw(_("Choose the vertical whose preset to load."))
		if LANGUAGES.get(language) not in available_languages(VERTICALS[vertical]):
			frappe.throw(
				_("The {0} preset is not available in {1} yet; load it in English.").format(
					_(vertical), _(language)
				)
			)
		return vertical, language


def get_debt_rules() -> dict:
	"""What counts as debt: the minimum amount and the minimum age in days."""
	settings = frappe.get_cached_doc("Churn Settings")
	return {"min_amount": flt(settings.min_debt_amount), "min_days": cint(settings.grace_days)}


def get_thresholds():
	"""The churn definitions as the analytics core's Thresholds."""
	from churn_management.analytics.churn.states import Thresholds

	settings = frappe.get_cached_doc("Churn Settings")
	return Thresholds(
		churn_after_months=cint(settings.churn_after_months) or 3,
		pre_churn_days=cint(settings.pre_churn_days) or 30,
		grace_days=cint(settings.grace_days),
		non_payment_reason=settings.non_payment_reason or "Non-payment",
	)
