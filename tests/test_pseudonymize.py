import json
import re

import pandas as pd
import pytest

from churn_management.analytics.exports.loading import bundled_mapping
from churn_management.analytics.exports.pseudonymize import is_personal, pseudonym, pseudonymize_tables
from churn_management.analytics.exports.schema import InputError
from churn_management.cli import main

PERSONAL = (
	"name",
	"Name",
	"full name",
	"Full Name",
	"Customer Name",
	"client",
	"Client",
	"Subscriber",
	"Contact person",
	"phone",
	"Phone number",
	"E-mail",
	"email",
	"address",
	"Address line 1",
	"passport",
	"passport_no",
	"birth date",
	"date_of_birth",
	"tax id",
	"bank account",
	"ФИО",
	"Ф.И.О.",
	"ФИО клиента",
	"Контрагент",
	"Клиент",
	"Абонент",
	"Наименование",
	"Тел.",
	"Телефон",
	"Адрес",
	"Паспорт",
	"Паспортные данные",
	"Дата рождения",
	"ИНН",
	"СНИЛС",
	"Расчетный счет",
	"Контактное лицо",
)
NOT_PERSONAL = (
	"customer_id",
	"tariff",
	"reason",
	"group_name",
	"territory",
	"start_date",
	"customer_words",
	"customer_type",
	"Тип клиента",
	"monthly_fee",
	"outcome",
	"contract_type",
	"channel",
)


@pytest.mark.parametrize("column", PERSONAL)
def test_personal_columns_are_recognised(column):
	assert is_personal(column)


@pytest.mark.parametrize("column", NOT_PERSONAL)
def test_analytic_columns_are_kept(column):
	assert not is_personal(column)


def test_every_mapping_preset_is_covered():
	mapping = bundled_mapping("1c-ru")
	assert all(is_personal(header) for header in mapping["personal"])
	for table, columns in mapping["columns"].items():
		for header, target in columns.items():
			if target != "customer_id":
				assert not is_personal(target), (table, header)


def test_ids_are_keyed_and_stable_across_tables():
	tables = {
		"customers": pd.DataFrame(
			{"customer_id": ["a", "b"], "name": ["Ivan", "Olga"], "tariff": ["x", "y"]}
		),
		"invoices": pd.DataFrame({"customer_id": ["b"], "amount": [10]}),
		"terminations": pd.DataFrame(
			{"customer_id": ["a"], "customer_words": ["call me on +7 912 345-67-89 or ivan@mail.ru"]}
		),
	}
	clean, report = pseudonymize_tables(tables, "secret")
	assert report["customers"].dropped == ["name"]
	assert report["customers"].hashed == ["customer_id"]
	assert report["customers"].kept == ["tariff"]
	assert "name" not in clean["customers"]
	assert clean["invoices"].loc[0, "customer_id"] == clean["customers"].loc[1, "customer_id"]
	assert clean["customers"].loc[0, "customer_id"] == pseudonym("a", "secret")
	assert pseudonym("a", "secret") != pseudonym("a", "other key")
	assert clean["terminations"].loc[0, "customer_words"] == "call me on [phone] or [e-mail]"


def test_names_and_ids_in_free_text_are_removed():
	tables = {
		"customers": pd.DataFrame({"customer_id": ["A-1001"], "ФИО": ["Петров Иван Сергеевич"]}),
		"terminations": pd.DataFrame(
			{"customer_id": ["A-1001"], "customer_words": ["Петров сказал: договор A-1001 закрыть"]}
		),
	}
	clean, _ = pseudonymize_tables(tables, "k")
	assert clean["terminations"].loc[
		0, "customer_words"
	] == "[removed] сказал: договор [removed] закрыть" or (
		"Петров" not in clean["terminations"].loc[0, "customer_words"]
		and "A-1001" not in clean["terminations"].loc[0, "customer_words"]
	)


def test_refuses_without_an_id_column(tmp_path, capsys):
	with pytest.raises(InputError, match="no customer id column to hash"):
		pseudonymize_tables({"customers": pd.DataFrame({"Абонент": ["Иванов"], "Тариф": ["x"]})}, "k")
	(tmp_path / "in").mkdir()
	(tmp_path / "in" / "customers.csv").write_text("Client No,Name,Phone\n1,Ivan,+7 900 000 00 00\n")
	code = main(["pseudonymize", str(tmp_path / "in"), "--key", "k", "--out", str(tmp_path / "out")])
	assert code == 2
	err = capsys.readouterr().err
	assert "customers.csv: no customer id column to hash; columns found: 'Client No', 'Name', 'Phone'" in err
	assert not (tmp_path / "out").exists()


