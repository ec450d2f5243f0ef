import pandas as pd
import pytest

from churn_management.analytics.churn.states import Thresholds, customer_states, debt_position, state_counts

AS_OF = "2024-06-30"


def by_id(states):
	return states.set_index("customer_id")


def test_states_follow_the_thresholds(make_dataset):
	data = make_dataset(
		[
			{"customer_id": "paid", "start_date": "2024-01-01"},
			{"customer_id": "late", "start_date": "2024-01-01"},
			{"customer_id": "pre", "start_date": "2024-01-01"},
			{"customer_id": "gone", "start_date": "2024-01-01"},
			{"customer_id": "future", "start_date": "2024-07-15"},
		],
		invoices=[
			{"customer_id": "paid", "due_date": "2024-06-10", "amount": 100, "paid_date": "2024-06-09"},
			{"customer_id": "late", "due_date": "2024-06-20", "amount": 100},
			{"customer_id": "pre", "due_date": "2024-05-31", "amount": 100},
			{"customer_id": "gone", "due_date": "2024-03-29", "amount": 100},
			{"customer_id": "gone", "due_date": "2024-04-29", "amount": 100},
		],
	)
	states = by_id(customer_states(data, AS_OF))
	assert states.loc["paid", "state"] == "active"
	assert states.loc["late", "state"] == "overdue"
	assert states.loc["late", "days_overdue"] == 10
	assert states.loc["pre", "state"] == "pre_churn"
	assert states.loc["pre", "days_overdue"] == 30
	assert states.loc["gone", "state"] == "churned"
	assert states.loc["gone", "churn_date"] == pd.Timestamp("2024-06-29")
	assert states.loc["gone", "churn_kind"] == "involuntary"
	assert states.loc["gone", "reason"] == "Non-payment"
	assert states.loc["gone", "outstanding"] == 200
	assert states.loc["future", "state"] == "not_started"
	assert state_counts(customer_states(data, AS_OF)) == {
		"active": 1,
		"overdue": 1,
		"pre_churn": 1,
		"churned": 1,
	}


def test_thresholds_are_parameters(make_dataset):
	data = make_dataset(
		[{"customer_id": "a", "start_date": "2024-01-01"}],
		invoices=[{"customer_id": "a", "due_date": "2024-04-15", "amount": 100}],
	)
	assert by_id(customer_states(data, AS_OF)).loc["a", "state"] == "pre_churn"
	two_months = Thresholds(churn_after_months=2)
	states = by_id(customer_states(data, AS_OF, two_months))
	assert states.loc["a", "state"] == "churned"
	assert states.loc["a", "churn_date"] == pd.Timestamp("2024-06-15")
	relaxed = Thresholds(pre_churn_days=90)
	assert by_id(customer_states(data, AS_OF, relaxed)).loc["a", "state"] == "overdue"


def test_a_payment_after_the_as_of_date_leaves_the_invoice_unpaid_then(make_dataset):
	data = make_dataset(
		[{"customer_id": "a", "start_date": "2024-01-01"}],
		invoices=[{"customer_id": "a", "due_date": "2024-06-01", "amount": 100, "paid_date": "2024-07-10"}],
	)
	assert by_id(customer_states(data, AS_OF)).loc["a", "state"] == "overdue"
	assert by_id(customer_states(data, "2024-07-31")).loc["a", "state"] == "active"


def test_partial_payment_keeps_the_rest_outstanding(make_dataset):
	data = make_dataset(
		[{"customer_id": "a", "start_date": "2024-01-01"}],
		invoices=[
			{
				"customer_id": "a",
				"due_date": "2024-06-01",
				"amount": 100,
				"paid_date": "2024-06-01",
				"paid_amount": 60,
			}
		],
	)
	states = by_id(customer_states(data, AS_OF))
	assert states.loc["a", "outstanding"] == pytest.approx(40)
	assert states.loc["a", "state"] == "overdue"


