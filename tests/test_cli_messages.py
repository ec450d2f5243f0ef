"""Errors and warnings of every command follow --lang: Russian in Russian mode, English stays English."""

from __future__ import annotations

import re

import pytest

from churn_management.analytics.exports.messages import RUSSIAN, message_text
from churn_management.cli import main


def run(tmp_path, capsys, *args) -> list[str]:
	assert main(list(args)) == 2
	return [line for line in capsys.readouterr().err.splitlines() if line and not line.startswith("[")]


def write(path, text: str) -> None:
	path.write_text(text, encoding="utf-8")


def diagnose_args(folder, out, *extra):
	return ["diagnose", str(folder), "--as-of", "2026-06-30", "--out", str(out), "--quiet", *extra]


def test_errors_about_files_and_options_are_russian(tmp_path, capsys):
	errors = run(
		tmp_path,
		capsys,
		*diagnose_args(
			tmp_path / "nowhere", tmp_path / "missing" / "d.xlsx", "--json", str(tmp_path / "d.txt")
		),
		"--lang",
		"ru",
	)
	assert all(line.startswith("ошибка: ") for line in errors), errors
	assert any("папки" in line and "нет" in line for line in errors), errors
	assert any("параметры: d.txt: имя файла должно оканчиваться на .json" in line for line in errors), errors
	assert not any(re.search(r"cannot|must|give", line) for line in errors), errors


def test_errors_about_the_data_are_russian_with_rows_and_counted_nouns(tmp_path, capsys):
	write(tmp_path / "customers.csv", "Код,start_date\nA,2024-01-01\n")
	errors = run(tmp_path, capsys, *diagnose_args(tmp_path, tmp_path / "d.xlsx"), "--lang", "ru")
	assert errors == [
		"ошибка: customers.csv (customers): нет обязательного столбца customer_id; "
		"найдены столбцы: 'Код', 'start_date'"
	]
	rows = "\n".join(f"c{i},{i:02d}.13.2024" for i in range(1, 10))
	write(tmp_path / "customers.csv", f"customer_id,start_date\n{rows}\n")
	errors = run(tmp_path, capsys, *diagnose_args(tmp_path, tmp_path / "d.xlsx"), "--lang", "ru")
	assert (
		errors[0]
		== "ошибка: customers.csv (customers), столбец start_date, строка 2: не читается дата '01.13.2024'"
	)
	assert errors[-1] == "ошибка: customers.csv (customers), столбец start_date: и ещё 4 такие строки"


def test_english_errors_stay_english(tmp_path, capsys):
	write(tmp_path / "customers.csv", "Код,start_date\nA,2024-01-01\n")
	errors = run(tmp_path, capsys, *diagnose_args(tmp_path, tmp_path / "d.xlsx"), "--lang", "en")
	assert errors == [
		"error: customers.csv (customers): required column customer_id is missing; "
		"columns found: 'Код', 'start_date'"
	]


def test_lifecycle_errors_are_russian(tmp_path, capsys):
	args = ["lifecycle", str(tmp_path), "--as-of", "2026-06-30", "--out", str(tmp_path / "l.xlsx")]
	errors = run(tmp_path, capsys, *args, "--weeks", "-1", "--lang", "ru")
	assert errors == ["ошибка: параметры: --weeks не может быть отрицательным"]


@pytest.mark.parametrize(
	"english, russian",
	[
		("and 1 more rows like these", "и ещё 1 такая строка"),
		("and 12 more rows like these", "и ещё 12 таких строк"),
		(
			"no customer rows left to analyse: 3 missing value (row 2); 1 duplicate customer_id (row 4: 'A')",
			"не осталось клиентов для анализа: 3 — значение не заполнено (строка 2); "
			"1 — повторяющийся код клиента (строка 4: 'A')",
		),
		("the file is empty", "файл пуст"),
		("something new", "something new"),
	],
)
def test_messages_in_russian(english, russian):
	assert message_text(english, "ru") == russian
	assert message_text(english, "en") == english


def test_every_russian_message_is_whole_and_fills_its_groups():
	for english, russian in RUSSIAN:
		groups = re.compile(english).groups
		assert russian.count("{") == groups, english
		assert not re.search(
			r"[A-Za-z]{3,}",
			re.sub(
				r"--\w+|customer_id|customers|memberships|visits|tables|"
				r"columns|\.\w+|UTF-8|Windows|Excel|LibreOffice|CSV|JSON|all|mapping|club-ru|1c-ru",
				"",
				russian,
			),
		), russian


def test_club_row_errors_are_russian_by_default_with_the_club_mapping(tmp_path, capsys):
	from tests.test_club_exports import lifecycle, russian_club

	code, _, _ = lifecycle(russian_club(tmp_path / "club"), "--mapping", "club-ru")
	assert code == 2
	assert (
		"ошибка: Карты.csv, столбец 'Дата окончания' (end_date), строка 6: окончание 17.10.2025 раньше "
		"начала карты"
	) in capsys.readouterr().err
