import pandas as pd

from churn_management.analytics.pseudonymize import is_personal, pseudonym, pseudonymize_tables


def test_personal_columns_are_recognised():
	for column in (
		"name",
		"Customer Name",
		"phone",
		"E-mail",
		"address",
		"passport_no",
		"ФИО",
		"Телефон",
		"Адрес",
		"date_of_birth",
	):
		assert is_personal(column), column
	for column in (
		"customer_id",
		"tariff",
		"reason",
		"group_name",
		"territory",
		"start_date",
		"customer_words",
	):
		assert not is_personal(column), column


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
