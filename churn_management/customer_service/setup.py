# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Setting up customer service on a site: the complaint categories of the vertical chosen in Churn Settings.

Loaded at install and migrate, idempotently: rows are found by their preset key, so a category renamed by its
users is not made again and the Russian preset after the English one adds nothing. The top levels are the
classifier's reason groups under the names the site's classifier gives them.
"""

import json
from pathlib import Path

import frappe

from churn_management.analytics.churn.presets import load_preset
from churn_management.customer_service.doctype.complaint_category.complaint_category import ROOT_CATEGORY

PRESET_FILE = Path(__file__).resolve().parents[1] / "presets" / "complaints" / "categories.json"


def setup_customer_service() -> None:
	ensure_root_category()
	load_complaint_categories()


def ensure_root_category() -> str:
	if not frappe.db.exists("Complaint Category", ROOT_CATEGORY):
		frappe.get_doc(
			{"doctype": "Complaint Category", "category_name": ROOT_CATEGORY, "is_group": 1}
		).insert(ignore_permissions=True)
	return ROOT_CATEGORY


def load_complaint_categories(vertical: str | None = None, language: str | None = None) -> int:
	"""Create the vertical's complaint categories that are missing; return how many were made."""
	from churn_management.churn_management.doctype.churn_settings.churn_settings import LANGUAGES, VERTICALS

	vertical = vertical or VERTICALS.get(frappe.db.get_single_value("Churn Settings", "vertical"))
	language = language or LANGUAGES.get(
		frappe.db.get_single_value("Churn Settings", "preset_language"), "en"
	)
	presets = json.loads(PRESET_FILE.read_text(encoding="utf-8"))
	if vertical not in presets:
		return 0
	group_names = {group["key"]: group["group_name"] for group in load_preset(vertical, language)["groups"]}
	root = ensure_root_category()
	made = 0
	for top in presets[vertical]:
		group_key = f"{vertical}:group:{top['group']}"
		reason_group = frappe.db.get_value("Churn Reason", {"preset_key": group_key, "is_group": 1}, "name")
		parent, created = _ensure(
			f"{vertical}:complaint:{top['group']}",
			reason_group or group_names[group_key],
			{
				"parent_complaint_category": root,
				"is_group": 1,
				"unresolved_days": top["days"],
				"reason_group": reason_group,
			},
		)
		made += created
		for child in top["children"]:
			_name, created = _ensure(
				f"{vertical}:complaint:{top['group']}:{child['key']}",
				child[language],
				{"parent_complaint_category": parent},
			)
			made += created
	return made


def _ensure(key: str, name: str, values: dict) -> tuple[str, int]:
	"""The category with the key, else a new one (a free name: a taken one gets the key's last word)."""
	existing = frappe.db.get_value("Complaint Category", {"preset_key": key}, "name")
	if existing:
		return existing, 0
	if frappe.db.exists("Complaint Category", name):
		name = f"{name} ({key.rsplit(':', 2)[-2]})"
		if frappe.db.exists("Complaint Category", name):
			return name, 0
	doc = frappe.get_doc(
		{"doctype": "Complaint Category", "category_name": name, "preset_key": key, **values}
	)
	doc.insert(ignore_permissions=True)
	return doc.name, 1
