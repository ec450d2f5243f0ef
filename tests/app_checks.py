"""Static checks of the Frappe app, run without a site.

Every DocType, report, workspace, number card, dashboard chart and print format JSON must be well
formed; every Link and Table field must point at a DocType of this app, Frappe or ERPNext; every
role used must be defined; every dotted path in hooks.py must name a module and an attribute that
exist. Frappe's and ERPNext's DocTypes and roles come from ../shared/reference/ (or the copy
bundled beside this file).
"""

from __future__ import annotations

import ast
import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "churn_management"
REFERENCE_DIRS = (REPO.parent / "shared" / "reference", Path(__file__).resolve().parent / "reference")

FIELD_TYPES = {
	"Autocomplete",
	"Attach",
	"Attach Image",
	"Barcode",
	"Button",
	"Check",
	"Code",
	"Color",
	"Column Break",
	"Currency",
	"Data",
	"Date",
	"Datetime",
	"Duration",
	"Dynamic Link",
	"Float",
	"Fold",
	"Geolocation",
	"Heading",
	"HTML",
	"HTML Editor",
	"Icon",
	"Image",
	"Int",
	"JSON",
	"Link",
	"Long Text",
	"Markdown Editor",
	"Password",
	"Percent",
	"Phone",
	"Read Only",
	"Rating",
	"Section Break",
	"Select",
	"Signature",
	"Small Text",
	"Tab Break",
	"Table",
	"Table MultiSelect",
	"Text",
	"Text Editor",
	"Time",
}
NO_VALUE_TYPES = {"Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading", "Fold", "Image"}
# ERPNext's reports that our workspaces link to (the reference lists DocTypes and roles, not reports)
ERPNEXT_REPORTS = {"Accounts Receivable"}
REPORT_TYPES = {"Script Report", "Query Report", "Report Builder", "Custom Report"}
STANDARD_ROLES = {"Administrator", "System Manager", "All", "Guest", "Desk User"}


@dataclass
class Reference:
	doctypes: dict[str, dict] = field(default_factory=dict)
	roles: set[str] = field(default_factory=set)


def load_reference() -> Reference:
	"""Frappe's and ERPNext's DocTypes and roles, as read from a v15 site."""
	for folder in REFERENCE_DIRS:
		doctypes_csv = folder / "frappe15-erpnext15-doctypes.csv"
		roles_txt = folder / "frappe15-erpnext15-roles.txt"
		if doctypes_csv.is_file() and roles_txt.is_file():
			with doctypes_csv.open(encoding="utf-8") as handle:
				doctypes = {row["doctype"]: row for row in csv.DictReader(handle)}
			roles = {
				line.strip() for line in roles_txt.read_text(encoding="utf-8").splitlines() if line.strip()
			}
			return Reference(doctypes, roles)
	raise FileNotFoundError("no reference lists of Frappe/ERPNext DocTypes and roles found")


@dataclass
class AppIndex:
	"""What the app itself defines."""

	root: Path
	modules: list[str]
	doctypes: dict[str, dict] = field(default_factory=dict)
	roles: set[str] = field(default_factory=set)
	reports: dict[str, dict] = field(default_factory=dict)
	pages: set[str] = field(default_factory=set)
	problems: list[str] = field(default_factory=list)


def _read_json(path: Path, problems: list[str]):
	try:
		return json.loads(path.read_text(encoding="utf-8"))
	except (json.JSONDecodeError, UnicodeDecodeError) as error:
		problems.append(f"{path}: not well-formed JSON ({error})")
		return None


def _scrub(name: str) -> str:
	return name.strip().lower().replace(" ", "_").replace("-", "_")


def index_app(app: Path = APP) -> AppIndex:
	"""Read every definition file of the app."""
	modules_txt = app / "modules.txt"
	modules = [m.strip() for m in modules_txt.read_text(encoding="utf-8").splitlines() if m.strip()]
	index = AppIndex(app, modules)
	for module in modules:
		folder = app / _scrub(module)
		if not folder.is_dir():
			index.problems.append(f"{modules_txt}: module {module!r} has no folder {folder.name}/")
			continue
		for kind in ("doctype", "report", "page"):
			for path in sorted((folder / kind).glob("*/*.json")):
				if path.stem != path.parent.name:
					continue
				data = _read_json(path, index.problems)
				if not isinstance(data, dict):
					continue
				name = data.get("name", "")
				if kind == "doctype":
					index.doctypes[name] = {**data, "_path": path}
				elif kind == "report":
					index.reports[name] = {**data, "_path": path}
				else:
					index.pages.add(name)
	roles_file = app / "fixtures" / "role.json"
	if roles_file.is_file():
		data = _read_json(roles_file, index.problems) or []
		index.roles = {r.get("role_name") or r.get("name") for r in data if isinstance(r, dict)}
	return index


