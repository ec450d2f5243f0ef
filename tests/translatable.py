"""The user-facing strings of the app, collected the way Frappe's translation tools see them."""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path

from tests.app_checks import APP

JS_CALL = re.compile(r"""__\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`$]*`)""")
JINJA_CALL = re.compile(r"""_\(\s*"([^"]*)"\s*\)""")
SKIPPED_DIRS = ("analytics", "tests")


def python_strings(path: Path) -> set[str]:
	"""Literal first arguments of _() calls."""
	found = set()
	for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
		if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args:
			first = node.args[0]
			if isinstance(first, ast.Constant) and isinstance(first.value, str):
				found.add(first.value)
	return found


def js_strings(path: Path) -> set[str]:
	found = set()
	for match in JS_CALL.finditer(path.read_text(encoding="utf-8")):
		literal = match.group(1)
		found.add(literal[1:-1] if literal.startswith("`") else ast.literal_eval(literal))
	return found


def json_strings(path: Path) -> set[str]:
	data = json.loads(path.read_text(encoding="utf-8"))
	found: set[str] = set()
	documents = data if isinstance(data, list) else [data]
	for doc in documents:
		if doc.get("doctype") == "DocType":
			found.add(doc["name"])
			for field in doc.get("fields", []):
				found.update(v for v in (field.get("label"), field.get("description")) if v)
				if field.get("fieldtype") == "Select":
					found.update(
						o for o in (field.get("options") or "").split("\n") if o and ".YYYY." not in o
					)
		elif doc.get("doctype") == "Print Format":
			found.update(JINJA_CALL.findall(doc.get("html") or ""))
		elif doc.get("doctype") == "Workspace":
			found.add(doc["label"])
			found.update(
				link["label"] for link in doc.get("links", []) + doc.get("shortcuts", []) if link.get("label")
			)
		elif doc.get("doctype") == "Custom Field":
			found.update(v for v in (doc.get("label"), doc.get("description")) if v)
			if doc.get("fieldtype") == "Select":
				found.update(o for o in (doc.get("options") or "").split("\n") if o)
		elif doc.get("doctype") in ("Role", "Workflow State", "Workflow Action Master"):
			found.add(doc["name"])
	return found


def app_strings(app: Path = APP) -> set[str]:
	"""Every translatable string the desk shows."""
	found: set[str] = set()
	for path in app.rglob("*"):
		parts = path.relative_to(app).parts
		if parts[0] in SKIPPED_DIRS or path.name.startswith("test_"):
			continue
		if path.suffix == ".py":
			found |= python_strings(path)
		elif path.suffix == ".js":
			found |= js_strings(path)
		elif path.suffix == ".json" and parts[0] not in ("presets",):
			found |= json_strings(path)
	return {s for s in found if s.strip()}


def read_translations(path: Path) -> dict[str, str]:
	with path.open(encoding="utf-8", newline="") as handle:
		return {row[0]: row[1] for row in csv.reader(handle) if row}
