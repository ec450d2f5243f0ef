"""Odd but real data shapes: each gives a workbook or a clear error, never a traceback."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from churn_management.cli import main


def write(folder, name, text, encoding="utf-8"):
	(folder / name).write_bytes(text.encode(encoding))


def diagnose(folder, *extra, as_of="2026-06-30"):
	out = folder / "out.xlsx"
	report = folder / "out.json"
	code = main(
		[
			"diagnose",
			str(folder),
			"--as-of",
			as_of,
			"--out",
			str(out),
			"--json",
			str(report),
			"--quiet",
			"--force",
			*extra,
		]
	)
	assert code == 0
	return json.loads(report.read_text()), load_workbook(out)


def customers_csv(rows: list[str], header="customer_id,start_date,end_date,tariff,monthly_fee") -> str:
	return "\n".join([header, *rows]) + "\n"


def texts(sheet) -> list[str]:
	return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_nobody_churned(tmp_path):
	write(
		tmp_path, "customers.csv", customers_csv([f"{i},2024-0{1 + i % 9}-01,,Basic,100" for i in range(40)])
	)
	data, book = diagnose(tmp_path, "--lang", "en")
	assert data["churned"] == 0
	assert data["average_monthly_churn_rate"] == 0
	assert "Nothing to show: no customer churned in the period." in texts(book["Reasons"])
	assert "Nothing to show: nobody is overdue or in pre-churn." in texts(book["At risk"])


def test_nobody_paid(tmp_path):
	write(tmp_path, "customers.csv", customers_csv([f"{i},2025-01-01,,Basic,100" for i in range(5)]))
	invoices = ["customer_id,due_date,amount,paid_date"] + [
		f"{i},2025-0{m}-10,100," for i in range(5) for m in range(1, 7)
	]
	write(tmp_path, "invoices.csv", "\n".join(invoices) + "\n")
	data, _ = diagnose(tmp_path)
	assert data["churned"] == 5
	assert data["churn_kinds"] == {"involuntary": 5}


def test_one_customer_one_month(tmp_path):
	write(tmp_path, "customers.csv", customers_csv(["only,2026-06-01,,Basic,100"]))
	data, book = diagnose(tmp_path, "--lang", "en", as_of="2026-06-20")
	assert data["customers"] == 1
	assert data["churn_rate_monthly"] == []
	assert "Nothing to show: no complete month before the as-of date." in texts(book["Churn by month"])


def test_one_customer_who_left(tmp_path):
	write(tmp_path, "customers.csv", customers_csv(["only,2025-01-01,2026-03-15,Basic,100"]))
	data, _ = diagnose(tmp_path)
	assert data["churned"] == 1
	assert data["reasons"][0]["churned"] == 1


def test_all_in_one_segment(tmp_path):
	rows = [
		f"{i},2023-01-01,{'2025-0' + str(1 + i % 9) + '-01' if i % 3 == 0 else ''},Basic,100"
		for i in range(60)
	]
	write(tmp_path, "customers.csv", customers_csv(rows))
	data, book = diagnose(tmp_path, "--lang", "en")
	assert list(data["segments"]["tariff"]) == ["Basic"]
	assert data["lifetime_drivers"] == []
	assert any(t.startswith("Nothing to show") for t in texts(book["What lifetime depends on"]))


def test_a_segment_with_thousands_of_values(tmp_path, capsys):
	rows = [f"{i},2023-01-01,{'2025-05-01' if i % 4 == 0 else ''},Street {i},100" for i in range(2500)]
	write(tmp_path, "customers.csv", customers_csv(rows))
	data, book = diagnose(tmp_path, "--segment-by", "tariff", "--lang", "en")
	values = data["segments"]["tariff"]
	assert len(values) == 21
	assert "(other)" in values
	assert "2,500 different values" in capsys.readouterr().err
	assert any("2,500 different values" in t for t in texts(book["Summary"]))


def test_placeholder_dates_and_russian_dates_everywhere(tmp_path, capsys):
	write(
		tmp_path,
		"customers.csv",
		customers_csv(
			[
				"a;01.02.2024;31.12.9999;Basic;100",
				"b;01.03.2024;01.01.0001;Basic;100",
				"c;01.03.2024;15.03.2026;Basic;100",
				"d;01.01.0001;;Basic;100",
			],
			header="customer_id;start_date;end_date;tariff;monthly_fee",
		),
	)
	write(
		tmp_path,
		"invoices.csv",
		"customer_id;due_date;amount;paid_date\na;10.02.2024;100,00;09.02.2024\nb;10.04.2024;1 200,50;01.01.0001\n",
	)
	data, book = diagnose(tmp_path, "--lang", "en", as_of="30.06.2026")
	assert data["as_of"] == "2026-06-30"
	assert data["customers"] == 3
	assert data["churned"] == 2  # c by its end date, b by non-payment since 2024
	issues = {(n["column"], n["action"]) for n in data["data_quality"]}
	assert ("end_date", "read as no date") in issues
	assert ("start_date", "row dropped") in issues
	assert "rows were dropped or changed while loading" in capsys.readouterr().err
	sheet = book["Data quality"]
	assert [c.value for c in sheet[1]] == ["Table", "Column", "Issue", "What was done", "Rows", "Example"]


def test_clean_data_has_no_warning(tmp_path, capsys):
	write(
		tmp_path,
		"customers.csv",
		customers_csv(["a,2024-01-01,,Basic,100", "b,2024-01-01,2025-01-01,Basic,100"]),
	)
	data, book = diagnose(tmp_path, "--lang", "en")
	assert data["data_quality"] == []
	assert "warning" not in capsys.readouterr().err
	assert texts(book["Data quality"]) == ["No rows were dropped or changed while loading."]


def test_period_option(tmp_path):
	rows = [f"{i},2020-01-01,{2021 + i % 5}-06-15,Basic,100" for i in range(50)]
	write(tmp_path, "customers.csv", customers_csv(rows))
	data, book = diagnose(tmp_path, "--period", "01.01.2023..31.12.2023", "--lang", "en")
	assert data["period"] == {"from": "2023-01-01", "to": "2023-12-31"}
	assert sum(r["churned"] for r in data["reasons"]) == 10
	assert "Churn rate and reason shares cover 01.01.2023 - 31.12.2023." in texts(book["Reasons"])
	data, _ = diagnose(tmp_path, "--period", "all")
	assert sum(r["churned"] for r in data["reasons"]) == 50
	data, _ = diagnose(tmp_path, "--period", "24")
	assert data["period"] == {"from": "2024-07-01", "to": "2026-06-30"}


@pytest.mark.parametrize("period", ["soon", "2027-01-01..2027-12-31"])
def test_bad_period_is_a_clear_error(tmp_path, capsys, period):
	write(tmp_path, "customers.csv", customers_csv(["a,2024-01-01,,Basic,100"]))
	code = main(
		[
			"diagnose",
			str(tmp_path),
			"--as-of",
			"2026-06-30",
			"--out",
			str(tmp_path / "o.xlsx"),
			"--period",
			period,
		]
	)
	assert code == 2
	assert "error: options" in capsys.readouterr().err


def test_segments_by_the_users_own_header(tmp_path):
	text = "Лицевой счёт;Дата подключения;Дата отключения;Тарифный план\n" + "".join(
		f"{i};01.01.2024;{'01.03.2025' if i % 3 == 0 else ''};{'Эконом' if i % 2 else 'Премиум'}\n"
		for i in range(60)
	)
	(tmp_path / "Абоненты.csv").write_bytes(text.encode("cp1251"))
	data, book = diagnose(tmp_path, "--mapping", "1c-ru", "--segment-by", "Тарифный план")
	assert set(data["segments"]["tariff"]) == {"Эконом", "Премиум"}
	assert book.sheetnames[0] == "Сводка"


ODD_CUSTOMERS = {
	"header only": "customer_id,start_date\n",
	"blank lines and spaces": "customer_id,start_date\n\n a ,2024-01-01\n\n",
	"ragged rows": "customer_id,start_date\na,2024-01-01,x\n",
	"quoted newlines": 'customer_id,start_date,tariff\na,2024-01-01,"two\nlines"\n',
	"all in the future": "customer_id,start_date\na,2030-01-01\n",
	"no dates readable": "customer_id,start_date\na,soon\nb,later\n",
	"duplicate headers": "customer_id,start_date,tariff,tariff\na,2024-01-01,x,y\n",
	"empty header cells": "customer_id,start_date,,\na,2024-01-01,,z\n",
	"only placeholders": "customer_id,start_date,end_date\na,01.01.0001,31.12.9999\n",
	"times of day": "customer_id;start_date;end_date\na;31.01.2024 0:00:00;15.03.2025 12:30:00\nb;01.02.2024 0:00:00;\n",
	"money with currency": "customer_id;start_date;monthly_fee\na;2024-01-01;1 200,50 руб.\nb;2024-01-01;₽ 990\n",
	"tabs": "customer_id\tstart_date\na\t2024-01-01\n",
	"binary junk": "\x00\x01\x02customer_id,start_date\n",
}


@pytest.mark.parametrize("case", sorted(ODD_CUSTOMERS))
def test_odd_customers_never_give_a_traceback(case, tmp_path, capsys):
	write(tmp_path, "customers.csv", ODD_CUSTOMERS[case])
	code = main(
		["diagnose", str(tmp_path), "--as-of", "2026-06-30", "--out", str(tmp_path / "o.xlsx"), "--quiet"]
	)
	err = capsys.readouterr().err
	assert code in (0, 2)
	if code == 2:
		assert err.startswith("error: ")
		assert not (tmp_path / "o.xlsx").exists()
	else:
		assert (tmp_path / "o.xlsx").is_file()


def test_excel_numbers_as_dates_and_money(tmp_path):
	import pandas as pd

	frame = pd.DataFrame(
		{"customer_id": [1, 2], "start_date": [45292, 45323], "monthly_fee": ["1 200,00 руб.", "990"]}
	)
	frame.to_excel(tmp_path / "customers.xlsx", index=False)
	data, _ = diagnose(tmp_path)
	assert data["customers"] == 2
	assert data["data_quality"] == []


def test_a_1c_export_gives_a_russian_workbook_with_its_data_quality(tmp_path):
	text = (
		"Отчёт по абонентам\n"
		"Лицевой счёт;Дата подключения;Дата отключения;Тариф;Абонплата\n"
		"001;01.02.2024;31.12.9999;Базовый;100\n"
		"002;01.03.2024;01.01.0001;Базовый;сто\n"
		"003;01.03.2024;15.03.2026;Премиум;100\n"
		"003;01.03.2024;;Премиум;100\n"
	)
	(tmp_path / "Абоненты.csv").write_bytes(text.encode("cp1251"))
	data, book = diagnose(tmp_path, "--mapping", "1c-ru")
	assert data["customers"] == 3
	rows = list(book["Качество данных"].iter_rows(values_only=True))
	assert rows[0] == ("Таблица", "Столбец", "Что не так", "Что сделано", "Строк", "Пример")
	assert ("Абоненты.csv (customers)", "Лицевой счёт", "повторяющийся код клиента") == rows[3][:3]
	assert rows[3][5] == "строка 6: '003'"
	assert rows[2][5] == "строка 4: 'сто'"