def known_doctypes(index: AppIndex, reference: Reference) -> set[str]:
	return set(index.doctypes) | set(reference.doctypes)


def check_doctype(name: str, data: dict, index: AppIndex, reference: Reference) -> list[str]:
	"""Problems of one DocType definition."""
	path = data["_path"]
	problems = []
	if data.get("doctype") != "DocType":
		problems.append(f"{path}: 'doctype' must be 'DocType'")
	if _scrub(name) != path.stem:
		problems.append(f"{path}: name {name!r} does not match its file name")
	if data.get("module") not in index.modules:
		problems.append(f"{path}: module {data.get('module')!r} is not in modules.txt")
	doctypes = known_doctypes(index, reference)
	seen = set()
	fields = data.get("fields", [])
	order = data.get("field_order")
	for position, df in enumerate(fields):
		fieldname = df.get("fieldname")
		fieldtype = df.get("fieldtype")
		where = f"{path}: field {fieldname or position}"
		if not fieldname:
			problems.append(f"{where}: no fieldname")
		elif fieldname in seen:
			problems.append(f"{where}: duplicate fieldname")
		seen.add(fieldname)
		if fieldtype not in FIELD_TYPES:
			problems.append(f"{where}: unknown fieldtype {fieldtype!r}")
		if fieldtype not in NO_VALUE_TYPES and not df.get("label") and fieldtype != "Column Break":
			problems.append(f"{where}: no label")
		options = (df.get("options") or "").strip()
		if fieldtype in ("Link", "Table", "Table MultiSelect"):
			if not options:
				problems.append(f"{where}: {fieldtype} without options")
			elif options not in doctypes:
				problems.append(f"{where}: {fieldtype} to unknown DocType {options!r}")
			elif fieldtype != "Link" and not _is_child(options, index, reference):
				problems.append(f"{where}: {fieldtype} to {options!r}, which is not a child table")
		if fieldtype == "Dynamic Link" and options not in {f.get("fieldname") for f in fields}:
			problems.append(f"{where}: Dynamic Link names no field {options!r}")
	if order is not None and set(order) != {f.get("fieldname") for f in fields}:
		problems.append(f"{path}: field_order and fields do not name the same fields")
	for perm in data.get("permissions", []):
		role = perm.get("role")
		if not is_role_defined(role, index, reference):
			problems.append(f"{path}: permission for undefined role {role!r}")
	if data.get("is_submittable") and data.get("istable"):
		problems.append(f"{path}: a child table cannot be submittable")
	if not data.get("istable") and not data.get("permissions"):
		problems.append(f"{path}: no permissions: nobody but Administrator could use it")
	return problems


def _is_child(doctype: str, index: AppIndex, reference: Reference) -> bool:
	if doctype in index.doctypes:
		return bool(index.doctypes[doctype].get("istable"))
	return reference.doctypes.get(doctype, {}).get("istable") == "1"


def is_role_defined(role: str | None, index: AppIndex, reference: Reference) -> bool:
	return bool(role) and (role in index.roles or role in reference.roles or role in STANDARD_ROLES)


def check_report(name: str, data: dict, index: AppIndex, reference: Reference) -> list[str]:
	"""Problems of one report definition."""
	path = data["_path"]
	problems = []
	if data.get("doctype") != "Report":
		problems.append(f"{path}: 'doctype' must be 'Report'")
	if data.get("report_type") not in REPORT_TYPES:
		problems.append(f"{path}: unknown report_type {data.get('report_type')!r}")
	if data.get("ref_doctype") not in known_doctypes(index, reference):
		problems.append(f"{path}: ref_doctype {data.get('ref_doctype')!r} is not a known DocType")
	if data.get("module") not in index.modules:
		problems.append(f"{path}: module {data.get('module')!r} is not in modules.txt")
	for row in data.get("roles", []):
		if not is_role_defined(row.get("role"), index, reference):
			problems.append(f"{path}: role {row.get('role')!r} is not defined")
	if data.get("report_type") == "Script Report":
		script = path.with_suffix(".py")
		if not script.is_file() or "def execute(" not in script.read_text(encoding="utf-8"):
			problems.append(f"{path}: a Script Report needs {script.name} with execute()")
	return problems


