# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What `bench migrate` does not do by itself when the app's one module becomes several."""

import json
from pathlib import Path

import frappe
from frappe.installer import add_module_defs

APP = "churn_management"
OLD_MODULE = "Churn Management"
# standard documents that live in a module folder but that migrate does not re-import unless changed
STANDARD_KINDS = {
	"report": "Report",
	"workspace": "Workspace",
	"number_card": "Number Card",
	"dashboard_chart": "Dashboard Chart",
	"print_format": "Print Format",
	"web_form": "Web Form",
}


def ensure_module_defs() -> None:
	"""A Module Def for every module in modules.txt that has none yet."""
	add_module_defs(APP, ignore_if_duplicate=True)


def move_standard_documents() -> None:
	"""Set each standard document's module to the module whose folder holds its file."""
	for module in frappe.get_module_list(APP):
		folder = Path(frappe.get_module_path(module))
		for kind, doctype in STANDARD_KINDS.items():
			for path in sorted(folder.glob(f"{kind}/*/*.json")):
				if path.stem != path.parent.name:
					continue
				name = json.loads(path.read_text(encoding="utf-8")).get("name")
				if name and frappe.db.get_value(doctype, name, "module") not in (None, module):
					frappe.db.set_value(doctype, name, "module", module, update_modified=False)


def block_modules_like_the_old_one() -> None:
	"""A module profile or user that blocked the one old module blocks all its parts; others see them."""
	parts = [module for module in frappe.get_module_list(APP) if module != OLD_MODULE]
	block = frappe.qb.DocType("Block Module")
	rows = frappe.qb.from_(block).select(block.parenttype, block.parent, block.module).run(as_dict=True)
	parents = {(row.parenttype, row.parent) for row in rows}
	blocked = {(row.parenttype, row.parent, row.module) for row in rows}
	for parenttype, parent in sorted(parents):
		if (parenttype, parent, OLD_MODULE) in blocked:
			for module in parts:
				if (parenttype, parent, module) not in blocked:
					_add_block(parenttype, parent, module)
		else:
			frappe.qb.from_(block).delete().where(
				(block.parenttype == parenttype) & (block.parent == parent) & block.module.isin(parts)
			).run()
	frappe.clear_cache()


def _add_block(parenttype: str, parent: str, module: str) -> None:
	row = frappe.new_doc("Block Module")
	row.update({"parenttype": parenttype, "parent": parent, "parentfield": "block_modules", "module": module})
	row.db_insert()
