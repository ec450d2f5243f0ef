"""churn-analytics lifecycle on club exports as programs write them: ids, bad rows, errors, options."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from churn_management.cli import main

CARDS = (
	"membership,member,club,start_date,end_date\n"
	"0000011,0000017,X,2026-01-01,2026-12-31\n"
	"X-19,0000018,X,2026-01-01,2026-12-31\n"
	"0000013,,X,2026-01-01,2026-12-31\n"
)
VISITS = (
	"member,checkin\n"
	"0000017,2026-06-01 10:00:00\n"
	"0000018,31.02.2026 10:00\n"
	"0000018,2026-06-02 10:00:00\n"
	",2026-06-03 10:00:00\n"
)


def club(folder, cards=CARDS, visits=VISITS):
	folder.mkdir(exist_ok=True)
	(folder / "memberships.csv").write_text(cards, encoding="utf-8")
	(folder / "visits.csv").write_text(visits, encoding="utf-8")
	return folder


def lifecycle(folder, *extra, as_of="2026-06-30"):
	out, report = folder.parent / "out.xlsx", folder.parent / "out.json"
	args = ["lifecycle", str(folder), "--as-of", as_of, "--out", str(out), "--json", str(report), "--force"]
	return main([*args, *extra]), out, report


def test_ids_stay_text_as_exported(tmp_path):
	code, out, _ = lifecycle(club(tmp_path / "club"), "--lang", "en")
	assert code == 0
	sheet = load_workbook(out)["Members at risk"]
	members = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
	assert members == ["0000017", "0000018"]


def test_bad_rows_are_dropped_counted_and_warned_once(tmp_path, capsys):
	code, out, report = lifecycle(club(tmp_path / "club"), "--lang", "en")
	assert code == 0
	quality = json.loads(report.read_text())["data_quality"]
	issues = {(q["table"], q["column"], q["issue"]): q for q in quality}
	assert issues[("memberships.csv", "member", "missing value")]["rows"] == 1
	assert issues[("visits.csv", "member", "missing value")]["rows"] == 1
	dated = issues[("visits.csv", "checkin", "cannot read the date")]
	assert (dated["rows"], dated["example"]) == (1, "row 3: '31.02.2026 10:00'")
	err = capsys.readouterr().err
	assert [line for line in err.splitlines() if line.startswith("warning:")] == [
		"warning: 3 rows were dropped or changed while loading (3 kinds); see the sheet Data quality"
	]
	rows = list(load_workbook(out)["Data quality"].iter_rows(values_only=True))
	assert rows[0] == ("Table", "Column", "Issue", "What was done", "Rows", "Example")
	assert len(rows) == 4


RUSSIAN_CARDS = (
	"Отчёт по клубным картам за 2026 год;;;;\n"
	"Номер карты;Клиент;Клуб;Дата начала;Дата окончания\n"
	"0000011;0000017;Центр;01.01.2026;31.12.2026\n"
	"0000012;0000018;Центр;01.01.2026;31.12.2026\n"
	"0000013;;Центр;01.01.2026;31.12.2026\n"
	"0000014;0000019;Центр;01.11.2025;17.10.2025\n"
)
RUSSIAN_VISITS = "Клиент;Время входа\n0000017;01.06.2026 10:00\n0000018;02.06.2026 18:30\n"


def russian_club(folder):
	folder.mkdir(exist_ok=True)
	(folder / "Карты.csv").write_bytes(RUSSIAN_CARDS.encode("cp1251"))
	(folder / "Визиты.csv").write_bytes(RUSSIAN_VISITS.encode("cp1251"))
	return folder


def test_an_error_names_the_file_header_line_and_value_as_written(tmp_path, capsys):
	code, out, _ = lifecycle(russian_club(tmp_path / "club"), "--mapping", "club-ru", "--lang", "en")
	assert code == 2
	err = capsys.readouterr().err
	# a title line and a dropped row before it: the line is still the file's own
	assert (
		"Карты.csv, column 'Дата окончания' (end_date), row 6: ends 17.10.2025, before the card starts" in err
	)
	assert not out.exists()


def test_the_club_mapping_reads_russian_exports_and_speaks_russian(tmp_path, capsys):
	folder = russian_club(tmp_path / "club")
	(folder / "Карты.csv").write_bytes(RUSSIAN_CARDS.rsplit("0000014", 1)[0].encode("cp1251"))
	code, out, report = lifecycle(folder, "--mapping", "club-ru", as_of="30.06.2026")
	assert code == 0
	assert json.loads(report.read_text())["members"] == 2
	book = load_workbook(out)
	assert book.sheetnames == ["Сегментация", "Статистика этапов", "Цели", "Под угрозой", "Качество данных"]
	assert [c.value for c in book["Сегментация"][1][:3]] == ["Этап", "Участников", "Доля"]
	printed = capsys.readouterr()
	assert "Сегментация участников на 30.06.2026: 2 участника" in printed.out
	assert "Проверка данных" in printed.err
	assert "предупреждение: при загрузке 1 строка удалена или изменена (1 вид)" in printed.err


def test_a_missing_table_lists_what_was_found_and_suggests_a_mapping(tmp_path, capsys):
	folder = tmp_path / "club"
	folder.mkdir()
	(folder / "Карты.csv").write_text(CARDS, encoding="utf-8")
	(folder / "Визиты.csv").write_text(VISITS, encoding="utf-8")
	code, _, _ = lifecycle(folder)
	assert code == 2
	err = capsys.readouterr().err
	assert "no memberships and no visits table found; found: Визиты.csv, Карты.csv" in err
	assert "--mapping club-ru" in err


def test_same_options_and_guarantees_as_diagnose(tmp_path, capsys, monkeypatch):
	folder = club(tmp_path / "club")
	out, report = tmp_path / "l.xlsx", tmp_path / "l.json"
	base = ["lifecycle", str(folder), "--as-of", "30.06.2026", "--quiet"]
	assert main([*base, "--out", str(tmp_path / "l.xls")]) == 2
	assert main([*base, "--out", str(out), "--json", str(tmp_path / "l.txt")]) == 2
	err = capsys.readouterr().err
	assert "l.xls: the file must end in .xlsx" in err and "l.txt: the file must end in .json" in err
	assert main([*base, "--out", str(out), "--json", str(report)]) == 0
	assert main([*base, "--out", str(out)]) == 2
	assert "exists already; give --force to replace it" in capsys.readouterr().err
	before = out.read_bytes()

	def broken(data):
		raise OSError("disk full")

	monkeypatch.setattr("churn_management.cli_common.json_text", broken)
	with pytest.raises(OSError):
		main([*base, "--out", str(out), "--json", str(report), "--force", "--lang", "ru"])
	assert out.read_bytes() == before


def test_the_workbook_speaks_words_with_charts(tmp_path):
	from churn_management.analytics.exports.sample import generate, write_tables

	tables = generate("fitness", 400, 1, pd.Timestamp("2026-06-30"))
	folder = tmp_path / "club"
	write_tables({n: tables[n] for n in ("memberships", "visits", "starter")}, folder)
	code, out, _ = lifecycle(folder, "--lang", "en")
	assert code == 0
	book = load_workbook(out)
	assert [c.value for c in book["Lifecycle Segmentation"][1][:3]] == ["Stage", "Members", "Share"]
	goals = book["Lifecycle Goals"]
	assert goals["B1"].value == "Goal"
	assert "Renewal share" in {c.value for c in goals["B"]}
	for name in ("Lifecycle Segmentation", "Lifecycle Statistics", "Lifecycle Goals"):
		(chart,) = book[name]._charts
		assert chart.x_axis.delete is False and chart.y_axis.delete is False
		assert chart.x_axis.title is not None and chart.y_axis.title is not None
	for sheet in book.worksheets:
		assert sheet.page_setup.fitToWidth == 1
	assert book["Members at risk"].column_dimensions["A"].width >= 10


def test_pseudonymized_club_data_joins_keeps_minutes_and_runs(tmp_path, monkeypatch):
	folder = club(tmp_path / "club")
	(folder / "memberships.csv").write_text(
		"membership,member,club,start_date,end_date,renews\n"
		"0000011,0000017,X,2025-01-01,2025-12-31,\n"
		"0000012,0000017,X,2026-01-01,2026-12-31,0000011\n"
		"X-19,0000018,X,2026-01-01,2026-12-31,\n",
		encoding="utf-8",
	)
	(folder / "visits.csv").write_text(
		"member,checkin\n0000017,2026-06-01 10:07:00\n0000018,2026-06-02 18:31:00\n", encoding="utf-8"
	)
	monkeypatch.setenv("CHURN_PSEUDONYM_KEY", "s3cret")
	clean = tmp_path / "clean"
	assert main(["pseudonymize", str(folder), "--out", str(clean)]) == 0
	cards = pd.read_csv(clean / "memberships.csv", dtype=str)
	visits = pd.read_csv(clean / "visits.csv", dtype=str)
	assert not {"0000017", "0000018"} & (set(cards["member"]) | set(visits["member"]))
	assert "0000011" not in set(cards["membership"]) | set(cards["renews"].dropna())
	assert cards.loc[1, "renews"] == cards.loc[0, "membership"]
	assert set(visits["member"]) == set(cards["member"])
	assert list(visits["checkin"]) == ["2026-06-01 10:07", "2026-06-02 18:31"]
	code, _, report = lifecycle(clean, "--quiet")
	assert code == 0
	assert json.loads(report.read_text())["members"] == 2


def test_cards_ended_long_ago_are_said_to_be_left_out(tmp_path, capsys):
	cards = CARDS + "0000015,0000020,X,2024-01-01,2024-12-31\n"
	code, _, report = lifecycle(club(tmp_path / "club", cards=cards), "--lang", "en")
	assert code == 0
	assert json.loads(report.read_text())["left_out_lapsed"] == 1
	assert "left out: 1 member whose last card ended more than 90 days before that date" in (
		capsys.readouterr().out
	)
