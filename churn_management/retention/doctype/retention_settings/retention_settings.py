# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Settings of the retention desk: staff time, priorities, save judgement and pauses."""

import json
from pathlib import Path

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from churn_management.analytics.retention.work import (
	expected_remaining_lifetime,
	priority_level,
	return_value,
)

RETENTION_ROLES = ("Retention Manager", "Retention Head")
MINUTES_FIELDS = {
	"Win-back": "minutes_win_back",
	"Prevention": "minutes_prevention",
	"Reason call": "minutes_reason_call",
	"Renewal": "minutes_renewal",
	"Reactivation": "minutes_reactivation",
	"Equipment return": "minutes_equipment_return",
}
DEFAULT_MINUTES = 15
PRESET_FILE = Path(__file__).resolve().parents[3] / "presets" / "retention" / "task_rules.json"


class RetentionSettingsError(frappe.ValidationError):
	pass


class RetentionSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.retention.doctype.retention_manager_capacity.retention_manager_capacity import (
			RetentionManagerCapacity,
		)

		assignment_rule: DF.Link | None
		enable_daily_jobs: DF.Check
		high_priority_from: DF.Currency
		judge_after_days: DF.Literal["30", "60", "90"]
		last_run_on: DF.Datetime | None
		last_run_summary: DF.SmallText | None
		managers: DF.Table[RetentionManagerCapacity]
		max_lifetime_months: DF.Int
		max_pause_days: DF.Int
		medium_priority_from: DF.Currency
		minutes_equipment_return: DF.Int
		minutes_per_day: DF.Int
		minutes_prevention: DF.Int
		minutes_reactivation: DF.Int
		minutes_reason_call: DF.Int
		minutes_renewal: DF.Int
		minutes_win_back: DF.Int
		monthly_churn_rate: DF.Percent
		pause_return_days: DF.Int
		payment_grace_days: DF.Int
	# end: auto-generated types

	def validate(self):
		self.validate_minutes()
		self.validate_priorities()
		self.validate_managers()

	def validate_minutes(self):
		for fieldname in ("minutes_per_day", *MINUTES_FIELDS.values()):
			if cint(self.get(fieldname)) < 0:
				frappe.throw(
					_("{0} cannot be negative.").format(_(self.meta.get_label(fieldname))),
					RetentionSettingsError,
				)

	def validate_priorities(self):
		if flt(self.medium_priority_from) > flt(self.high_priority_from):
			frappe.throw(
				_("High priority must start at a higher value than medium priority."), RetentionSettingsError
			)

	def validate_managers(self):
		for row in self.managers:
			validate_retention_user(row.user)

	@frappe.whitelist()
	def load_task_rules(self) -> int:
		"""Create the preset task rules of the vertical chosen in Churn Settings (never twice)."""
		self.check_permission("write")
		return load_task_rule_preset()


def load_task_rule_preset(vertical: str | None = None, language: str | None = None) -> int:
	"""The shipped task rules of a vertical, in the preset language; existing rules stay as they are."""
	from churn_management.churn_management.doctype.churn_settings.churn_settings import VERTICALS

	vertical = vertical or frappe.db.get_single_value("Churn Settings", "vertical")
	language = language or frappe.db.get_single_value("Churn Settings", "preset_language") or "English"
	if vertical not in VERTICALS:
		frappe.throw(_("Choose the vertical in Churn Settings first."), RetentionSettingsError)
	presets = json.loads(PRESET_FILE.read_text(encoding="utf-8"))
	created = 0
	for rule in presets[VERTICALS[vertical]]:
		values = dict(rule)
		name_ru = values.pop("rule_name_ru", None)
		if language == "Russian" and name_ru:
			values["rule_name"] = name_ru
		if frappe.db.exists("Retention Task Rule", values["rule_name"]):
			continue
		frappe.get_doc({"doctype": "Retention Task Rule", "enabled": 1, **values}).insert()
		created += 1
	return created


class AssigneeRoleError(frappe.ValidationError):
	pass


def validate_retention_user(user: str | None) -> None:
	"""Only retention staff work retention tasks."""
	if not user or user == "Administrator":
		return
	if not set(frappe.get_roles(user)) & set(RETENTION_ROLES):
		frappe.throw(
			_("{0} has neither the Retention Manager nor the Retention Head role.").format(frappe.bold(user)),
			AssigneeRoleError,
			title=_("Not retention staff"),
		)


def get_settings():
	return frappe.get_cached_doc("Retention Settings")


def minutes_per_task(task_type: str, settings=None) -> int:
	settings = settings or get_settings()
	return cint(settings.get(MINUTES_FIELDS.get(task_type, ""))) or DEFAULT_MINUTES


def value_and_priority(monthly_revenue: float, settings=None) -> tuple[float, str]:
	"""Value of a return and the priority it gives, from the analytics core."""
	settings = settings or get_settings()
	lifetime = expected_remaining_lifetime(
		flt(settings.monthly_churn_rate) / 100, cint(settings.max_lifetime_months) or 120
	)
	value = return_value(max(flt(monthly_revenue), 0), lifetime)
	return value, priority_level(value, flt(settings.high_priority_from), flt(settings.medium_priority_from))
