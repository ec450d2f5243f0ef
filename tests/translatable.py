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
JINJA_CALL = re.compile(r"""_\(\s*"([^"]*)"\s*\)""")
TREE_ROOT = re.compile(r"""root_label:\s*""" + JS_LITERAL)
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
	return found


def doctype_messages(doc: dict) -> set[Message]:
	"""Name, labels, descriptions and Select options of a DocType; the desk form looks each up under the DocType."""
	found = {Message(doc["name"])}
	for field in doc.get("fields", []):
		values = [v for v in (field.get("label"), field.get("description")) if v]
		if field.get("fieldtype") == "Select":
			values += [o for o in (field.get("options") or "").split("\n") if o and ".YYYY." not in o]
		found.update(Message(v) for v in values)
		found.update(Message(v, doc["name"]) for v in values)
	return found


def workspace_messages(doc: dict) -> set[Message]:
	found = {Message(doc["label"])}
	found.update(
		Message(link["label"])
		for link in doc.get("links", []) + doc.get("shortcuts", [])
		if link.get("label")
	)
	for block in json.loads(doc.get("content") or "[]"):
		if block.get("type") == "header":
			found.add(Message(HTML_TAG.sub("", block["data"]["text"]).strip()))
	return found


def json_messages(path: Path) -> set[Message]:
	data = json.loads(path.read_text(encoding="utf-8"))
	found: set[Message] = set()
	documents = data if isinstance(data, list) else [data]
	for doc in documents:
		if doc.get("doctype") == "DocType":
			found |= doctype_messages(doc)
		elif doc.get("doctype") == "Print Format":
			found.update(Message(s) for s in JINJA_CALL.findall(doc.get("html") or ""))
		elif doc.get("doctype") == "Workspace":
			found |= workspace_messages(doc)
		elif doc.get("doctype") == "Custom Field":
			values = [v for v in (doc.get("label"), doc.get("description")) if v]
			if doc.get("fieldtype") == "Select":
				values += [o for o in (doc.get("options") or "").split("\n") if o]
			found.update(Message(v) for v in values)
			found.update(Message(v, doc["dt"]) for v in values)
		elif doc.get("doctype") in ("Role", "Workflow State", "Workflow Action Master"):
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
	return {m for m in found if m.source.strip()}


def app_strings(app: Path = APP) -> set[str]:
	"""Every translatable string the desk shows."""
	return {m.source for m in app_messages(app)}


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
