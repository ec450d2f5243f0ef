"""The Russian catalogue covers every string the desk shows and changes none of Frappe's or ERPNext's words.

Frappe merges the catalogues of all installed apps into one dictionary per language, this app's last:
a row without context here would change the word everywhere in Frappe and ERPNext. Their Russian for
short words and for the strings this app shows is kept in tests/reference/frappe_erpnext_ru.csv
(rebuilt with tests/reference/make_frappe_erpnext_ru.py), so the check runs without a bench.
"""

import csv
import json
import re
from pathlib import Path

from tests.app_checks import APP
from tests.translatable import (
	Message,
	Row,
	app_messages,
	app_strings,
	js_messages,
	python_messages,
	read_rows,
	read_translations,
)

RU = APP / "translations" / "ru.csv"
REFERENCE = Path(__file__).parent / "reference" / "frappe_erpnext_ru.csv"
PRINT_FORMAT = APP / "churn_management" / "print_format" / "termination_application_form"
PLACEHOLDER = re.compile(r"\{\d*\}")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]+>", re.S)
# Words the issue names: an employee who left, an overdue invoice, a cancelled order read as ERPNext says.
PROTECTED = ("Left", "Right", "Open", "Overdue", "Active", "None", "Cancel", "Cancelled", "Item", "Company")


def frappe_erpnext() -> dict[str, str]:
	"""Russian that Frappe and ERPNext give their own words, without context."""
	with REFERENCE.open(encoding="utf-8", newline="") as handle:
		return {row[0]: row[1] for row in csv.reader(handle) if row}


def redefined(rows: list[Row], upstream: dict[str, str]) -> dict[str, tuple[str, str]]:
	"""Rows without context that would change a word Frappe or ERPNext translate: source -> (ours, theirs)."""
	return {
		row.source: (row.translation, upstream[row.source])
		for row in rows
		if row.context is None and row.source in upstream and row.translation != upstream[row.source]
	}


def test_rows_are_well_formed():
	with RU.open(encoding="utf-8", newline="") as handle:
		rows = list(csv.reader(handle))
	assert rows
	assert [row for row in rows if len(row) not in (2, 3) or not all(row)] == []
	keys = [(row.source, row.context) for row in read_rows(RU)]
	assert sorted({k for k in keys if keys.count(k) > 1}, key=str) == []


def test_every_string_is_translated():
	"""By a row here, or by Frappe or ERPNext when it is their word."""
	covered = set(read_translations(RU)) | set(frappe_erpnext())
	assert sorted(app_strings() - covered) == []


def test_no_frappe_or_erpnext_word_is_redefined():
	"""A word that needs its own meaning here goes under a context, never site-wide."""
	assert redefined(read_rows(RU), frappe_erpnext()) == {}


def test_the_check_catches_the_words_of_the_issue():
	upstream = frappe_erpnext()
	assert [word for word in PROTECTED if word not in upstream] == []
	rows = [Row("Left", "Левая граница"), Row("Overdue", "Просрочка"), Row("Open", "Открыта", "Churn Record")]
	rows.append(Row("Customer", upstream["Customer"]))
	assert set(redefined(rows, upstream)) == {"Left", "Overdue"}


def test_context_rows_are_looked_up():
	"""A row with a context is used: a call passes that context, or the DocType's form shows the word."""
	used = app_messages()
	unused = [row for row in read_rows(RU) if row.context and Message(row.source, row.context) not in used]
	assert unused == []


def test_placeholders_survive_translation():
	wrong = {
		(row.source, row.context): row.translation
		for row in read_rows(RU)
		if sorted(PLACEHOLDER.findall(row.source)) != sorted(PLACEHOLDER.findall(row.translation))
	}
	assert wrong == {}


def test_strings_are_collected():
	strings = app_strings()
	assert "Termination Application" in strings
	assert "The customer's own words" in strings
	assert "Customer {0} has already churned: see churn record {1}." in strings
	assert "All Churn Reasons" in strings
	assert "Registers and setup" in strings
	assert Message("Opening", "Speech Module Step") in app_messages()


def test_involuntary_says_the_customer_did_not_choose():
	ours = read_translations(RU)
	assert "неоплат" in ours["Involuntary"] and ours["Involuntary"].startswith("Недоброволь")
	assert ours["Voluntary"].startswith("Доброволь")
	involuntary = [row for row in read_rows(RU) if "involuntary" in row.source.lower()]
	assert (
		involuntary
		and [row.source for row in involuntary if "недоброволь" not in row.translation.lower()] == []
	)


def test_print_form_comes_in_the_readers_language():
	"""No fixed print language, and every word of the form passes through _()."""
	form = json.loads((PRINT_FORMAT / "termination_application_form.json").read_text(encoding="utf-8"))
	assert not form.get("default_print_language")
	bare = re.findall(r"[A-Za-z]{2,}", JINJA.sub(" ", form["html"]))
	assert bare == []


def test_reference_stays_small():
	assert REFERENCE.stat().st_size < 1_000_000


def test_contexts_of_calls_are_collected(tmp_path):
	script = tmp_path / "x_list.js"
	script.write_text('return [__("Open", null, "Churn Record"), __("Save"), __("{0} left", [n], "Days")];\n')
	module = tmp_path / "x.py"
	module.write_text('from frappe import _\n_("Primary", context="Churn Record")\n_("Left")\n')
	assert js_messages(script) == {
		Message("Open", "Churn Record"),
		Message("Save"),
		Message("{0} left", "Days"),
	}
	assert python_messages(module) == {Message("Primary", "Churn Record"), Message("Left")}
