# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Loading a vertical's classifier preset into the classifier DocTypes.

Only what is missing is created: a reason, method, speech module or competitor that already
exists (by name) is left exactly as users have it, so loading twice changes nothing.
"""

from collections import Counter

import frappe

from churn_management.analytics.presets import load_preset

ROOT_REASON = "All Churn Reasons"


def ensure_root_reason() -> str:
	"""The root of the classifier tree, like ERPNext's All Territories."""
	if not frappe.db.exists("Churn Reason", ROOT_REASON):
		root = frappe.get_doc({"doctype": "Churn Reason", "reason_name": ROOT_REASON, "is_group": 1})
		root.flags.ignore_permissions = True
		root.insert()
	return ROOT_REASON


def load_classifier_preset(vertical: str, language: str = "en") -> dict:
	"""Create what is missing of a preset; return how many of each were created."""
	preset = load_preset(vertical, language)
	created: Counter = Counter()
	root = ensure_root_reason()
	for method in preset["methods"]:
		_insert_missing(
			"Retention Method",
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
	non_payment = None
	for group in preset["groups"]:
		_insert_missing(
			"Churn Reason",
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
		_insert_missing(
			"Speech Module",
			module["title"],
			{
				"title": module["title"],
				"reason_group": group["group_name"],
				"never_say": module.get("never_say"),
				"steps": [
					{"step_type": step["step_type"], "title": step.get("title"), "text": step["text"]}
					for step in module["steps"]
				],
			},
			created,
		)
		for reason in group["reasons"]:
			_insert_missing(
				"Churn Reason", reason["reason_name"], _reason_values(reason, group, module), created
			)
			if reason.get("involuntary"):
				non_payment = reason["reason_name"]
	_link_methods_to_speech_modules(preset, created)
	for competitor in preset.get("competitors", []):
		_insert_missing("Competitor", competitor["competitor_name"], _competitor_values(competitor), created)
	result = dict(created)
	result["non_payment_reason"] = non_payment
	return result


def _reason_values(reason: dict, group: dict, module: dict) -> dict:
	methods = [
		{"retention_method": m["method_name"], "planned_conversion": m["planned_conversion"]}
		for m in reason.get("methods", [])
		if frappe.db.exists("Retention Method", m["method_name"])
	]
	return {
		"reason_name": reason["reason_name"],
		"parent_churn_reason": group["group_name"],
		"is_group": 0,
		"managed": reason["managed"],
		"customer_type": reason["customer_type"],
		"target_share": reason["target_share"],
		"requires_competitor": reason.get("requires_competitor", 0),
		"is_non_payment": reason.get("involuntary", 0),
		"speech_module": module["title"],
		"methods": methods,
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


def _link_methods_to_speech_modules(preset: dict, created: Counter) -> None:
	"""Methods just created point at the speech module of the group their script belongs to."""
	modules = {g["group_name"]: g["speech_module"]["title"] for g in preset["groups"]}
	for method in preset["methods"]:
		module = modules.get(method.get("speech_group"))
		if module and not frappe.db.get_value("Retention Method", method["method_name"], "speech_module"):
			frappe.db.set_value("Retention Method", method["method_name"], "speech_module", module)


def _insert_missing(doctype: str, name: str, values: dict, created: Counter) -> None:
	if frappe.db.exists(doctype, name):
		return
	doc = frappe.get_doc({"doctype": doctype, **values})
	doc.flags.ignore_permissions = True
	doc.insert()
	created[doctype] += 1
