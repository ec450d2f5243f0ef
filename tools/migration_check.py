"""Does `bench migrate` to a new layout of the app keep everything a site holds?

Run it with the bench's Python from the bench's sites folder, with PYTHONPATH pointing at the code
the site runs (the old checkout for `fill` and the first `snapshot`, the new one after migrating):

    cd ~/frappe-bench/sites
    PYTHONPATH=/old/checkout ../env/bin/python /path/to/tools/migration_check.py fill SITE
    PYTHONPATH=/old/checkout ../env/bin/python /path/to/tools/migration_check.py snapshot SITE before.json
    PYTHONPATH=/new/checkout ../env/bin/python -m frappe.utils.bench_helper frappe --site SITE migrate
    PYTHONPATH=/new/checkout ../env/bin/python /path/to/tools/migration_check.py snapshot SITE after.json
    ../env/bin/python /path/to/tools/migration_check.py compare before.json after.json

`fill` puts documents of every DocType of the app on a site made for the check (never a real one),
plus what an administrator typically changes: a permission, a field label, a number card, a
workspace, a module profile and a user's blocked modules. `snapshot` writes a fingerprint of every
document of the app, of everything administrators customise, and of who sees which part of the app;
`compare` prints what differs and exits 1 when anything does. After the new layout's migrate the
snapshot also checks that each DocType, report and workspace is filed under the module whose folder
holds it and that every DocType's controller and every report's script loads.
"""

import hashlib
import json
import sys

APP = "churn_management"
# a record may change its module, and fixtures are re-made (new creation) by every migrate; nothing else
MOVABLE = {"module", "modified", "migration_hash", "creation"}
CUSTOMISATIONS = {
	"Custom Field": "dt",
	"Property Setter": "doc_type",
	"Custom DocPerm": "parent",
	"DocPerm": "parent",
	"Workflow": "document_type",
}
GLOBAL_DOCTYPES = (
	"Role",
	"Module Profile",
	"Workspace",
	"Number Card",
	"Report",
	"Print Format",
	"Assignment Rule",
	"User Permission",
	"Has Role",
	"Workspace Link",
	"Workspace Shortcut",
	"Workspace Number Card",
)
CHECK_LABEL = "Next call (checked after migrate)"


def connect(site: str):
	import frappe

	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	return frappe


def app_doctypes(frappe) -> list[dict]:
	modules = frappe.get_module_list(APP)
	# before the split every DocType sits in one module; after it, in the app's modules
	return frappe.get_all(
		"DocType",
		filters={"module": ("in", modules)},
		fields=["name", "istable", "issingle", "is_virtual", "module"],
		order_by="name",
	)


# ---------------------------------------------------------------- fill


def fill(site: str) -> None:
	"""Documents of every DocType of the app and an administrator's changes; idempotent."""
	frappe = connect(site)
	from churn_management.tests.walk_data import make_walk_data

	make_walk_data()
	frappe.db.commit()
	for make in (pause_and_resume, starter_package, campaign, debt_plan, capacity_and_goals, equipment):
		try:
			make(frappe)
			frappe.db.commit()
		except Exception as error:
			frappe.db.rollback()
			print(f"fill: {make.__name__} failed ({error.__class__.__name__}: {str(error)[:160]})")
	for row in app_doctypes(frappe):
		if row.istable or row.issingle or row.is_virtual or frappe.db.count(row.name):
			continue
		try:
			minimal_document(frappe, row.name).insert(ignore_permissions=True)
			frappe.db.commit()
		except Exception as error:
			frappe.db.rollback()
			print(f"fill: no {row.name} made ({error.__class__.__name__}: {str(error)[:120]})")
	administrator_changes(frappe)
	frappe.db.commit()
	empty = [r.name for r in app_doctypes(frappe) if not r.issingle and not frappe.db.count(r.name)]
	print(f"fill: {len(empty)} DocType(s) of the app without documents: {', '.join(empty) or 'none'}")


def pause_and_resume(frappe) -> None:
	"""A submitted Suspension Application and the Resumption Application that ends it early."""
	from frappe.utils import add_days, nowdate

	from churn_management.tests.retention_utils import make_suspension

	if frappe.db.count("Resumption Application"):
		return
	pause = make_suspension(from_date=add_days(nowdate(), 5), to_date=add_days(nowdate(), 35))
	pause.submit()
	frappe.get_doc(
		{
			"doctype": "Resumption Application",
			"suspension_application": pause.name,
			"application_date": nowdate(),
			"resume_on": add_days(nowdate(), 20),
		}
	).insert(ignore_permissions=True)


