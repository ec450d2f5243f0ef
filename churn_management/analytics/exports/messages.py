"""Errors and warnings of the command line in the chosen language.

The checks word their problems in English (:class:`~churn_management.analytics.exports.schema.Problem`);
:func:`problem_text` prints one in Russian: the place (table, column, row) and the message, matched
whole against the known messages below. A message not listed here stays as it is.
"""

from __future__ import annotations

import re

from churn_management.analytics.exports.labels import TEXT, Labels
from churn_management.analytics.exports.schema import Problem

MAPPING_HINT = r"give --mapping \(for 1C: --mapping 1c-ru\)"

# English message (a whole-match pattern) and its Russian text; {0}, {1} are the groups
RUSSIAN: list[tuple[str, str]] = [
	("no such file or folder", "нет такого файла или папки"),
	(
		"not a CSV or Excel file \\(\\.csv, \\.txt, \\.xlsx, \\.xls\\)",
		"не файл CSV или Excel (.csv, .txt, .xlsx, .xls)",
	),
	(
		f"no customers table found; found: (.*); name the file or sheet customers, or {MAPPING_HINT}",
		"таблица клиентов не найдена; найдено: {0}; назовите файл или лист customers "
		"или укажите --mapping (для 1С: --mapping 1c-ru)",
	),
	(
		f"no customers sheet; sheets found: (.*); name the sheet customers, or {MAPPING_HINT}",
		"нет листа клиентов; найдены листы: {0}; назовите лист customers "
		"или укажите --mapping (для 1С: --mapping 1c-ru)",
	),
	(
		"old Excel \\.xls files are not read here; open it in Excel or LibreOffice and save it as "
		"\\.xlsx \\(or as CSV\\)",
		"старые файлы Excel .xls здесь не читаются; откройте файл в Excel или LibreOffice "
		"и сохраните как .xlsx (или как CSV)",
	),
	("cannot read the workbook: (.*)", "не удаётся прочитать книгу: {0}"),
	("mapping file not found \\(bundled mappings: (.*)\\)", "файл соответствий не найден (встроенные: {0})"),
	("not valid JSON: (.*)", "это не JSON: {0}"),
	(
		"a mapping must be a JSON object with tables and columns",
		"файл соответствий должен быть JSON-объектом с tables и columns",
	),
	(
		"line (\\d+), byte (\\d+) \\((0x[0-9a-f]+)\\): the file is neither UTF-8 nor Windows-1251 "
		"throughout; save it again as UTF-8",
		"строка {0}, байт {1} ({2}): файл не целиком в UTF-8 и не в Windows-1251; "
		"сохраните его заново в UTF-8",
	),
	("the file is empty", "файл пуст"),
	(
		"cannot read the file: rows do not all have the (\\d+) columns of the header: (.*)",
		"не удаётся прочитать файл: не во всех строках {0} столбцов, как в заголовке: {1}",
	),
	("cannot read the file: (.*)", "не удаётся прочитать файл: {0}"),
	("the customers table is required but was not found", "таблица клиентов обязательна, но не найдена"),
	("the (\\w+) table is required but was not found", "таблица {0} обязательна, но не найдена"),
	(
		"required column (\\S+) is missing; columns found: (.*)",
		"нет обязательного столбца {0}; найдены столбцы: {1}",
	),
	("cannot read the date ?(.*)", "не читается дата {0}"),
	("cannot read the number ?(.*)", "не читается число {0}"),
	("cannot read yes/no from ?(.*)", "не читается да/нет: {0}"),
	(
		"no customer rows left to analyse: the table has no rows",
		"не осталось клиентов для анализа: в таблице нет строк",
	),
	("segment column not found; columns found: (.*)", "столбец сегмента не найден; найдены столбцы: {0}"),
	(
		"the period (\\S+) - (\\S+) is empty or after the as-of date",
		"период {0} - {1} пуст или позже даты диагностики",
	),
	(
		"--period (.*): give a number of months \\(12\\), FROM\\.\\.TO \\(dates\\) or all",
		"--period {0}: укажите число месяцев (12), С..ПО (даты) или all",
	),
	("the output files must differ", "выходные файлы должны различаться"),
	("(.*): the file must end in (.*)", "{0}: имя файла должно оканчиваться на {1}"),
	("is a folder; give a file name", "это папка; укажите имя файла"),
	("is a file; give a folder", "это файл; укажите папку"),
	("exists already; give --force to replace it", "уже существует; укажите --force, чтобы заменить"),
	(
		"exists already and is not empty; give --force to write into it",
		"уже существует и не пуста; укажите --force, чтобы писать в неё",
	),
	("cannot be created: (.*) is not a folder", "не удаётся создать: {0} — не папка"),
	("cannot be created: the folder (.*) does not exist", "не удаётся создать: папки {0} нет"),
	("cannot be written: no permission to write in (.*)", "не удаётся записать: нет прав на запись в {0}"),
	("cannot be written: no permission", "не удаётся записать: нет прав на запись"),
	(
		"give the secret key in the environment variable (\\S+) \\(or --key\\)",
		"укажите секретный ключ в переменной окружения {0} (или --key)",
	),
	(
		f"no customer id column to hash; columns found: (.*)\\. Name it customer_id or {MAPPING_HINT}; "
		"nothing was written",
		"нет столбца с кодом клиента для хеширования; найдены столбцы: {0}. Назовите его customer_id "
		"или укажите --mapping (для 1С: --mapping 1c-ru); ничего не записано",
	),
	("churn_after_months must be at least 1", "порог оттока (месяцев неоплаты) должен быть не меньше 1"),
	(
		"grace_days must be between 0 and pre_churn_days",
		"льготных дней должно быть от 0 до числа дней до предоттока",
	),
	("--weeks must not be negative", "--weeks не может быть отрицательным"),
	("no memberships in the club (.*)", "в клубе {0} нет карт"),
	(
		"no (.*) table found; found: (.*); name the files or sheets memberships and visits, or give "
		"--mapping \\(for Russian club exports: --mapping club-ru\\)",
		"не найдена таблица {0}; найдено: {1}; назовите файлы или листы memberships и visits "
		"или укажите --mapping (для выгрузок клубов: --mapping club-ru)",
	),
	("duplicate (.*)", "повтор: {0}"),
	("ends (.*), before the card starts", "окончание {0} раньше начала карты"),
	("starts (.*), inside another card of the member", "начало {0} внутри другой карты того же участника"),
	("no card for the member (.*)", "у участника {0} нет карты"),
	("(.*) is before the member's card starts", "{0} раньше начала карты участника"),
	("(.*) is after the as-of date", "{0} позже даты отчёта"),
	("not a known table, ignored", "неизвестная таблица, пропущена"),
]
PATTERNS = [(re.compile(english), russian) for english, russian in RUSSIAN]
MORE_ROWS = re.compile(r"and (\d+) more rows like these")
FOUND_NOTHING = {"no CSV or Excel files": "ни одного файла CSV или Excel", "none": "нет"}
LEFT = re.compile(r"no customer rows left to analyse: (.*)")
PLACES = {"options": "параметры"}
WHY = re.compile(r"(\d+) (.+) \(row (\d+)(.*)\)")


