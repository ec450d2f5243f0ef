import json

import pandas as pd
import pytest

from churn_management.analytics.loading import load_mapping, load_tables
from churn_management.analytics.schema import InputError, prepare


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