def check_workspace(path: Path, index: AppIndex, reference: Reference) -> list[str]:
	"""Problems of one workspace definition."""
	problems: list[str] = []
	data = _read_json(path, problems)
	if not isinstance(data, dict):
		return problems
	if data.get("doctype") != "Workspace":
		problems.append(f"{path}: 'doctype' must be 'Workspace'")
	if data.get("module") not in index.modules:
		problems.append(f"{path}: module {data.get('module')!r} is not in modules.txt")
	blocks: list = []
	try:
		blocks = json.loads(data.get("content") or "[]")
		if not isinstance(blocks, list):
			problems.append(f"{path}: content must be a JSON list of blocks")
	except json.JSONDecodeError as error:
		problems.append(f"{path}: content is not well-formed JSON ({error})")
	doctypes = known_doctypes(index, reference)
	for link in data.get("links", []) + data.get("shortcuts", []):
		target = link.get("link_to")
		kind = link.get("link_type") or link.get("type")
		if link.get("type") == "Card Break" or not target:
			continue
		if kind == "DocType" and target not in doctypes:
			problems.append(f"{path}: link to unknown DocType {target!r}")
		if kind == "Report" and target not in index.reports and target not in ERPNEXT_REPORTS:
			problems.append(f"{path}: link to unknown report {target!r}")
	for shortcut in data.get("shortcuts", []):
		if shortcut.get("type") == "DocType" and _is_single(shortcut.get("link_to"), index, reference):
			problems.append(
				f"{path}: shortcut to single DocType {shortcut.get('link_to')!r} (the desk cannot count it)"
			)
	names = {s.get("label") for s in data.get("shortcuts", [])}
	for block in blocks if isinstance(blocks, list) else []:
		name = block.get("data", {}).get("shortcut_name")
		if block.get("type") == "shortcut" and name not in names:
			problems.append(f"{path}: content shows shortcut {name!r} that is not defined")
	for row in data.get("roles", []):
		if not is_role_defined(row.get("role"), index, reference):
			problems.append(f"{path}: role {row.get('role')!r} is not defined")
	return problems


def _is_single(doctype: str | None, index: AppIndex, reference: Reference) -> bool:
	if doctype in index.doctypes:
		return bool(index.doctypes[doctype].get("issingle"))
	return reference.doctypes.get(doctype or "", {}).get("issingle") == "1"


def check_documents(folder_kind: str, key: str, index: AppIndex, reference: Reference) -> list[str]:
	"""Number cards and dashboard charts must name a known DocType (or a report of this app)."""
	problems: list[str] = []
	doctypes = known_doctypes(index, reference)
	for module in index.modules:
		for path in sorted((index.root / _scrub(module) / folder_kind).glob("*/*.json")):
			data = _read_json(path, problems)
			if not isinstance(data, dict):
				continue
			target = data.get(key)
			if data.get("type") == "Report" or data.get("chart_type") == "Report":
				if data.get("report_name") not in index.reports:
					problems.append(f"{path}: report {data.get('report_name')!r} is not in this app")
			elif target and target not in doctypes:
				problems.append(f"{path}: {key} {target!r} is not a known DocType")
	return problems


def hook_paths(hooks_file: Path) -> list[str]:
	"""Every dotted path string in hooks.py that names code of this app (old API paths that
	override_whitelisted_methods sends to new ones are names, not code)."""
	tree = ast.parse(hooks_file.read_text(encoding="utf-8"))
	app = hooks_file.parent.name
	paths = []
	retired = set()
	for node in ast.walk(tree):
		if isinstance(node, ast.Assign) and any(
			isinstance(target, ast.Name) and target.id == "override_whitelisted_methods"
			for target in node.targets
		):
			retired.update(id(key) for key in node.value.keys)
	for node in ast.walk(tree):
		if id(node) in retired:
			continue
		if isinstance(node, ast.Constant) and isinstance(node.value, str):
			value = node.value
			if value.startswith(f"{app}.") and " " not in value and "/" not in value:
				paths.append(value)
	return paths


def resolve_dotted(path: str, root: Path = REPO) -> str | None:
	"""Return a problem if a dotted path does not name an existing module attribute, else None."""
	parts = path.split(".")
	for split in range(len(parts) - 1, 0, -1):
		module = root.joinpath(*parts[:split])
		attrs = parts[split:]
		for candidate in (module.with_suffix(".py"), module / "__init__.py"):
			if candidate.is_file():
				if len(attrs) != 1:
					return f"{path}: no such module"
				if attrs[0] not in _top_level_names(candidate):
					return f"{path}: {candidate.relative_to(root)} defines no {attrs[0]!r}"
				return None
	if (
		root.joinpath(*parts).with_suffix(".py").is_file()
		or (root.joinpath(*parts) / "__init__.py").is_file()
	):
		return None
	return f"{path}: no such module"


