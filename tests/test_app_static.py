"""The app's definition files, checked without a site; and the checker itself, on broken apps."""

import json
import shutil
from pathlib import Path

import pytest

from tests.app_checks import APP, check_app, load_reference, resolve_dotted

REFERENCE = load_reference()


def test_the_app_has_no_static_problems():
	assert check_app(APP, REFERENCE) == []


def test_the_analytics_core_does_not_import_frappe():
	offenders = [
		str(path)
		for path in (APP / "analytics").rglob("*.py")
		if any(
			line.strip().startswith(("import frappe", "from frappe"))
			for line in path.read_text().splitlines()
		)
	]
	assert offenders == []


def make_app(tmp_path: Path) -> Path:
	"""A tiny app with one good DocType, to break in each test."""
	app = tmp_path / "demo_app"
	doctype = app / "demo_module" / "doctype" / "demo_thing"
	doctype.mkdir(parents=True)
	(app / "modules.txt").write_text("Demo Module\n")
	(app / "hooks.py").write_text('app_name = "demo_app"\n')
	(app / "__init__.py").write_text("")
	(doctype / "demo_thing.json").write_text(
		json.dumps(
			{
				"doctype": "DocType",
				"name": "Demo Thing",
				"module": "Demo Module",
				"fields": [
					{"fieldname": "customer", "fieldtype": "Link", "label": "Customer", "options": "Customer"}
				],
				"field_order": ["customer"],
				"permissions": [{"role": "System Manager", "read": 1}],
			}
		)
	)
	return app


def edit(app: Path, change) -> None:
	path = app / "demo_module" / "doctype" / "demo_thing" / "demo_thing.json"
	data = json.loads(path.read_text())
	change(data)
	path.write_text(json.dumps(data))


def add_workspace(app: Path, **values) -> None:
	workspace = app / "demo_module" / "workspace" / "demo"
	workspace.mkdir(parents=True)
	data = {"doctype": "Workspace", "module": "Demo Module", **values}
	(workspace / "demo.json").write_text(json.dumps(data))


def test_a_good_tiny_app_passes(tmp_path):
	assert check_app(make_app(tmp_path), REFERENCE) == []


def test_broken_json_is_reported(tmp_path):
	app = make_app(tmp_path)
	(app / "demo_module" / "doctype" / "demo_thing" / "demo_thing.json").write_text('{"doctype": "DocType",')
	problems = check_app(app, REFERENCE)
	assert len(problems) == 1 and "not well-formed JSON" in problems[0]


@pytest.mark.parametrize(
	"change, expected",
	[
		(
			lambda d: d["fields"][0].update(options="No Such DocType"),
			"Link to unknown DocType 'No Such DocType'",
		),
		(lambda d: d["permissions"][0].update(role="Imaginary Role"), "undefined role 'Imaginary Role'"),
		(lambda d: d["fields"][0].update(fieldtype="Linky"), "unknown fieldtype 'Linky'"),
		(lambda d: d.update(module="Elsewhere"), "module 'Elsewhere' is not in modules.txt"),
		(lambda d: d["fields"].append(dict(d["fields"][0])), "duplicate fieldname"),
		(lambda d: d["fields"][0].update(fieldtype="Table", options="Customer"), "not a child table"),
		(lambda d: d.update(permissions=[]), "no permissions"),
	],
)
def test_doctype_problems_are_reported(tmp_path, change, expected):
	app = make_app(tmp_path)
	edit(app, change)
	problems = check_app(app, REFERENCE)
	assert any(expected in p for p in problems), problems


def test_broken_workspace_and_report(tmp_path):
	app = make_app(tmp_path)
	add_workspace(
		app, content="[{", links=[{"link_type": "Report", "link_to": "Ghost Report", "type": "Link"}]
	)
	report = app / "demo_module" / "report" / "demo_report"
	report.mkdir(parents=True)
	(report / "demo_report.json").write_text(
		json.dumps(
			{
				"doctype": "Report",
				"name": "Demo Report",
				"module": "Demo Module",
				"report_type": "Script Report",
				"ref_doctype": "Customer",
				"roles": [{"role": "Nobody"}],
			}
		)
	)
	problems = "\n".join(check_app(app, REFERENCE))
	assert "content is not well-formed JSON" in problems
	assert "link to unknown report 'Ghost Report'" in problems
	assert "role 'Nobody' is not defined" in problems
	assert "needs demo_report.py with execute()" in problems


def test_hook_paths_must_resolve(tmp_path):
	app = make_app(tmp_path)
	(app / "tasks.py").write_text("def daily():\n\tpass\n")
	(app / "hooks.py").write_text(
		'app_name = "demo_app"\n'
		'scheduler_events = {"daily": ["demo_app.tasks.daily", "demo_app.tasks.hourly", "demo_app.nowhere.run"]}\n'
		'doc_events = {"Nonexistent DocType": {"on_update": "demo_app.tasks.daily"}}\n'
	)
	problems = "\n".join(check_app(app, REFERENCE))
	assert "demo_app.tasks.daily" not in problems.split("doc_events")[0]
	assert "defines no 'hourly'" in problems
	assert "demo_app.nowhere.run: no such module" in problems
	assert "doc_events names unknown DocType 'Nonexistent DocType'" in problems


def test_resolve_dotted_on_the_real_app():
	assert resolve_dotted("churn_management.cli.main") is None
	assert resolve_dotted("churn_management.cli.nothing_here") is not None


def test_workspace_shortcut_to_a_single_doctype_is_reported(tmp_path):
	app = make_app(tmp_path)
	add_workspace(
		app,
		content=json.dumps([{"type": "shortcut", "data": {"shortcut_name": "Ghost"}}]),
		shortcuts=[{"type": "DocType", "link_to": "System Settings", "label": "System Settings"}],
	)
	problems = "\n".join(check_app(app, REFERENCE))
	assert "shortcut to single DocType 'System Settings'" in problems
	assert "content shows shortcut 'Ghost' that is not defined" in problems


def test_hooks_assign_each_name_once():
	"""A second `doc_events = {...}` in hooks.py silently replaces the first one."""
	import ast
	from collections import Counter
	from pathlib import Path

	tree = ast.parse((Path(__file__).parents[1] / "churn_management" / "hooks.py").read_text())
	names = Counter(
		target.id
		for node in tree.body
		if isinstance(node, ast.Assign)
		for target in node.targets
		if isinstance(target, ast.Name)
	)
	assert [name for name, count in names.items() if count > 1] == []
