# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The club's standard: the ideal path of a member through the lifecycle stages (seed 004).

Per stage: the actions, the communications, the responsible role, the timing (days in the
stage) and the emotion aimed at. The member's card shows the steps due now; steps marked with a
Retention Task type are the ones retention work turns into tasks.
"""

import frappe
from frappe import _
from frappe.model.document import Document

from churn_management.analytics.churn.presets import load_preset
from churn_management.analytics.lifecycle.segmentation import DEFAULT_AT_RISK_DAYS

PRESET_NAME = "Fitness club standard"
PRESET_NAMES = {"en": PRESET_NAME, "ru": "Стандарт фитнес-клуба"}
TEXT_FIELDS = ("actions", "communications", "goal", "emotion")
# the preset's stage names (seed 004's table) as the stages of the segmentation
PRESET_STAGES = {
	"Newcomer": "Newcomer",
	"Starter package": "Starter package in progress",
	"Engagement": "Engaged",
	"Regular training": "Engaged",
	"Inactive": "Inactive",
	"Reactivated": "Reactivated",
	"Renewal decision": "Renewal window",
	"Recently renewed": "Recently renewed",
	"Lapsed": "Lapsed",
}
EMOTIONS = {
	"Newcomer": "Welcome and confidence: I chose the right club",
	"Starter package in progress": "Cared for: the club knows my goal",
	"Engaged": "Progress and belonging",
	"Inactive": "Missed, not pressured",
	"Reactivated": "Back on track",
	"Renewal window": "My results are worth continuing",
	"Recently renewed": "Appreciated",
	"Lapsed": "Heard",
}
OFF_PATH = ("Inactive", "Reactivated", "Lapsed")
TASK_TYPES = {"Inactive": "Reactivation", "Renewal window": "Renewal", "Reactivated": "Reactivation"}


class StandardError(frappe.ValidationError):
	pass


class LifecycleStandard(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from churn_management.clubs.doctype.lifecycle_standard_step.lifecycle_standard_step import (
			LifecycleStandardStep,
		)

		at_risk_days: DF.Int
		club: DF.Link | None
		is_default: DF.Check
		standard_name: DF.Data
		steps: DF.Table[LifecycleStandardStep]
	# end: auto-generated types

	def validate(self):
		self.validate_timing()
		self.validate_one_default()
		self.validate_at_risk_days()

	def validate_at_risk_days(self):
		if self.at_risk_days is not None and self.at_risk_days < 0:
			frappe.throw(_("At-risk days cannot be negative."), StandardError)

	@frappe.whitelist()
	def learn_at_risk_days(self) -> int:
		"""Set the at-risk days from the club's own history (the core's learned threshold)."""
		self.check_permission("write")
		self.at_risk_days = learned_at_risk_days(self.club)
		self.save()
		return self.at_risk_days

	def validate_timing(self):
		for step in self.steps:
			if step.to_day and (step.from_day or 0) > step.to_day:
				frappe.throw(
					_("Row {0}: the step starts on day {1}, after it ends on day {2}.").format(
						step.idx, step.from_day, step.to_day
					),
					StandardError,
				)

	def validate_one_default(self):
		if not self.is_default:
			return
		other = frappe.db.get_value("Lifecycle Standard", {"is_default": 1, "name": ("!=", self.name)})
		if other:
			frappe.throw(_("Standard {0} is already the default.").format(other), StandardError)


def ensure_preset_standard() -> str | None:
	"""The fitness standard from the preset (seed 004's table), when the site has no standard."""
	if frappe.db.count("Lifecycle Standard"):
		return None
	steps = preset_steps()
	if not steps:
		return None
	doc = frappe.get_doc(
		{"doctype": "Lifecycle Standard", "standard_name": PRESET_NAME, "is_default": 1, "steps": steps}
	)
	doc.flags.ignore_permissions = True
	return doc.insert().name


def preset_entries(language: str = "en") -> list[tuple[str | None, dict]]:
	"""The preset's table in a language, each row with its segmentation stage (the tables run in
	parallel: the English row names the stage)."""
	english = load_preset("fitness").get("lifecycle_stages", [])
	local = english if language == "en" else load_preset("fitness", language).get("lifecycle_stages", [])
	return [(PRESET_STAGES.get(row["stage"]), entry) for row, entry in zip(english, local, strict=True)]


def preset_steps(stages: set[str] | None = None, language: str = "en") -> list[dict]:
	"""The preset's steps (seed 004's table) for the site's stages (or only these stages)."""
	steps = []
	for stage, entry in preset_entries(language):
		if not stage or not frappe.db.exists("Lifecycle Stage", stage) or (stages and stage not in stages):
			continue
		span = max((entry.get("to_day") or 0) - (entry.get("from_day") or 0), 0)
		steps.append(
			{
				"stage": stage,
				"from_day": 0,
				"to_day": span,
				"actions": entry.get("actions"),
				"communications": entry.get("communications"),
				"responsible_role": entry.get("responsible_role")
				if frappe.db.exists("Role", entry.get("responsible_role"))
				else None,
				"goal": entry.get("goal"),
				"emotion": entry.get("emotion") or EMOTIONS.get(stage),
				"task_type": TASK_TYPES.get(stage, ""),
				"off_path": int(stage in OFF_PATH),
			}
		)
	return steps


def use_preset_language(language: str) -> bool:
	"""The preset standard's steps in the language of the preset the club loads: their actions,
	communications, goals and emotions, matched by stage and order; the stages keep their keys."""
	name = frappe.db.get_value("Lifecycle Standard", {"standard_name": ("in", list(PRESET_NAMES.values()))})
	if not name or language not in PRESET_NAMES:
		return False
	if name != PRESET_NAMES[language]:
		# named by its title: renaming sets the title
		name = frappe.rename_doc("Lifecycle Standard", name, PRESET_NAMES[language], force=True)
	texts: dict[str, list[dict]] = {}
	for step in preset_steps(language=language):
		texts.setdefault(step["stage"], []).append(step)
	doc = frappe.get_doc("Lifecycle Standard", name)
	seen: dict[str, int] = {}
	for step in doc.steps:
		position = seen.get(step.stage, 0)
		seen[step.stage] = position + 1
		if position < len(texts.get(step.stage, [])):
			step.update({field: texts[step.stage][position][field] for field in TEXT_FIELDS})
	doc.flags.ignore_permissions = True
	doc.save()
	return True


def add_missing_task_steps() -> int:
	"""Every standard gets the preset's step for each stage that has a task type and no step yet
	(Reactivated had none, so nothing was due for a reactivated member); returns the steps added."""
	added = 0
	for name in frappe.get_all("Lifecycle Standard", pluck="name"):
		doc = frappe.get_doc("Lifecycle Standard", name)
		missing = set(TASK_TYPES) - {step.stage for step in doc.steps}
		new = preset_steps(missing) if missing else []
		if not new:
			continue
		for step in new:
			doc.append("steps", step)
		doc.flags.ignore_permissions = True
		doc.save()
		added += len(new)
	return added


def learned_at_risk_days(club: str | None = None) -> int:
	"""The shortest absence after which most of the club's members never came back."""
	import pandas as pd

	from churn_management.analytics.lifecycle.segmentation import learn_at_risk_days
	from churn_management.clubs.club_data import read_cards

	cards = read_cards()
	if club:
		cards = cards[cards["club"] == club]
	visit = frappe.qb.DocType("Club Visit")
	query = frappe.qb.from_(visit).select(visit.member, visit.checkin)
	if club:
		query = query.where(visit.club == club)
	visits = pd.DataFrame(query.run(), columns=["member", "checkin"])
	return learn_at_risk_days(cards, visits, pd.Timestamp(frappe.utils.nowdate()))


def at_risk_days_by_club() -> tuple[dict[str, int], int]:
	"""The at-risk days of each club's own standard, and of the default standard for the rest."""
	standard = frappe.qb.DocType("Lifecycle Standard")
	rows = frappe.qb.from_(standard).select(standard.club, standard.is_default, standard.at_risk_days).run()
	own = {club: days for club, _default, days in rows if club and days}
	default = next((days for club, is_default, days in rows if is_default and days), None)
	return own, default or DEFAULT_AT_RISK_DAYS
