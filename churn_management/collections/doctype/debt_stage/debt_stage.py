# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A step of debt escalation by days past due (DOMAIN.md §5); the stages together must tile the days."""

import frappe
from frappe import _
from frappe.model.document import Document

from churn_management.analytics.debt.collection import STAGE_PRESETS, Stage, StageProblem, stage_faults


class StageRangeError(frappe.ValidationError):
	pass


class DebtStage(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		block_service: DF.Check
		decision: DF.Check
		dunning_type: DF.Link | None
		fee: DF.Currency
		from_day: DF.Int
		make_call: DF.Check
		notification: DF.Link | None
		pre_churn_work: DF.Check
		send_reminder: DF.Check
		send_warning: DF.Check
		speech_module: DF.Link | None
		staff_minutes: DF.Float
		stage_name: DF.Data
		to_day: DF.Int
	# end: auto-generated types

	def validate(self):
		self.validate_range()

	def validate_range(self):
		"""This stage together with the others must start at day 1 without gaps or overlaps."""
		others = [row for row in read_stage_rows() if row.name != self.name]
		stages = [to_stage(row) for row in [*others, self]]
		problems = stage_faults(stages)
		if problems:
			frappe.throw(
				_("The debt stages do not fit together: {0}").format(
					" ".join(problem_message(problem) for problem in problems)
				),
				StageRangeError,
				title=_("Debt stage days"),
			)

	def on_trash(self):
		remaining = [to_stage(row) for row in read_stage_rows() if row.name != self.name]
		if remaining and stage_faults(remaining):
			frappe.throw(
				_("Deleting this stage would leave a gap between the debt stages."),
				StageRangeError,
				title=_("Debt stage days"),
			)


def problem_message(problem: StageProblem) -> str:
	"""A fault of the stage table as one translated sentence, with the stages' names translated."""
	names = [_(name, context="Debt Stage") for name in problem.stages]
	messages = {
		"no stages": _("There are no debt stages."),
		"first not at day 1": _("The first stage '{0}' must start at day 1."),
		"ends before start": _("Stage '{0}' ends (day {1}) before it starts."),
		"open-ended not last": _("Stage '{0}' has no last day, but stage '{1}' follows it."),
		"overlap": _("Stages '{0}' and '{1}' overlap."),
		"gap": _("Days {2} to {3} between stages '{0}' and '{1}' belong to no stage."),
	}
	return messages[problem.kind].format(*names, *problem.days)


STAGE_FIELDS = (
	"name",
	"stage_name",
	"from_day",
	"to_day",
	"staff_minutes",
	"fee",
	"send_reminder",
	"dunning_type",
	"notification",
	"make_call",
	"speech_module",
	"send_warning",
	"block_service",
	"pre_churn_work",
	"decision",
)
ACTION_FLAGS = {
	"Reminder": "send_reminder",
	"Call": "make_call",
	"Warning": "send_warning",
	"Service Block": "block_service",
	"Pre-churn Work": "pre_churn_work",
	"Decision": "decision",
}


def read_stage_rows() -> list:
	"""All stages as dicts, by day."""
	return frappe.get_all("Debt Stage", fields=list(STAGE_FIELDS), order_by="from_day asc")


def to_stage(row) -> Stage:
	"""A stage row (dict or document) as the analytics core's Stage."""
	return Stage(
		name=row.get("name") or row.get("stage_name"),
		from_day=int(row.get("from_day") or 0),
		to_day=int(row.get("to_day")) if row.get("to_day") else None,
		actions=tuple(action for action, flag in ACTION_FLAGS.items() if row.get(flag)),
		staff_minutes=float(row.get("staff_minutes") or 0),
		fee=float(row.get("fee") or 0),
	)


def get_stages() -> list[Stage]:
	return [to_stage(row) for row in read_stage_rows()]


@frappe.whitelist()
def load_stage_preset(vertical: str = "security") -> int:
	"""Create the stages of a vertical's preset when there are none yet; return how many were made."""
	frappe.only_for(("Accounts Manager", "Retention Head", "System Manager"))
	return create_preset_stages(vertical)


def create_preset_stages(vertical: str, lang: str | None = None) -> int:
	"""Make the preset's stages named in the given language (the user's by default)."""
	if vertical not in STAGE_PRESETS:
		frappe.throw(_("There is no debt stage preset for {0}.").format(vertical))
	if frappe.db.count("Debt Stage"):
		return 0
	for stage in STAGE_PRESETS[vertical]:
		doc = frappe.get_doc(
			{
				"doctype": "Debt Stage",
				"stage_name": _(stage.name, lang, context="Debt Stage"),
				"from_day": stage.from_day,
				"to_day": stage.to_day or 0,
				"staff_minutes": stage.staff_minutes,
				"fee": stage.fee,
				**{flag: int(action in stage.actions) for action, flag in ACTION_FLAGS.items()},
			}
		)
		doc.insert(ignore_permissions=True)  # in day order, so every step leaves a clean sequence
	return len(STAGE_PRESETS[vertical])