def starter_package(frappe) -> None:
	from churn_management.tests.club_utils import make_starter_package

	make_starter_package("Migration check starter")


def campaign(frappe) -> None:
	"""A testing campaign of two methods over one reason, its results, and a task with an attempt."""
	from frappe.utils import add_days, nowdate

	from churn_management.tests.retention_utils import add_attempt, make_method, make_task

	if not frappe.db.count("Retention Task Attempt"):
		add_attempt(make_task()).save(ignore_permissions=True)
	if frappe.db.count("Retention Campaign Result"):
		return
	reason = frappe.db.get_value("Churn Reason", {"is_group": 0}, "name")
	methods = [make_method("Migration check month free"), make_method("Migration check discount")]
	frappe.delete_doc_if_exists("Retention Campaign", "Migration check campaign")
	doc = frappe.get_doc(
		{
			"doctype": "Retention Campaign",
			"campaign_name": "Migration check campaign",
			"company": frappe.db.get_value("Company", {}, "name"),
			"task_type": "Win-back",
			"churned_from": add_days(nowdate(), -90),
			"churned_to": nowdate(),
			"sample_size": 10,
			"reasons": [{"churn_reason": reason}],
			"methods": [{"retention_method": method} for method in methods],
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Retention Campaign Result",
			"parent": doc.name,
			"parenttype": "Retention Campaign",
			"parentfield": "results",
			"churn_reason": reason,
			"retention_method": methods[0],
			"tasks": 5,
			"returned": 1,
		}
	).db_insert()


def debt_plan(frappe) -> None:
	"""A promise and a payment plan on an open debt case."""
	from frappe.utils import add_days, nowdate

	name = frappe.db.get_value("Debt Case", {"status": "Open"}, "name")
	case = frappe.get_doc("Debt Case", name)
	if case.promises or case.instalments:
		return
	case.append("promises", {"promise_date": add_days(nowdate(), 3), "amount": 10})
	case.append("instalments", {"due_date": add_days(nowdate(), 30), "amount": 10})
	case.flags.ignore_validate = True
	case.save(ignore_permissions=True)


def capacity_and_goals(frappe) -> None:
	"""A manager's capacity in Retention Settings and a goal on the lifecycle standard."""
	settings = frappe.get_single("Retention Settings")
	if not settings.managers:
		settings.append("managers", {"user": "Administrator"})
		settings.save(ignore_permissions=True)
	standard = frappe.get_doc("Lifecycle Standard", frappe.db.get_value("Lifecycle Standard", {}, "name"))
	if not standard.get("goals"):
		field = next(
			f.fieldname for f in standard.meta.get_table_fields() if f.options == "Lifecycle Goal Target"
		)
		standard.append(field, {"goal": "Renewal share", "target": 60})
		standard.save(ignore_permissions=True)


def equipment(frappe) -> None:
	"""A draft termination application with a piece of equipment to return."""
	from churn_management.tests.utils import make_termination_application

	if frappe.db.count("Termination Equipment"):
		return
	application = make_termination_application(save=False)
	application.append("equipment", {"description": "Migration check panel", "other_serial": "MC-1"})
	application.insert(ignore_permissions=True)


def minimal_document(frappe, doctype: str):
	"""A document with each mandatory field set to the first value that fits."""
	from frappe.utils import nowdate

	doc = frappe.new_doc(doctype)
	for field in frappe.get_meta(doctype).fields:
		if not field.reqd or doc.get(field.fieldname):
			continue
		if field.fieldtype == "Link":
			doc.set(field.fieldname, frappe.db.get_value(field.options, {}, "name"))
		elif field.fieldtype == "Select":
			doc.set(field.fieldname, (field.options or "").split("\n")[0] or None)
		elif field.fieldtype in ("Date", "Datetime"):
			doc.set(field.fieldname, nowdate())
		elif field.fieldtype in ("Int", "Float", "Currency", "Percent"):
			doc.set(field.fieldname, 1)
		elif field.fieldtype in ("Data", "Small Text", "Text", "Long Text", "Text Editor"):
			doc.set(field.fieldname, f"Migration check {doctype}")
	return doc


