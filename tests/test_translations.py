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
	bare_labels,
	js_dynamic_calls,
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
# Upstream Russian that is simply misspelt, for a word our screens show without a context (a widget
# title, a report name): ours spells it right site-wide, with the same meaning.
CORRECTED = {"Debtors": ("Дебеторы", "Дебиторы"), "Month": ("Mесяц", "Месяц")}  # Latin "M" upstream


def frappe_erpnext() -> dict[str, str]:
	"""Russian that Frappe and ERPNext give their own words, without context."""
	with REFERENCE.open(encoding="utf-8", newline="") as handle:
		return {row[0]: row[1] for row in csv.reader(handle) if row}


def redefined(rows: list[Row], upstream: dict[str, str]) -> dict[str, tuple[str, str]]:
	"""Rows without context that would change a word Frappe or ERPNext translate: source -> (ours, theirs)."""
	return {
		row.source: (row.translation, upstream[row.source])
		for row in rows
		if row.context is None
		and row.source in upstream
		and row.translation != upstream[row.source]
		and CORRECTED.get(row.source) != (upstream[row.source], row.translation)
	}


def missing_lines(messages: set[Message], rows: list[Row]) -> list[str]:
	"""Strings without a line of ours: a row under their context, or one without context (serves all)."""
	keys = {(row.source, row.context) for row in rows}
	return sorted(
		f"{m.source!r} (context {m.context!r})" if m.context else repr(m.source)
		for m in messages
		if (m.source, m.context) not in keys and (m.source, None) not in keys
	)


def test_rows_are_well_formed():
	with RU.open(encoding="utf-8", newline="") as handle:
		rows = list(csv.reader(handle))
	assert rows
	assert [row for row in rows if len(row) not in (2, 3) or not all(row)] == []
	keys = [(row.source, row.context) for row in read_rows(RU)]
	assert sorted({k for k in keys if keys.count(k) > 1}, key=str) == []


def test_every_string_has_a_line_of_ours():
	"""Labels, options, card titles, shortcuts, report columns and messages: never a word borrowed from
	Frappe, ERPNext or another app ("Outstanding" is not "Выдающийся" on a Debt Case)."""
	missing = missing_lines(app_messages(), read_rows(RU))
	assert not missing, (
		f"{len(missing)} strings of the app have no line in churn_management/translations/ru.csv "
		"(add source,translation[,context] at the end of the file):\n" + "\n".join(missing)
	)


def test_missing_lines_are_named_with_their_context():
	rows = [Row("Outstanding", "Задолженность", "Debt Case"), Row("Customer", "Клиент")]
	messages = {
		Message("Outstanding", "Debt Case"),
		Message("Customer", "Debt Case"),
		Message("Call", "Debt Case Action"),
		Message("Debtors"),
	}
	assert missing_lines(messages, rows) == ["'Call' (context 'Debt Case Action')", "'Debtors'"]
	assert missing_lines({Message("Outstanding")}, rows) == ["'Outstanding'"]


def test_report_labels_pass_through_translation():
	assert sorted(bare_labels()) == []


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


def test_desk_screens_are_collected(tmp_path):
	"""Number cards, workspace widgets, report columns, dialog options and stage names need a line too."""
	card = {"doctype": "Number Card", "name": "Lapsed Members", "label": "Lapsed Members"}
	workspace = {
		"doctype": "Workspace",
		"label": "Club",
		"title": "Club",
		"content": "[]",
		"shortcuts": [{"label": "Debtors", "type": "Report"}],
		"number_cards": [{"label": "Members At Risk", "number_card_name": "Members At Risk"}],
		"links": [{"label": "Visits", "description": "Loaded from the turnstiles"}],
	}
	report = {"doctype": "Report", "name": "Club Report", "columns": [{"label": "Visits last month"}]}
	for name, doc in (("card", card), ("workspace", workspace), ("report", report)):
		(tmp_path / f"{name}.json").write_text(json.dumps(doc))
	(tmp_path / "x_list.js").write_text('f({ fieldtype: "Select", options: ["", "Waiting", "Open"] });\n')
	(tmp_path / "y.js").write_text('f({ fieldtype: "Select", options: "security\\nisp" });\n')
	(tmp_path / "chart.py").write_text('from frappe import _\n_("Outstanding", context="Debt Case")\n')
	found = app_messages(tmp_path)
	expected = {
		Message("Lapsed Members"),
		Message("Debtors"),
		Message("Members At Risk"),
		Message("Loaded from the turnstiles"),
		Message("Club Report"),
		Message("Visits last month"),
		Message("Waiting"),
		Message("security"),
		Message("isp"),
		Message("Outstanding", "Debt Case"),
		Message("Call", "Debt Stage"),
	}
	assert expected - found == set()


def test_labels_are_looked_up_under_their_doctype():
	"""Frappe v15's form passes df.parent as the context: "Outstanding" of a Debt Case is the app's word."""
	used = app_messages()
	assert Message("Outstanding", "Debt Case") in used
	assert Message("Call", "Debt Case Action") in used
	assert Message("Item", "Termination Equipment") in used
	assert Message("Withdrawn", "Termination Application") in used
	ours = {(row.source, row.context): row.translation for row in read_rows(RU)}
	assert ours[("Outstanding", "Debt Case")] == "Задолженность"
	assert ours[("Call", "Debt Case Action")] == "Звонок"
	assert ours[("Debtors", None)] == "Дебиторы"


def test_a_bare_report_label_is_found(tmp_path):
	report = tmp_path / "churn_management" / "report" / "x"
	report.mkdir(parents=True)
	(report / "x.py").write_text(
		'from frappe import _\nCOLUMNS = [{"label": "Customer"}, {"label": _("Stage")}]\n'
	)
	assert bare_labels(tmp_path) == {"churn_management/report/x/x.py: 'Customer'"}


# __(value) without a context on purpose: DocType names, and the Select formatter's plain fallback.
PLAIN_VALUES = {"churn_settings.js": {"doctype"}, "select_context.js": {"value"}}


def test_values_are_read_under_their_doctype():
	"""A status, step type or offer shown through __(value) passes its DocType as the context, as the
	form does: the call guide's "Opening" is the app's "Приветствие", not ERPNext's "Открытие"."""
	plain = [
		f"{path.relative_to(APP)}: __({value})"
		for path in APP.rglob("*.js")
		for value, context in js_dynamic_calls(path)
		if context is None and value not in PLAIN_VALUES.get(path.name, ())
	]
	assert plain == []


def test_dynamic_calls_are_found(tmp_path):
	script = tmp_path / "x.js"
	script.write_text(
		'a(__(s.step_type)); b(__(doc.outcome || "Closed", null, "Retention Task")); c(__("Save"));\n'
		'd(__(f(x), [1, 2], "Debt Case")); e(frappe.__(y));\n'
	)
	assert js_dynamic_calls(script) == [
		("s.step_type", None),
		('doc.outcome || "Closed"', '"Retention Task"'),
		("f(x)", '"Debt Case"'),
	]
