import json
import re

import pandas as pd
import pytest

from churn_management.analytics.exports.loading import load_mapping, load_tables
from churn_management.analytics.exports.schema import InputError, prepare


def test_folder_of_csv_files_keeps_leading_zeros(tmp_path):
	(tmp_path / "customers.csv").write_text("customer_id,start_date\n007,2024-01-01\n")
	tables = load_tables(tmp_path)
	assert tables["customers"].loc[0, "customer_id"] == "007"


def test_1c_export_in_windows_1251_with_semicolons_and_russian_headers(tmp_path):
	text = "Лицевой счёт;Дата подключения;Дата отключения;Абонплата\n0012;31.01.2024;;1 200,00\n0013;01.02.2024;15.03.2024;900\n"
	(tmp_path / "Абоненты.csv").write_bytes(text.encode("cp1251"))
	data = prepare(load_tables(tmp_path, load_mapping("1c-ru")))
	assert data.customers["customer_id"].tolist() == ["0012", "0013"]
	assert data.customers.loc[1, "end_date"] == pd.Timestamp("2024-03-15")
	assert data.customers.loc[0, "monthly_fee"] == 1200


def test_mapping_file_in_json_and_csv(tmp_path):
	(tmp_path / "clients.csv").write_text("Client No,Since\nA,2024-01-01\n")
	mapping_json = tmp_path / "map.json"
	mapping_json.write_text(
		json.dumps(
			{
				"tables": {"clients": "customers"},
				"columns": {"customers": {"Client No": "customer_id", "since": "start_date"}},
			}
		)
	)
	assert "start_date" in load_tables(tmp_path, load_mapping(mapping_json))["customers"]
	mapping_csv = tmp_path / "map.csv"
	mapping_csv.write_text(
		"table,source,target\ntables,clients,customers\ncustomers,Client No,customer_id\n*,Since,start_date\n"
	)
	assert "customer_id" in load_tables(tmp_path, load_mapping(mapping_csv))["customers"]


def test_workbook_with_a_sheet_per_table(tmp_path):
	path = tmp_path / "export.xlsx"
	with pd.ExcelWriter(path) as writer:
		pd.DataFrame(
			{"customer_id": [1001, 1002], "start_date": pd.to_datetime(["2024-01-01", "2024-02-01"])}
		).to_excel(writer, sheet_name="customers", index=False)
		pd.DataFrame(
			{"customer_id": [1001], "due_date": pd.to_datetime(["2024-03-01"]), "amount": [10]}
		).to_excel(writer, sheet_name="invoices", index=False)
	data = prepare(load_tables(path))
	assert data.customers["customer_id"].tolist() == ["1001", "1002"]
	assert len(data.invoices) == 1


def test_missing_path_and_missing_customers(tmp_path):
	with pytest.raises(InputError, match="no such file or folder"):
		load_tables(tmp_path / "nope")
	(tmp_path / "invoices.csv").write_text("customer_id,due_date,amount\n")
	with pytest.raises(InputError, match="no customers table"):
		load_tables(tmp_path)


def test_bad_mapping_file(tmp_path):
	path = tmp_path / "map.json"
	path.write_text("{not json")
	with pytest.raises(InputError, match="not valid JSON"):
		load_mapping(path)


def test_encoding_is_decided_on_the_whole_file(tmp_path):
	# ASCII for the first 100 KB, Cyrillic in Windows-1251 only at the end: still read as 1251
	rows = [f"{i:06d};2024-01-01;Basic" for i in range(6000)]
	text = "customer_id;start_date;tariff\n" + "\n".join(rows) + "\n999999;2024-01-01;Тариф Премиум\n"
	assert len(text.split("Тариф")[0]) > 65536
	(tmp_path / "customers.csv").write_bytes(text.encode("cp1251"))
	customers = load_tables(tmp_path)["customers"]
	assert customers["tariff"].iloc[-1] == "Тариф Премиум"


def test_utf8_with_a_stray_byte_is_an_error_naming_line_and_byte(tmp_path):
	good = "customer_id,start_date,tariff\n1,2024-01-01,Базовый\n".encode()
	(tmp_path / "customers.csv").write_bytes(good + b"2,2024-01-01,\xff\xfe\n")
	with pytest.raises(InputError) as caught:
		load_tables(tmp_path)
	message = str(caught.value)
	assert "customers.csv: line 3, byte" in message
	assert "(0xff)" in message


