# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Loading a vertical's classifier preset into the classifier DocTypes.

Every preset row has a stable key, the same in every language of the preset (``security:reason:
death-of-the-customer``). Loading matches existing rows by that key, so a reason renamed by its
users is not created again, and loading the Russian preset after the English one gives no second
classifier beside the first. Rows made before keys existed are matched once by name and get the
key. Only what is missing is created; what exists is left exactly as users have it. A site keeps
one classifier: a second vertical is refused while another vertical's preset is loaded.
"""

from collections import Counter

import frappe
from frappe import _

from churn_management.analytics.churn.presets import load_preset
from churn_management.churn_management.doctype.churn_reason.churn_reason import ROOT_REASON

KEY_FIELDS = {
	"Retention Method": "preset_key",
	"Churn Reason": "preset_key",
	"Speech Module": "preset_key",
	"Competitor": "churn_preset_key",
}


class PresetConflictError(frappe.ValidationError):
	pass


def ensure_root_reason() -> str:
	"""The root of the classifier tree, like ERPNext's All Territories."""
	if not frappe.db.exists("Churn Reason", ROOT_REASON):
		root = frappe.get_doc({"doctype": "Churn Reason", "reason_name": ROOT_REASON, "is_group": 1})
		root.flags.ignore_permissions = True
		root.insert()
	return ROOT_REASON


def loaded_vertical() -> str | None:
	"""The vertical whose preset rows are in the classifier, if any."""
	key = frappe.db.get_value("Churn Reason", {"preset_key": ("is", "set")}, "preset_key")
	return key.split(":", 1)[0] if key else None


def check_one_classifier(vertical: str) -> None:
	"""A site keeps one classifier: refuse a second vertical beside the first."""
	current = loaded_vertical()
	if current and current != vertical:
		frappe.throw(
			_(
				"The classifier of another vertical ({0}) is loaded. A site keeps one classifier: adapt it in the Reason Classifier instead of loading a second one."
			).format(current),
			PresetConflictError,
			title=_("One classifier per site"),
		)


def preview_classifier_preset(vertical: str, language: str = "en") -> dict:
	"""What loading would do: per DocType, how many rows would be created and how many exist."""
	check_one_classifier(vertical)
	preset = load_preset(vertical, language)
	plan: dict[str, Counter] = {doctype: Counter() for doctype in KEY_FIELDS}
	for doctype, key, name in _preset_rows(preset):
		plan[doctype]["exists" if _find_existing(doctype, key, name) else "create"] += 1
	return {doctype: dict(counts) for doctype, counts in plan.items()}


def load_classifier_preset(vertical: str, language: str = "en") -> dict:
	"""Create what is missing of a preset; return how many of each were created."""
	check_one_classifier(vertical)
	preset = load_preset(vertical, language)
	created: Counter = Counter()
	root = ensure_root_reason()
	names: dict[str, str] = {}
	for method in preset["methods"]:
		names[method["key"]] = _ensure(
			"Retention Method",
			method["key"],
			method["method_name"],
			{
				"method_name": method["method_name"],
				"offer_type": method["offer_type"],
				"description": method["description"],
				"cost": method["cost"],
				"planned_conversion": method["planned_conversion"],
			},
			created,
		)
	method_names = {m["method_name"]: names[m["key"]] for m in preset["methods"]}
	non_payment = None
	for group in preset["groups"]:
		group_name = _ensure(
			"Churn Reason",
			group["key"],
			group["group_name"],
			{
				"reason_name": group["group_name"],
				"is_group": 1,
				"managed": group["managed"],
				"parent_churn_reason": root,
			},
			created,
		)
		module = group["speech_module"]
		module_name = _ensure(
			"Speech Module",
			module["key"],
			module["title"],
			{
				"title": module["title"],
				"reason_group": group_name,
				"never_say": module.get("never_say"),
				"steps": [
					{"step_type": step["step_type"], "title": step.get("title"), "text": step["text"]}
					for step in module["steps"]
				],
			},
			created,
		)
		for reason in group["reasons"]:
			name = _ensure(
				"Churn Reason",
				reason["key"],
				reason["reason_name"],
				_reason_values(reason, group_name, module_name, method_names),
				created,
			)
			if reason.get("involuntary"):
				non_payment = name
	_link_methods_to_speech_modules(preset, names)
	for competitor in preset.get("competitors", []):
		_ensure(
			"Competitor",
			competitor["key"],
			competitor["competitor_name"],
			_competitor_values(competitor),
			created,
		)
	if vertical == "fitness":
		from churn_management.clubs.doctype.lifecycle_standard.lifecycle_standard import (
			use_preset_language,
		)

		use_preset_language(language)
	result = dict(created)
	result["non_payment_reason"] = non_payment
	return result