def problem_text(problem: Problem, language: str = "en") -> str:
	"""A problem as printed: where it is, then what is wrong, in the chosen language."""
	if language != "ru":
		return str(problem)
	where = problem.place(PLACES.get(problem.table, problem.table), "столбец", "строка")
	return f"{where}: {message_text(problem.message, language)}"


def message_text(message: str, language: str = "en") -> str:
	"""One message in the chosen language; a message not known here stays as it is."""
	if language != "ru":
		return message
	more = MORE_ROWS.fullmatch(message)
	if more:
		return Labels("ru")("и ещё {n} {n!p:такая строка|такие строки|таких строк}", n=int(more.group(1)))
	left = LEFT.fullmatch(message)
	if left and left.group(1) != "the table has no rows":
		return "не осталось клиентов для анализа: " + "; ".join(_why(p) for p in left.group(1).split("; "))
	for pattern, russian in PATTERNS:
		match = pattern.fullmatch(message)
		if match:
			return russian.format(*(FOUND_NOTHING.get(g, g) for g in match.groups()))
	return message


def _why(part: str) -> str:
	"""``12 missing value (row 5: 'x')`` of the no-rows-left message in Russian."""
	match = WHY.fullmatch(part)
	if not match:
		return part
	rows, issue, row, rest = match.groups()
	return f"{rows} — {TEXT.get(issue, issue)} (строка {row}{rest})"