def administrator_changes(frappe) -> None:
	"""What an administrator changes in the desk, made through the same calls the desk makes."""
	from frappe.core.page.permission_manager.permission_manager import add, update
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter

	if not frappe.db.exists("Custom DocPerm", {"parent": "Debt Stage", "role": "Accounts User"}):
		add("Debt Stage", "Accounts User", 0)
		update("Debt Stage", "Accounts User", 0, "export", 1)
	make_property_setter("Retention Task", "next_call", "label", CHECK_LABEL, "Data")
	frappe.db.set_value("Number Card", "Open Debt Cases", "color", "#7c3aed")
	workspace = frappe.get_doc("Workspace", "Retention")
	workspace.sequence_id = 77
	workspace.save(ignore_permissions=True)
	if not frappe.db.exists("Module Profile", "Migration check: no churn"):
		frappe.get_doc(
			{
				"doctype": "Module Profile",
				"module_profile_name": "Migration check: no churn",
				"block_modules": [{"module": "Churn Management"}, {"module": "Stock"}],
			}
		).insert(ignore_permissions=True)
	user = frappe.get_doc(
		"User", frappe.get_all("User", filters={"name": ("like", "%@walk.test")}, limit=1)[0]
	)
	if not any(row.module == "Churn Management" for row in user.block_modules):
		user.append("block_modules", {"module": "Churn Management"})
		user.save(ignore_permissions=True)


# ---------------------------------------------------------------- snapshot


def fingerprint(row: dict, ignored: set = MOVABLE) -> dict[str, str]:
	"""A row's values as text (long ones hashed), without those a migrate may change."""
	kept = {}
	for key, value in row.items():
		if key in ignored:
			continue
		text = json.dumps(value, default=str)
		kept[key] = text if len(text) <= 80 else hashlib.sha1(text.encode()).hexdigest()[:16]
	return kept


def row_key(doctype: str, row: dict) -> str:
	"""A row's identity: its name, or for rows re-made under new names by a sync, what they mean."""
	if doctype in ("DocPerm", "Custom DocPerm"):
		return f"{row['parent']}|{row['role']}|{row['permlevel']}|{row['if_owner']}"
	if row.get("parenttype"):
		return f"{row['parenttype']}|{row['parent']}|{row['parentfield']}|{row['idx']}"
	return row["name"]


def table_rows(frappe, doctype: str, where: tuple | None = None) -> dict[str, dict]:
	table = frappe.qb.DocType(doctype)
	query = frappe.qb.from_(table).select("*")
	if where:
		query = query.where(table[where[0]].isin(where[1]))
	rows = query.run(as_dict=True)
	ignored = MOVABLE | {"name", "creation", "owner", "modified_by"} if doctype == "DocPerm" else MOVABLE
	return {row_key(doctype, row): fingerprint(row, ignored) for row in rows}


def snapshot(site: str, out: str) -> None:
	"""Fingerprints of the app's documents, customisations and who sees which part of the app."""
	frappe = connect(site)
	doctypes = app_doctypes(frappe)
	names = [row.name for row in doctypes]
	data: dict = {"documents": {}, "customisations": {}, "global": {}, "singles": {}, "visibility": {}}
	for row in doctypes:
		if row.issingle:
			singles = frappe.qb.DocType("Singles")
			values = (
				frappe.qb.from_(singles)
				.select(singles.field, singles.value)
				.where(singles.doctype == row.name)
			)
			data["singles"][row.name] = {
				field: str(value) for field, value in values.run() if field not in MOVABLE
			}
		elif not row.is_virtual:
			data["documents"][row.name] = table_rows(frappe, row.name)
	for doctype, key in CUSTOMISATIONS.items():
		data["customisations"][doctype] = table_rows(frappe, doctype, (key, names))
	for doctype in GLOBAL_DOCTYPES:
		data["global"][doctype] = table_rows(frappe, doctype)
	data["visibility"] = visibility(frappe)
	data["layout"] = layout_problems(frappe)
	with open(out, "w", encoding="utf-8") as file:
		json.dump(data, file, indent=1, sort_keys=True)
	counts = sum(len(rows) for rows in data["documents"].values())
	print(f"snapshot: {len(data['documents'])} DocTypes, {counts} documents, written to {out}")
	for problem in data["layout"]:
		print(f"snapshot: {problem}")