def _preset_rows(preset: dict):
	for method in preset["methods"]:
		yield "Retention Method", method["key"], method["method_name"]
	for group in preset["groups"]:
		yield "Churn Reason", group["key"], group["group_name"]
		yield "Speech Module", group["speech_module"]["key"], group["speech_module"]["title"]
		for reason in group["reasons"]:
			yield "Churn Reason", reason["key"], reason["reason_name"]
	for competitor in preset.get("competitors", []):
		yield "Competitor", competitor["key"], competitor["competitor_name"]


def _find_existing(doctype: str, key: str, name: str) -> str | None:
	"""The row with the preset key, or a row of that name that has no key yet."""
	field = KEY_FIELDS[doctype]
	found = frappe.db.get_value(doctype, {field: key}, "name")
	if found:
		return found
	if frappe.db.exists(doctype, name) and not frappe.db.get_value(doctype, name, field):
		return name
	return None


def _ensure(doctype: str, key: str, name: str, values: dict, created: Counter) -> str:
	"""The existing row (keyed once when matched by name), or a new one; return its name."""
	existing = _find_existing(doctype, key, name)
	field = KEY_FIELDS[doctype]
	if existing:
		if not frappe.db.get_value(doctype, existing, field):
			frappe.db.set_value(doctype, existing, field, key, update_modified=False)
		return existing
	if frappe.db.exists(doctype, name):
		frappe.throw(
			_("{0} {1} already exists and belongs to another preset row.").format(
				_(doctype), frappe.bold(name)
			),
			PresetConflictError,
		)
	doc = frappe.get_doc({"doctype": doctype, field: key, **values})
	doc.flags.ignore_permissions = True
	doc.insert()
	created[doctype] += 1
	return doc.name


def _reason_values(reason: dict, group_name: str, module_name: str, methods: dict[str, str]) -> dict:
	return {
		"reason_name": reason["reason_name"],
		"parent_churn_reason": group_name,
		"is_group": 0,
		"managed": reason["managed"],
		"customer_type": reason["customer_type"],
		"target_share": reason["target_share"],
		"requires_competitor": reason.get("requires_competitor", 0),
		"is_non_payment": reason.get("involuntary", 0),
		"churn_kind": reason.get("churn_kind") or "Voluntary",
		"speech_module": module_name,
		"methods": [
			{"retention_method": methods[m["method_name"]], "planned_conversion": m["planned_conversion"]}
			for m in reason.get("methods", [])
			if m["method_name"] in methods
		],
	}


def _competitor_values(competitor: dict) -> dict:
	return {
		"competitor_name": competitor["competitor_name"],
		"contract_pitfalls": competitor.get("contract_pitfalls"),
		"how_to_answer": competitor.get("how_to_answer"),
		"competitor_tariffs": [
			{"tariff": t["tariff"], "monthly_price": t.get("monthly_price"), "notes": t.get("notes")}
			for t in competitor.get("tariffs", [])
		],
	}


def _link_methods_to_speech_modules(preset: dict, names: dict[str, str]) -> None:
	"""Methods without a script point at the speech module of the group their script belongs to."""
	modules = {g["group_name"]: g["speech_module"]["key"] for g in preset["groups"]}
	for method in preset["methods"]:
		module_key = modules.get(method.get("speech_group"))
		module = module_key and frappe.db.get_value("Speech Module", {"preset_key": module_key}, "name")
		name = names[method["key"]]
		if module and not frappe.db.get_value("Retention Method", name, "speech_module"):
			frappe.db.set_value("Retention Method", name, "speech_module", module)