def test_utf8_with_bom_and_utf16(tmp_path):
	text = "customer_id;start_date;tariff\n1;31.01.2024;Базовый\n"
	(tmp_path / "customers.csv").write_bytes(text.encode("utf-8-sig"))
	assert load_tables(tmp_path)["customers"].columns[0] == "customer_id"
	(tmp_path / "customers.csv").write_bytes(text.encode("utf-16"))
	assert load_tables(tmp_path)["customers"]["tariff"].tolist() == ["Базовый"]


def test_title_lines_before_the_header_and_errors_in_the_users_words(tmp_path):
	text = (
		"Отчёт по абонентам\nСформирован 30.06.2026\n\n"
		"Лицевой счёт;Наименование;Дата подключения\n0012;ООО Ромашка;31.01.2024\n0013;ИП Петров;позавчера\n0014;ИП Сидоров;вчера\n"
	)
	(tmp_path / "Абоненты.csv").write_bytes(text.encode("cp1251"))
	with pytest.raises(InputError) as caught:
		prepare(load_tables(tmp_path, load_mapping("1c-ru")))
	first = str(caught.value.problems[0])
	assert first == (
		"Абоненты.csv (customers), column 'Дата подключения' (start_date), row 6: cannot read the date 'позавчера'"
	)


def test_workbook_title_rows_and_missing_sheet(tmp_path):
	path = tmp_path / "export.xlsx"
	with pd.ExcelWriter(path) as writer:
		frame = pd.DataFrame(
			[["Абоненты на 30.06.2026", None], ["Код", "Дата подключения"], ["0012", "31.01.2024"]]
		)
		frame.to_excel(writer, sheet_name="Абоненты", index=False, header=False)
	data = prepare(load_tables(path, load_mapping("1c-ru")))
	assert data.customers["customer_id"].tolist() == ["0012"]
	with pytest.raises(InputError, match="no customers sheet; sheets found: 'Абоненты'"):
		load_tables(path)


def test_old_xls_is_refused_with_advice(tmp_path, monkeypatch):
	import builtins

	real_import = builtins.__import__

	def no_xlrd(name, *args, **kwargs):
		if name == "xlrd":
			raise ImportError(name)
		return real_import(name, *args, **kwargs)

	monkeypatch.setattr(builtins, "__import__", no_xlrd)
	path = tmp_path / "customers.xls"
	path.write_bytes(b"\xd0\xcf\x11\xe0")
	with pytest.raises(InputError, match=re.escape("save it as .xlsx")):
		load_tables(path)


def test_empty_and_ragged_files(tmp_path):
	(tmp_path / "customers.csv").write_text("")
	with pytest.raises(InputError, match=re.escape("customers.csv: the file is empty")):
		load_tables(tmp_path)
	(tmp_path / "customers.csv").write_text("customer_id,start_date\n1,2024-01-01,extra,more\n")
	with pytest.raises(InputError, match=re.escape("customers.csv: cannot read the file")):
		load_tables(tmp_path)


def test_folder_without_customers_lists_what_was_found(tmp_path):
	(tmp_path / "clients.csv").write_text("id\n1\n")
	with pytest.raises(InputError, match=re.escape("no customers table found; found: clients.csv")):
		load_tables(tmp_path)


def test_encoding_past_the_first_megabyte(tmp_path):
	rows = "".join(f"{i:07d};2024-01-01;Basic\n" for i in range(60000))
	assert len(rows) > 1 << 20
	text = "customer_id;start_date;tariff\n" + rows + "9999999;2024-01-01;Тариф Премиум\n"
	(tmp_path / "customers.csv").write_bytes(text.encode("cp1251"))
	assert load_tables(tmp_path)["customers"]["tariff"].iloc[-1] == "Тариф Премиум"
	damaged = (
		"customer_id;start_date;tariff\n1;2024-01-01;Базовый\n" + rows
	).encode() + b"9;2024-01-01;\xe0\n"
	(tmp_path / "customers.csv").write_bytes(damaged)
	with pytest.raises(InputError, match=re.escape("customers.csv: line 60003, byte")):
		load_tables(tmp_path)
