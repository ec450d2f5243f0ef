"""The user-facing strings of the app, collected the way Frappe's translation tools see them."""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path
from typing import NamedTuple

from tests.app_checks import APP

JS_LITERAL = r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`$]*`)"""
JS_CALL = re.compile(
	r"__\(\s*" + JS_LITERAL + r"(?:\s*,\s*(?:null|undefined|\[[^\]]*\]|\{[^}]*\})\s*,\s*" + JS_LITERAL + r")?"
)
JINJA_CALL = re.compile(r"""_\(\s*"([^"]*)"\s*(?:,\s*context\s*=\s*"([^"]*)"\s*)?\)""")
TREE_ROOT = re.compile(r"""root_label:\s*""" + JS_LITERAL)
# Select options written in a script: a list of literals, or one literal with a value per line.
JS_OPTION_LIST = re.compile(r"options:\s*\[([^\]{}]*)\]")
JS_OPTION_LINES = re.compile(r"""options:\s*("(?:[^"\\]|\\.)*\\n(?:[^"\\]|\\.)*")""")
JS_STRING = re.compile(JS_LITERAL)
HTML_TAG = re.compile(r"<[^>]+>")
SKIPPED_DIRS = ("analytics", "tests")


class Message(NamedTuple):
	"""A string the desk shows, with the context it is looked up in (None: no context)."""

	source: str
	context: str | None = None


class Row(NamedTuple):
	"""One row of a translation catalogue: source, translation and optional context."""

	source: str
	translation: str
	context: str | None = None


def js_literal(literal: str) -> str:
	return literal[1:-1] if literal.startswith("`") else ast.literal_eval(literal)


def python_messages(path: Path) -> set[Message]:
	"""Literal first arguments of _() calls, with a literal context= keyword where given."""
	found = set()
	for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
		if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args:
			first = node.args[0]
			if isinstance(first, ast.Constant) and isinstance(first.value, str):
				context = next(
					(
						k.value.value
						for k in node.keywords
						if k.arg == "context" and isinstance(k.value, ast.Constant)
					),
					None,
				)
				found.add(Message(first.value, context))
	return found


def js_messages(path: Path) -> set[Message]:
	"""Literal first arguments of __() calls, with a literal third argument (the context) where given."""
	text = path.read_text(encoding="utf-8")
	found = {
		Message(js_literal(m.group(1)), js_literal(m.group(2)) if m.group(2) else None)
		for m in JS_CALL.finditer(text)
	}
	# The tree view shows its root through __(), under the name the tree script gives it.
	found.update(Message(js_literal(m.group(1))) for m in TREE_ROOT.finditer(text))
	# A Select of a dialog or report filter shows each option through __() without a context.
	for listed in JS_OPTION_LIST.finditer(text):
		found.update(Message(js_literal(m.group(1))) for m in JS_STRING.finditer(listed.group(1)))
	for lines in JS_OPTION_LINES.finditer(text):
		found.update(Message(option) for option in js_literal(lines.group(1)).split("\n"))
	return found


def field_messages(field: dict, doctype: str) -> set[Message]:
	"""Label, description and Select options of a field, looked up under its DocType (Frappe v15's
	form, list, grid and errors pass df.parent; our select_context.js does for Select values)."""
	values = [v for v in (field.get("label"), field.get("description")) if v]
	if field.get("fieldtype") == "Select":
		values += [o for o in (field.get("options") or "").split("\n") if o and ".YYYY." not in o]
	return {Message(v, doctype) for v in values}


def doctype_messages(doc: dict) -> set[Message]:
	"""Name (shown without context), then labels, descriptions and Select options under the DocType."""
	found = {Message(doc["name"])}
	for field in doc.get("fields", []):
		found |= field_messages(field, doc["name"])
	return found


def workspace_messages(doc: dict) -> set[Message]:
	"""Sidebar label and title, card and link labels, shortcuts, number cards, charts and headers.

	The workspace widgets show their titles through __() without a context."""
	found = {Message(doc["label"]), Message(doc.get("title") or doc["label"])}
	for key in ("links", "shortcuts", "number_cards", "charts", "quick_lists", "custom_blocks"):
		for item in doc.get(key, []):
			found.update(Message(item[k]) for k in ("label", "description", "format") if item.get(k))
	for block in json.loads(doc.get("content") or "[]"):
		if block.get("type") == "header":
			found.add(Message(HTML_TAG.sub("", block["data"]["text"]).strip()))
	return found


def report_messages(doc: dict) -> set[Message]:
	"""Report name (the page title and sidebar), its JSON columns and filters."""
	found = {Message(doc["name"])}
	for item in doc.get("columns", []) + doc.get("filters", []):
		found |= {Message(m.source) for m in field_messages(item, doc["name"])}
	return found


def json_messages(path: Path) -> set[Message]:
	data = json.loads(path.read_text(encoding="utf-8"))
	found: set[Message] = set()
	documents = data if isinstance(data, list) else [data]
	for doc in documents:
		if doc.get("doctype") == "DocType":
			found |= doctype_messages(doc)
		elif doc.get("doctype") == "Print Format":
			found.update(Message(s, c or None) for s, c in JINJA_CALL.findall(doc.get("html") or ""))
		elif doc.get("doctype") == "Workspace":
			found |= workspace_messages(doc)
		elif doc.get("doctype") == "Report":
			found |= report_messages(doc)
		elif doc.get("doctype") == "Number Card":
			found.add(Message(doc.get("label") or doc["name"]))
		elif doc.get("doctype") == "Dashboard Chart":
			found.add(Message(doc.get("chart_name") or doc["name"]))
		elif doc.get("doctype") == "Custom Field":
			found |= field_messages(doc, doc["dt"])
		elif doc.get("doctype") == "Workflow":
			# The indicator reads a state under the DocType; the action buttons read plainly.
			found.update(Message(state["state"], doc["document_type"]) for state in doc.get("states", []))
			found.update(Message(step["action"]) for step in doc.get("transitions", []))
		elif doc.get("doctype") in ("Role", "Workflow Action Master"):
			found.add(Message(doc["name"]))
	return found


def app_messages(app: Path = APP) -> set[Message]:
	"""Every translatable string the desk shows, with each context it is looked up in."""
	found: set[Message] = set()
	for path in app.rglob("*"):
		parts = path.relative_to(app).parts
		if parts[0] in SKIPPED_DIRS or path.name.startswith("test_"):
			continue
		if path.suffix == ".py":
			found |= python_messages(path)
		elif path.suffix == ".js":
			found |= js_messages(path)
		elif path.suffix == ".json" and parts[0] not in ("presets",):
			found |= json_messages(path)
	found |= debt_stage_messages()
	return {m for m in found if m.source.strip()}


def debt_stage_messages() -> set[Message]:
	"""Names of the preset debt stages: the stages are made under them, read in the Debt Stage context."""
	from churn_management.analytics.debt.collection import STAGE_PRESETS

	return {Message(stage.name, "Debt Stage") for stages in STAGE_PRESETS.values() for stage in stages}


def app_strings(app: Path = APP) -> set[str]:
	"""Every translatable string the desk shows."""
	return {m.source for m in app_messages(app)}


def bare_labels(app: Path = APP) -> set[str]:
	"""Literal "label" values in the app's Python (report columns, summaries) that skip _()."""
	found = set()
	for path in app.rglob("*.py"):
		if path.relative_to(app).parts[0] in SKIPPED_DIRS or path.name.startswith("test_"):
			continue
		for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
			if isinstance(node, ast.Dict):
				found.update(
					f"{path.relative_to(app)}: {value.value!r}"
					for key, value in zip(node.keys, node.values, strict=True)
					if isinstance(key, ast.Constant)
					and key.value == "label"
					and isinstance(value, ast.Constant)
					and isinstance(value.value, str)
				)
	return found


def js_arguments(text: str, start: int) -> list[str]:
	"""The top-level arguments of the call whose "(" is at start."""
	depth, quote, current, found = 0, None, "", []
	for char in text[start + 1 :]:
		if quote:
			quote = None if char == quote and not current.endswith("\\") else quote
		elif char in "\"'`":
			quote = char
		elif char in "([{":
			depth += 1
		elif char in ")]}":
			if depth == 0:
				return [*found, current.strip()]
			depth -= 1
		elif char == "," and depth == 0:
			found.append(current.strip())
			current = ""
			continue
		current += char
	return [*found, current.strip()]


def js_dynamic_calls(path: Path) -> list[tuple[str, str | None]]:
	"""__() calls whose text is a value (a status, a step type), with the context they pass (None: none)."""
	text = path.read_text(encoding="utf-8")
	calls = []
	for match in re.finditer(r"(?<![\w.])__\(\s*(?=[A-Za-z_])", text):
		arguments = js_arguments(text, text.index("(", match.start()))
		calls.append((arguments[0], arguments[2] if len(arguments) > 2 else None))
	return calls


def read_rows(path: Path) -> list[Row]:
	"""Rows of a catalogue as Frappe reads them: source, translation[, context]."""
	with path.open(encoding="utf-8", newline="") as handle:
		return [
			Row(row[0], row[1], row[2] if len(row) > 2 and row[2] else None)
			for row in csv.reader(handle)
			if row
		]


def read_translations(path: Path) -> dict[str, str]:
	"""Rows without context: what the catalogue says for a string site-wide."""
	return {row.source: row.translation for row in read_rows(path) if row.context is None}
