import pandas as pd
import pytest

from churn_management.analytics.exports.schema import InputError, prepare


def problems_of(tables):
	with pytest.raises(InputError) as caught:
		prepare({name: pd.DataFrame(rows) for name, rows in tables.items()})
	return [str(p) for p in caught.value.problems]


def test_missing_customers_table():
	assert problems_of({"invoices": [{"customer_id": "a"}]}) == [
		"customers: the customers table is required but was not found"
	]


def quality_of(tables, as_of=None):
	data = prepare({name: pd.DataFrame(rows) for name, rows in tables.items()}, as_of)
	return data, {(n.column, n.issue): n for n in data.quality}


def test_missing_required_column_lists_what_was_found():
	assert problems_of({"customers": [{"customer_id": "a", "Since": "2024-01-01"}]}) == [
		"customers: required column start_date is missing; columns found: 'customer_id', 'Since'"
	]


def test_a_column_mostly_unreadable_is_an_error_naming_the_rows():
	problems = problems_of(
		{
			"customers": [
				{"customer_id": "a", "start_date": "2024-01-01"},
				{"customer_id": "b", "start_date": "2024-13-45"},
				{"customer_id": "c", "start_date": "soon"},
			]
		}
	)
	assert problems == [
		"customers, column start_date, row 3: cannot read the date '2024-13-45'",
		"customers, column start_date, row 4: cannot read the date 'soon'",
	]


def test_a_few_bad_rows_are_dropped_and_counted_with_an_example():
	data, notes = quality_of(
		{
			"customers": [
				{"customer_id": "a", "start_date": "2024-01-01", "end_date": None, "monthly_fee": "-5"},
				{"customer_id": "a", "start_date": "2024-01-01", "end_date": None, "monthly_fee": "5"},
				{"customer_id": "b", "start_date": "2024-02-30", "end_date": None, "monthly_fee": "5"},
				{
					"customer_id": "c",
					"start_date": "2024-03-01",
					"end_date": "2024-01-01",
					"monthly_fee": "x",
				},
				{"customer_id": "d", "start_date": "2030-01-01", "end_date": None, "monthly_fee": "5"},
				{
					"customer_id": "e",
					"start_date": "2024-01-01",
					"end_date": "9999-12-31",
					"monthly_fee": "5",
				},
				{"customer_id": "f", "start_date": "01.01.0001", "end_date": None, "monthly_fee": "5"},
			],
			"invoices": [
				{"customer_id": "a", "due_date": "2024-02-01", "amount": "100"},
				{"customer_id": "a", "due_date": "2024-03-01", "amount": "сто"},
				{"customer_id": "zzz", "due_date": "2024-03-01", "amount": "100"},
			],
		},
		as_of="2026-06-30",
	)
	assert data.customers["customer_id"].tolist() == ["a", "e"]
	assert data.customers["end_date"].isna().all()
	assert data.customers.loc[0, "monthly_fee"] != data.customers.loc[0, "monthly_fee"]  # -5 emptied
	assert notes[("customer_id", "duplicate customer_id")].example == "row 3: 'a'"
	assert notes[("start_date", "cannot read the date")].example == "row 4: '2024-02-30'"
	assert notes[("monthly_fee", "negative value")].action == "value left empty"
	assert notes[("monthly_fee", "cannot read the number")].rows == 1
	assert notes[("end_date", "end date before the start date")].rows == 1
	assert notes[("start_date", "start date after the as-of date")].example == "row 6: '2030-01-01'"
	placeholder = "placeholder date (such as 01.01.0001 or 9999-12-31)"
	assert notes[("end_date", placeholder)].action == "read as no date"
	assert notes[("start_date", placeholder)].action == "row dropped"
	assert notes[("amount", "cannot read the number")].example == "row 3: 'сто'"
	assert notes[("customer_id", "payment of a customer not in customers")].rows == 1
	assert len(data.invoices) == 1


def test_negative_invoice_amounts_are_dropped():
	data, notes = quality_of(
		{
			"customers": [{"customer_id": "a", "start_date": "2024-01-01"}],
			"invoices": [
				{"customer_id": "a", "due_date": "2024-02-01", "amount": -100},
				{"customer_id": "a", "due_date": "2024-03-01", "amount": 100},
			],
		}
	)
	assert notes[("amount", "negative value")].action == "row dropped"
	assert data.invoices["amount"].tolist() == [100]


def test_many_bad_rows_are_summarised():
	rows = [{"customer_id": str(i), "start_date": "soon"} for i in range(12)]
	problems = problems_of({"customers": rows})
	assert len(problems) == 6
	assert problems[-1] == "customers, column start_date: and 7 more rows like these"


def test_russian_formats_are_read():
	data = prepare(
		{
			"customers": pd.DataFrame(
				{"customer_id": ["1"], "start_date": ["31.01.2024"], "monthly_fee": ["1 234,50"]}
			),
			"reasons": pd.DataFrame(
				{"reason": ["Цена"], "group": ["Цена"], "managed": ["да"], "target_share": ["12,5"]}
			),
		}
	)
	assert data.customers.loc[0, "start_date"] == pd.Timestamp("2024-01-31")
	assert data.customers.loc[0, "monthly_fee"] == pytest.approx(1234.5)
	assert bool(data.reasons.loc[0, "managed"]) is True
	assert data.reasons.loc[0, "target_share"] == pytest.approx(12.5)


def test_unknown_customers_in_invoices_are_dropped_with_a_warning():
	data = prepare(
		{
			"customers": pd.DataFrame({"customer_id": ["a"], "start_date": ["2024-01-01"]}),
			"invoices": pd.DataFrame(
				{"customer_id": ["a", "zzz"], "due_date": ["2024-02-01"] * 2, "amount": [1, 1]}
			),
		}
	)
	assert len(data.invoices) == 1
	assert [(n.issue, n.rows, n.example) for n in data.quality] == [
		("payment of a customer not in customers", 1, "row 3: 'zzz'")
	]


def test_paid_date_without_amount_means_paid_in_full():
	data = prepare(
		{
			"customers": pd.DataFrame({"customer_id": ["a"], "start_date": ["2024-01-01"]}),
			"invoices": pd.DataFrame(
				{
					"customer_id": ["a", "a"],
					"due_date": ["2024-02-01"] * 2,
					"amount": [100, 100],
					"paid_date": ["2024-02-01", None],
				}
			),
		}
	)
	assert data.invoices["paid_amount"].tolist() == [100, 0]


def test_no_usable_customer_is_an_error():
	problems = problems_of({"customers": [{"customer_id": None, "start_date": "2024-01-01"}]})
	assert problems == ["customers: no customer rows left to analyse: 1 missing value (row 2)"]
