"""The workbook: languages, word headers, charts with visible axes and the right data."""

from __future__ import annotations

import os
import re
import stat
import zipfile

import pytest
from openpyxl import load_workbook

from churn_management.cli import main


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
	folder = tmp_path_factory.mktemp("sample")
	assert main(["sample", "--customers", "1200", "--seed", "5", "--out", str(folder)]) == 0
	return folder


@pytest.fixture(scope="module")
def books(sample, tmp_path_factory):
	out = tmp_path_factory.mktemp("books")
	paths = {}
	for language in ("en", "ru"):
		paths[language] = out / f"{language}.xlsx"
		args = ["diagnose", str(sample), "--as-of", "2026-06-30", "--out", str(paths[language])]
		assert main([*args, "--lang", language, "--quiet"]) == 0
	return paths


def test_russian_workbook_speaks_russian(books):
	book = load_workbook(books["ru"])
	assert book.sheetnames[:4] == ["Сводка", "Отток по месяцам", "Сезонность", "Причины"]
	assert "Качество данных" in book.sheetnames
	monthly = [c.value for c in book["Отток по месяцам"][1]]
	assert monthly[:3] == ["Месяц", "Клиентов на начало месяца", "Ушло"]
	summary = [c.value for c in book["Сводка"]["A"] if c.value]
	assert "Самодиагностика оттока на дату" in summary
	assert book["Сезонность"]["A2"].value == "янв"


def test_headers_are_words_in_both_languages(books):
	for path in books.values():
		book = load_workbook(path)
		for sheet in book.worksheets:
			for cell in sheet[1]:
				if isinstance(cell.value, str):
					assert not re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", cell.value), (sheet.title, cell.value)


def chart_xml(path) -> dict[str, str]:
	with zipfile.ZipFile(path) as archive:
		return {n: archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")}


def test_every_chart_shows_its_axes(books):
	charts = chart_xml(books["en"])
	assert len(charts) >= 6
	for name, xml in charts.items():
		if "<pieChart>" in xml:
			continue
		axes = re.findall(r"<(catAx|valAx)>(.*?)</\1>", xml)
		assert len(axes) == 2, name
		for _, body in axes:
			assert '<delete val="0"' in body, name


def test_seasonality_chart_plots_months(books):
	book = load_workbook(books["en"])
	sheet = book["Seasonality"]
	headers = [c.value for c in sheet[1]]
	assert headers[:3] == ["Month", "Average churn rate", "Seasonal index"]
	chart = sheet._charts[0]
	series = chart.series[0]
	assert series.val.numRef.f == "'Seasonality'!$C$2:$C$13"
	assert series.cat.numRef is None or "$A$" in series.cat.numRef.f
	categories = series.cat.strRef.f if series.cat.strRef else series.cat.numRef.f
	assert categories == "'Seasonality'!$A$2:$A$13"
	assert [sheet.cell(row=r, column=1).value for r in (2, 13)] == ["Jan", "Dec"]


def test_reasons_sheet_states_its_period(books):
	sheet = load_workbook(books["en"])["Reasons"]
	assert sheet["A1"].value == "Churn rate and reason shares cover 01.07.2025 - 30.06.2026."


def test_outputs_are_checked_before_the_analysis(sample, tmp_path, capsys):
	existing = tmp_path / "d.xlsx"
	existing.write_text("mine")
	args = ["diagnose", str(sample), "--as-of", "2026-06-30", "--out", str(existing), "--quiet"]
	assert main(args) == 2
	assert "exists already; give --force to replace it" in capsys.readouterr().err
	assert existing.read_text() == "mine"
	assert main([*args, "--force"]) == 0
	assert zipfile.is_zipfile(existing)
	assert main(["diagnose", str(sample), "--as-of", "2026-06-30", "--out", str(tmp_path / "d.csv")]) == 2
	assert "must end in .xlsx" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_unwritable_folder(sample, tmp_path, capsys):
	locked = tmp_path / "locked"
	locked.mkdir()
	locked.chmod(0o500)
	assert main(["diagnose", str(sample), "--as-of", "2026-06-30", "--out", str(locked / "d.xlsx")]) == 2
	assert "no permission" in capsys.readouterr().err


def test_unwritable_target_folder_is_reported(sample, tmp_path, capsys):
	blocker = tmp_path / "file"
	blocker.write_text("x")
	assert main(["diagnose", str(sample), "--as-of", "2026-06-30", "--out", str(blocker / "d.xlsx")]) == 2
	assert "is not a folder" in capsys.readouterr().err


def test_files_get_the_usual_mode(sample, tmp_path):
	old = os.umask(0o022)
	try:
		out, report = tmp_path / "d.xlsx", tmp_path / "d.json"
		args = ["diagnose", str(sample), "--as-of", "2026-06-30", "--out", str(out), "--json", str(report)]
		assert main([*args, "--quiet"]) == 0
	finally:
		os.umask(old)
	assert stat.S_IMODE(out.stat().st_mode) == 0o644
	assert stat.S_IMODE(report.stat().st_mode) == 0o644


def test_workbook_and_json_are_written_both_or_neither(sample, tmp_path, monkeypatch):
	out, report = tmp_path / "d.xlsx", tmp_path / "d.json"
	out.write_text("old workbook")
	real_replace = os.replace
	calls = []

	def failing_replace(source, target):
		calls.append(target)
		if str(target) == str(report):
			raise OSError("disk full")
		return real_replace(source, target)

	monkeypatch.setattr(os, "replace", failing_replace)
	args = [
		"diagnose",
		str(sample),
		"--as-of",
		"2026-06-30",
		"--out",
		str(out),
		"--json",
		str(report),
		"--force",
	]
	with pytest.raises(OSError):
		main([*args, "--quiet"])
	monkeypatch.setattr(os, "replace", real_replace)
	assert out.read_text() == "old workbook"
	assert not report.exists()
	assert sorted(p.name for p in tmp_path.iterdir()) == ["d.xlsx"]


def test_language_follows_the_locale_and_the_1c_mapping(monkeypatch):
	from churn_management.analytics.exports.labels import default_language

	monkeypatch.setenv("LC_ALL", "ru_RU.UTF-8")
	assert default_language() == "ru"
	monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
	assert default_language() == "en"
	assert default_language("1c-ru") == "ru"


def test_the_printed_summary_follows_the_language(sample, tmp_path, capsys):
	args = [
		"diagnose",
		str(sample),
		"--as-of",
		"2026-06-30",
		"--out",
		str(tmp_path / "d.xlsx"),
		"--lang",
		"ru",
	]
	assert main(args) == 0
	printed = capsys.readouterr().out
	assert printed.startswith("Диагностика оттока на 2026-06-30")
	assert "средний месячный отток, 01.07.2025 - 30.06.2026" in printed