def visibility(frappe) -> dict[str, str]:
	"""Per module profile and user: does it see all of the app, none of it, or only parts?"""
	modules = set(frappe.get_all("Module Def", filters={"app_name": APP}, pluck="name"))
	block = frappe.qb.DocType("Block Module")
	rows = frappe.qb.from_(block).select(block.parenttype, block.parent, block.module).run(as_dict=True)
	blocked: dict[str, set] = {}
	for row in rows:
		blocked.setdefault(f"{row.parenttype}: {row.parent}", set()).add(row.module)
	seen = {}
	for who, parent_blocked in blocked.items():
		app_blocked = parent_blocked & modules
		seen[who] = "all" if not app_blocked else "none" if app_blocked == modules else "parts"
	return seen


def layout_problems(frappe) -> list[str]:
	"""Records whose module is not the folder holding their file, and code that does not load."""
	import os

	from frappe.model.base_document import get_controller

	problems = []
	for module in frappe.get_module_list(APP):
		if not frappe.db.exists("Module Def", module):
			problems.append(f"Module Def {module!r} is missing")
		folder = frappe.get_module_path(module)
		for kind, doctype in (("doctype", "DocType"), ("report", "Report"), ("workspace", "Workspace")):
			kind_folder = os.path.join(folder, kind)
			for name in sorted(os.listdir(kind_folder)) if os.path.isdir(kind_folder) else []:
				path = os.path.join(kind_folder, name, f"{name}.json")
				if not os.path.isfile(path):
					continue
				record = json.load(open(path, encoding="utf-8"))["name"]
				stored = frappe.db.get_value(doctype, record, "module")
				if stored != module:
					problems.append(
						f"{doctype} {record!r} is filed under {stored!r}, its file under {module!r}"
					)
				elif doctype == "DocType":
					try:
						get_controller(record)
					except Exception as error:
						problems.append(f"DocType {record!r}: controller does not load ({error})")
				elif doctype == "Report":
					try:
						frappe.get_attr(
							f"{frappe.get_module(APP + '.' + frappe.scrub(module)).__name__}.report.{name}.{name}.execute"
						)
					except Exception as error:
						problems.append(f"Report {record!r}: script does not load ({error})")
	return problems


# ---------------------------------------------------------------- compare


def compare(before_file: str, after_file: str) -> int:
	before = json.load(open(before_file, encoding="utf-8"))
	after = json.load(open(after_file, encoding="utf-8"))
	problems = list(after.get("layout", []))
	for section in ("documents", "customisations", "global"):
		for doctype, rows in before[section].items():
			now = after[section].get(doctype, {})
			lost = sorted(set(rows) - set(now))
			# a field the new code adds is not a change of the document; a value that differs is
			changed = {
				name: sorted(
					field for field, value in rows[name].items() if now[name].get(field, value) != value
				)
				for name in rows
				if name in now
			}
			changed = {name: fields for name, fields in changed.items() if fields}
			if lost:
				problems.append(f"{section} {doctype}: {len(lost)} lost, e.g. {lost[:3]}")
			if changed:
				example = next(iter(changed))
				problems.append(
					f"{section} {doctype}: {len(changed)} changed, e.g. {example} ({', '.join(changed[example])})"
				)
			print(
				f"{section:14} {doctype:34} before {len(rows):6}  after {len(now):6}  changed {len(changed)}"
			)
	for doctype, values in before["singles"].items():
		now = after["singles"].get(doctype, {})
		changed = sorted(field for field in values if now.get(field) != values[field])
		if changed:
			problems.append(f"settings {doctype}: {', '.join(changed)} changed")
	print(f"{'settings':14} {len(before['singles'])} single DocTypes compared")
	for who, seen in before["visibility"].items():
		if after["visibility"].get(who) != seen:
			problems.append(f"{who} saw {seen} of the app, now {after['visibility'].get(who)}")
	print(f"{'visibility':14} {len(before['visibility'])} module profiles and users compared")
	for problem in problems:
		print(f"PROBLEM: {problem}")
	print(f"migration check: {len(problems)} problem(s)")
	return 1 if problems else 0


def main(argv: list[str]) -> int:
	if len(argv) >= 2 and argv[0] == "fill":
		fill(argv[1])
	elif len(argv) >= 3 and argv[0] == "snapshot":
		snapshot(argv[1], argv[2])
	elif len(argv) >= 3 and argv[0] == "compare":
		return compare(argv[1], argv[2])
	else:
		print(__doc__)
		return 2
	return 0


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