def test_voluntary_termination_and_pending_application(make_dataset):
	data = make_dataset(
		[
			{"customer_id": "left", "start_date": "2023-01-01", "end_date": "2024-05-15"},
			{"customer_id": "leaving", "start_date": "2023-01-01", "end_date": "2024-07-15"},
			{"customer_id": "no_end", "start_date": "2023-01-01"},
		],
		terminations=[
			{"customer_id": "left", "date": "2024-05-01", "reason": "Price"},
			{"customer_id": "leaving", "date": "2024-06-20", "reason": "Moved"},
			{"customer_id": "no_end", "date": "2024-06-01", "reason": "Competitor"},
		],
	)
	states = by_id(customer_states(data, AS_OF))
	assert states.loc["left", "state"] == "churned"
	assert states.loc["left", "churn_kind"] == "voluntary"
	assert states.loc["left", "reason"] == "Price"
	assert states.loc["left", "churn_date"] == pd.Timestamp("2024-05-15")
	assert states.loc["leaving", "state"] == "pre_churn"
	assert states.loc["no_end", "state"] == "churned"
	assert states.loc["no_end", "churn_date"] == pd.Timestamp("2024-06-01")


def test_retained_application_is_not_churn(make_dataset):
	data = make_dataset(
		[{"customer_id": "kept", "start_date": "2023-01-01"}],
		terminations=[
			{"customer_id": "kept", "date": "2024-06-01", "reason": "Price", "outcome": "Retained"}
		],
	)
	assert by_id(customer_states(data, AS_OF)).loc["kept", "state"] == "active"


def test_leaving_with_debt_and_no_application_is_involuntary(make_dataset):
	data = make_dataset(
		[
			{"customer_id": "debtor", "start_date": "2023-01-01", "end_date": "2024-05-01"},
			{"customer_id": "clean", "start_date": "2023-01-01", "end_date": "2024-05-01"},
		],
		invoices=[{"customer_id": "debtor", "due_date": "2024-03-01", "amount": 50}],
	)
	states = by_id(customer_states(data, AS_OF))
	assert states.loc["debtor", "churn_kind"] == "involuntary"
	assert states.loc["debtor", "churn_date"] == pd.Timestamp("2024-05-01")
	assert states.loc["clean", "churn_kind"] == "voluntary"
	assert states.loc["clean", "reason"] == "Not recorded"


def test_churn_after_a_win_back_is_secondary(make_dataset):
	data = make_dataset(
		[
			{
				"customer_id": "again",
				"start_date": "2023-01-01",
				"end_date": "2024-05-01",
				"won_back_date": "2023-06-01",
			},
			{"customer_id": "first", "start_date": "2023-01-01", "end_date": "2024-05-01"},
		]
	)
	states = by_id(customer_states(data, AS_OF))
	assert states.loc["again", "churn_order"] == "secondary"
	assert states.loc["first", "churn_order"] == "primary"


def test_lifetime_in_months(make_dataset):
	data = make_dataset([{"customer_id": "a", "start_date": "2023-06-30", "end_date": "2024-06-30"}])
	assert by_id(customer_states(data, AS_OF)).loc["a", "lifetime_months"] == pytest.approx(
		366 / (365.25 / 12)
	)


def test_debt_position_ignores_invoices_not_yet_due():
	invoices = pd.DataFrame(
		{
			"customer_id": ["a", "a"],
			"due_date": pd.to_datetime(["2024-06-01", "2024-07-01"]),
			"amount": [10.0, 10.0],
			"paid_date": pd.to_datetime([None, None]),
			"paid_amount": [0.0, 0.0],
		}
	)
	position = debt_position(invoices, pd.Timestamp(AS_OF))
	assert position.loc["a", "outstanding"] == 10
	assert position.loc["a", "oldest_unpaid_due"] == pd.Timestamp("2024-06-01")


def test_thresholds_are_checked():
	with pytest.raises(ValueError):
		Thresholds(churn_after_months=0)
	with pytest.raises(ValueError):
		Thresholds(pre_churn_days=10, grace_days=20)
