# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A stage of the member lifecycle and its rule (DOMAIN.md §8).

Stages are tried in their order and the first whose rule matches a member wins; the stage that
catches the rest (Other) has no rule and takes members no rule matches. Rules that share an
order, bounds that no member can meet, or a rule that takes everyone before later stages are
refused here, with the stage named, so the nightly segmentation never meets them.
"""

import frappe
from frappe import _
from frappe.model.document import Document

from churn_management.analytics.lifecycle.segmentation import (
	BOUND_FIELDS,
	OTHER,
	PRESET_RULES,
	StageRule,
	rule_problems,
)

RULE_FIELDS = BOUND_FIELDS
FLAG_FIELDS = ("starter_completed", "renewed")


class StageRuleError(frappe.ValidationError):
	pass


class LifecycleStage(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		days_since_last_visit_max: DF.Data | None
		days_since_last_visit_min: DF.Data | None
		days_since_start_max: DF.Data | None
		days_since_start_min: DF.Data | None
		days_to_end_max: DF.Data | None
		days_to_end_min: DF.Data | None
		description: DF.SmallText | None
		is_catch_all: DF.Check
		renewed: DF.Literal["", "Yes", "No"]
		returned_after_days_min: DF.Data | None
		stage_name: DF.Data
		stage_order: DF.Int
		starter_completed: DF.Literal["", "Yes", "No"]
		visit_window_days: DF.Data | None
		visits_max: DF.Data | None
		visits_min: DF.Data | None
	# end: auto-generated types

	def validate(self):
		self.validate_bounds_are_numbers()
		self.validate_catch_all()
		self.validate_rules()

	def validate_bounds_are_numbers(self):
		for fieldname in RULE_FIELDS:
			value = (self.get(fieldname) or "").strip()
			self.set(fieldname, value or None)
			if value and not value.lstrip("-").isdigit():
				frappe.throw(
					_("{0} must be a whole number or empty, not {1}.").format(
						_(self.meta.get_label(fieldname)), frappe.bold(value)
					),
					StageRuleError,
				)

	def validate_catch_all(self):
		if not self.is_catch_all:
			return
		if any(self.get(f) not in (None, "") for f in RULE_FIELDS + FLAG_FIELDS):
			frappe.throw(_("The stage that catches the rest has no rule."), StageRuleError)
		other = frappe.db.get_value("Lifecycle Stage", {"is_catch_all": 1, "name": ("!=", self.name)})
		if other:
			frappe.throw(_("Stage {0} already catches the rest.").format(other), StageRuleError)

	def validate_rules(self):
		"""Check this stage together with every other stage, as the segmentation will read them."""
		others = [r for r in get_rules() if r.stage != self.name]
		problems = rule_problems([*others, to_rule(self)])
		mine = [p for p in problems if repr(self.stage_name) in p or repr(self.name) in p]
		if mine:
			frappe.throw(
				"<br>".join(_translate_problem(p) for p in mine), StageRuleError, title=_("Stage Rule")
			)


def stage_label(stage: str) -> str:
	"""A stage's name in the user's language: the preset's names under their own context, so that
	Lapsed never borrows another app's word."""
	labels = {
		"Newcomer": _("Newcomer", context="Lifecycle Stage"),
		"Starter package in progress": _("Starter package in progress", context="Lifecycle Stage"),
		"Engaged": _("Engaged", context="Lifecycle Stage"),
		"Renewal window": _("Renewal window", context="Lifecycle Stage"),
		"Recently renewed": _("Recently renewed", context="Lifecycle Stage"),
		"Inactive": _("Inactive", context="Lifecycle Stage"),
		"Reactivated": _("Reactivated", context="Lifecycle Stage"),
		"Lapsed": _("Lapsed", context="Lifecycle Stage"),
		OTHER: _("Other", context="Lifecycle Stage"),
	}
	return labels.get(stage) or _(stage)


def _translate_problem(problem: str) -> str:
	return _("Stage rule problem: {0}").format(problem)


def _bound(value):
	"""An empty bound does not count (bounds are text fields, so that 0 stays a real bound)."""
	return None if value in (None, "") else int(value)


def to_rule(doc) -> StageRule:
	"""A stage record (document or dict) as the analytics core's rule."""
	get = doc.get
	if get("is_catch_all"):
		return StageRule(
			OTHER if get("stage_name") == OTHER else get("stage_name"), int(get("stage_order") or 0)
		)
	flags = {f: {"Yes": True, "No": False}.get(get(f) or "") for f in FLAG_FIELDS}
	return StageRule(
		get("stage_name") or get("name"),
		int(get("stage_order") or 0),
		**{f: _bound(get(f)) for f in RULE_FIELDS},
		**flags,
	)


def get_rules() -> list[StageRule]:
	"""The club's stages as rules, catch-all excluded, in order."""
	stage = frappe.qb.DocType("Lifecycle Stage")
	rows = (
		frappe.qb.from_(stage)
		.select(
			stage.name,
			stage.stage_name,
			stage.stage_order,
			stage.is_catch_all,
			*(stage[f] for f in RULE_FIELDS + FLAG_FIELDS),
		)
		.orderby(stage.stage_order)
		.run(as_dict=True)
	)
	return [to_rule(row) for row in rows if not row.is_catch_all]


def catch_all_stage() -> str:
	"""The name of the stage that catches the rest (created when missing)."""
	name = frappe.db.get_value("Lifecycle Stage", {"is_catch_all": 1})
	return name or ensure_preset_stages()[OTHER]


def ensure_preset_stages() -> dict[str, str]:
	"""Create the preset stages (Newcomer ... Lapsed, Other) when the club has none; idempotent."""
	if frappe.db.count("Lifecycle Stage"):
		catch = frappe.db.get_value("Lifecycle Stage", {"is_catch_all": 1})
		return {OTHER: catch} if catch else {}
	made = {}
	for rule in PRESET_RULES:
		values = {f: None if getattr(rule, f) is None else str(getattr(rule, f)) for f in RULE_FIELDS}
		flags = {f: {True: "Yes", False: "No"}.get(getattr(rule, f), "") for f in FLAG_FIELDS}
		doc = frappe.get_doc(
			{
				"doctype": "Lifecycle Stage",
				"stage_name": rule.stage,
				"stage_order": rule.order,
				**values,
				**flags,
			}
		)
		doc.flags.ignore_permissions = True
		made[rule.stage] = doc.insert().name
	other = frappe.get_doc(
		{"doctype": "Lifecycle Stage", "stage_name": OTHER, "stage_order": 1000, "is_catch_all": 1}
	)
	other.flags.ignore_permissions = True
	made[OTHER] = other.insert().name
	return made