def test_no_key_is_an_error(tmp_path, monkeypatch, capsys):
	monkeypatch.delenv("CHURN_PSEUDONYM_KEY", raising=False)
	(tmp_path / "customers.csv").write_text("customer_id,start_date\n1,2024-01-01\n")
	assert main(["pseudonymize", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
	assert "CHURN_PSEUDONYM_KEY" in capsys.readouterr().err


def one_c_export(folder):
	"""A 1C-style export: Windows-1251, semicolons, a title line, Russian headers and personal data."""
	customers = (
		"Список абонентов\n"
		"Лицевой счёт;Наименование;Контактное лицо;Телефон;Эл. почта;Адрес подключения;Паспортные данные;ИНН;"
		"Дата подключения;Дата отключения;Тариф;Абонплата\n"
		"00-000123;ООО Ромашка;Сидорова Анна Петровна;+7 (912) 555-11-22;romashka@mail.ru;"
		"г. Пермь, ул. Ленина, д. 5;5701 123456;5902123456;15.01.2022;01.01.0001;Офис;3 500,00\n"
		"00-000124;Кузнецов Пётр Ильич;;8 912 555 33 44;kuz@ya.ru;г. Пермь, ул. Мира, д. 1;5702 654321;;"
		"01.03.2023;31.03.2025;Квартира;890,00\n"
	)
	(folder / "Абоненты.csv").write_bytes(customers.encode("cp1251"))
	terminations = (
		"Лицевой счёт;Дата заявления;Причина;Со слов клиента\n"
		"00-000124;15.03.2025;Переезд;Кузнецов переезжает, звонить 8 912 555 33 44, договор 00-000124\n"
	)
	(folder / "Расторжения.csv").write_bytes(terminations.encode("cp1251"))
	return {
		"names": ["ООО Ромашка", "Сидорова", "Анна Петровна", "Кузнецов", "Ромашка"],
		"phones": ["555-11-22", "555 33 44", "5551122", "5553344"],
		"ids": ["00-000123", "00-000124"],
		"other": ["romashka@mail.ru", "kuz@ya.ru", "Ленина", "5701 123456", "5902123456"],
	}


def leaks(folder, secrets) -> list[str]:
	text = "\n".join(p.read_text(encoding="utf-8") for p in folder.iterdir() if p.suffix == ".csv")
	digits = re.sub(r"\D", "", text)
	found = [s for group in ("names", "ids", "other") for s in secrets[group] if s in text]
	found += [p for p in secrets["phones"] if p in text or (p.isdigit() and p in digits and len(p) > 6)]
	return found


@pytest.mark.parametrize("vertical", ["security", "isp", "fitness"])
def test_no_leak_on_every_sample(vertical, tmp_path, capsys):
	data = tmp_path / "data"
	assert main(["sample", "--vertical", vertical, "--customers", "400", "--out", str(data)]) == 0
	customers = pd.read_csv(data / "customers.csv", dtype=str)
	secrets = {
		"names": [n for n in customers["name"]],
		"phones": [p for p in customers["phone"]],
		"ids": [i for i in customers["customer_id"]],
		"other": [e for e in customers["email"]] + [a for a in customers["address"]],
	}
	out = tmp_path / "out"
	assert main(["pseudonymize", str(data), "--key", "k", "--out", str(out)]) == 0
	assert leaks(out, secrets) == []
	cells = set()
	for path in out.glob("*.csv"):
		frame = pd.read_csv(path, dtype=str)
		cells |= set(frame.to_numpy().ravel().tolist())
	assert not cells & set(secrets["ids"])


def test_no_leak_on_a_1c_export(tmp_path, capsys):
	data = tmp_path / "data"
	data.mkdir()
	secrets = one_c_export(data)
	out = tmp_path / "out"
	assert main(["pseudonymize", str(data), "--key", "k", "--out", str(out), "--mapping", "1c-ru"]) == 0
	assert leaks(out, secrets) == []
	printed = capsys.readouterr().out
	assert (
		"customers: hashed Лицевой счёт; dropped Наименование, Контактное лицо, Телефон, Эл. почта" in printed
	)
	report = json.loads((out / "pseudonymization.json").read_text())
	assert "Тариф" in report["customers"]["kept"]
	words = pd.read_csv(out / "terminations.csv")["customer_words"].iloc[0]
	assert "переезжает" in words
	assert (
		main(["diagnose", str(out), "--as-of", "30.06.2026", "--out", str(tmp_path / "d.xlsx"), "--quiet"])
		== 0
	)