def _top_level_names(path: Path) -> set[str]:
	tree = ast.parse(path.read_text(encoding="utf-8"))
	names = set()
	for node in tree.body:
		if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
			names.add(node.name)
		elif isinstance(node, ast.Assign):
			names.update(t.id for t in node.targets if isinstance(t, ast.Name))
		elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
			names.add(node.target.id)
		elif isinstance(node, ast.ImportFrom | ast.Import):
			names.update((a.asname or a.name).split(".")[0] for a in node.names)
	return names


def check_hooks(hooks_file: Path, index: AppIndex, reference: Reference) -> list[str]:
	"""Dotted paths resolve; doc_events, fixtures and overrides name known DocTypes."""
	problems = [
		p for p in (resolve_dotted(path, hooks_file.parent.parent) for path in hook_paths(hooks_file)) if p
	]
	namespace: dict = {}
	exec(compile(hooks_file.read_text(encoding="utf-8"), str(hooks_file), "exec"), namespace)
	doctypes = known_doctypes(index, reference) | {"*"}
	for key in (
		"doc_events",
		"override_doctype_class",
		"doctype_js",
		"doctype_list_js",
		"permission_query_conditions",
		"has_permission",
	):
		for doctype in namespace.get(key) or {}:
			if doctype not in doctypes:
				problems.append(f"{hooks_file}: {key} names unknown DocType {doctype!r}")
	for fixture in namespace.get("fixtures") or []:
		doctype = fixture.get("dt") if isinstance(fixture, dict) else fixture
		if doctype not in doctypes:
			problems.append(f"{hooks_file}: fixture of unknown DocType {doctype!r}")
	for role in _roles_in_hooks(namespace):
		if not is_role_defined(role, index, reference):
			problems.append(f"{hooks_file}: role {role!r} is not defined")
	return problems


def _roles_in_hooks(namespace: dict) -> list[str]:
	roles = []
	for item in namespace.get("add_to_apps_screen") or []:
		roles.extend(item.get("roles", []))
	return roles


def check_fixtures(index: AppIndex, reference: Reference) -> list[str]:
	"""Fixture files parse; custom fields point at known DocTypes; permissions name known roles."""
	problems: list[str] = []
	doctypes = known_doctypes(index, reference)
	folder = index.root / "fixtures"
	for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
		data = _read_json(path, problems)
		if data is None:
			continue
		if not isinstance(data, list):
			problems.append(f"{path}: a fixture file holds a list of documents")
			continue
		for doc in data:
			kind = doc.get("doctype")
			if kind == "Custom Field":
				if doc.get("dt") not in doctypes:
					problems.append(
						f"{path}: custom field {doc.get('fieldname')!r} on unknown DocType {doc.get('dt')!r}"
					)
				if (
					doc.get("fieldtype") in ("Link", "Table", "Table MultiSelect")
					and doc.get("options") not in doctypes
				):
					problems.append(
						f"{path}: custom field {doc.get('fieldname')!r} links unknown DocType {doc.get('options')!r}"
					)
				if doc.get("fieldtype") not in FIELD_TYPES:
					problems.append(f"{path}: custom field {doc.get('fieldname')!r} has unknown fieldtype")
			elif kind in ("Custom DocPerm", "DocPerm") and not is_role_defined(
				doc.get("role"), index, reference
			):
				problems.append(f"{path}: permission for undefined role {doc.get('role')!r}")
			elif kind == "Workflow":
				for row in doc.get("transitions", []):
					if not is_role_defined(row.get("allowed"), index, reference):
						problems.append(
							f"{path}: workflow transition for undefined role {row.get('allowed')!r}"
						)
				for row in doc.get("states", []):
					if not is_role_defined(row.get("allow_edit"), index, reference):
						problems.append(
							f"{path}: workflow state editable by undefined role {row.get('allow_edit')!r}"
						)
	return problems


def check_app(app: Path = APP, reference: Reference | None = None) -> list[str]:
	"""Every static problem of the app; an empty list means all is well."""
	reference = reference or load_reference()
	index = index_app(app)
	problems = list(index.problems)
	for name, data in index.doctypes.items():
		problems += check_doctype(name, data, index, reference)
	for name, data in index.reports.items():
		problems += check_report(name, data, index, reference)
	for module in index.modules:
		for path in sorted((app / _scrub(module) / "workspace").glob("*/*.json")):
			problems += check_workspace(path, index, reference)
		for path in sorted((app / _scrub(module) / "print_format").glob("*/*.json")):
			data = _read_json(path, problems)
			if isinstance(data, dict) and data.get("doc_type") not in known_doctypes(index, reference):
				problems.append(f"{path}: print format for unknown DocType {data.get('doc_type')!r}")
	problems += check_documents("number_card", "document_type", index, reference)
	problems += check_documents("dashboard_chart", "document_type", index, reference)
	problems += check_fixtures(index, reference)
	problems += check_hooks(app / "hooks.py", index, reference)
	return problems
