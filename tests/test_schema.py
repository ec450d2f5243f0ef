import pandas as pd
import pytest

from churn_management.analytics.schema import InputError, prepare


def problems_of(tables):
	with pytest.raises(InputError) as caught:
		prepare({name: pd.DataFrame(rows) for name, rows in tables.items()})
	return [str(p) for p in caught.value.problems]


def test_missing_customers_table():
	assert problems_of({"invoices": [{"customer_id": "a"}]}) == [
		"customers: the customers table is required but was not found"
	]


def test_missing_required_column():
	assert problems_of({"customers": [{"customer_id": "a"}]}) == [
		"customers, column start_date: required column is missing"
	]


def test_unparsable_dates_name_the_row():
	problems = problems_of(
		{
			"customers": [
				{"customer_id": "a", "start_date": "2024-01-01"},
				{"customer_id": "b", "start_date": "2024-13-45"},
			]
		}
	)
	assert problems == ["customers, column start_date, row 3: cannot read the date '2024-13-45'"]


def test_duplicate_ids_end_before_start_and_negative_amounts():
	problems = problems_of(
		{
			"customers": [
				{"customer_id": "a", "start_date": "2024-01-01", "end_date": "2023-12-31", "monthly_fee": -5},
				{"customer_id": "a", "start_date": "2024-01-01", "end_date": None, "monthly_fee": 5},
			]
		}
	)
	assert "customers, column monthly_fee, row 2: negative value '-5'" in problems[0] or any(
		"negative value" in p for p in problems
	)
	assert not any("duplicate" in p for p in problems)  # types first: the other checks wait for readable data
	problems = problems_of(
		{
			"customers": [
				{"customer_id": "a", "start_date": "2024-01-01", "end_date": "2023-12-31"},
				{"customer_id": "a", "start_date": "2024-01-01", "end_date": None},
			]
		}
	)
	assert "customers, column customer_id, row 3: duplicate 'a'" in problems
	assert "customers, column end_date, row 2: end date '2023-12-31' is before the start date" in problems


def test_negative_invoice_amounts():
	problems = problems_of(
		{
			"customers": [{"customer_id": "a", "start_date": "2024-01-01"}],
			"invoices": [{"customer_id": "a", "due_date": "2024-02-01", "amount": -100}],
		}
	)
	assert problems == ["invoices, column amount, row 2: negative value '-100'"]


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
	assert "1 rows name a customer_id not in customers" in str(data.warnings[0])


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


def test_missing_required_value():
	problems = problems_of({"customers": [{"customer_id": None, "start_date": "2024-01-01"}]})
	assert problems == ["customers, column customer_id, row 2: missing value"]
