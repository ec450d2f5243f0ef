import numpy as np
import pandas as pd
import pytest

from churn_management.analytics.churn.rates import monthly_churn, seasonal_index
from churn_management.analytics.churn.states import customer_states


def test_monthly_churn_by_hand(make_dataset):
	data = make_dataset(
		[
			{"customer_id": "a", "start_date": "2024-01-10", "end_date": "2024-03-05", "monthly_fee": 100},
			{"customer_id": "b", "start_date": "2024-01-20", "monthly_fee": 300},
			{"customer_id": "c", "start_date": "2024-02-01", "end_date": "2024-03-31", "monthly_fee": 200},
			{"customer_id": "d", "start_date": "2024-03-15", "end_date": "2024-04-02", "monthly_fee": 50},
		]
	)
	monthly = monthly_churn(customer_states(data, "2024-04-30"), "2024-04-30").set_index(
		monthly_churn(customer_states(data, "2024-04-30"), "2024-04-30")["month"].dt.strftime("%Y-%m")
	)
	assert list(monthly.index) == ["2024-01", "2024-02", "2024-03", "2024-04"]
	assert monthly.loc["2024-02", "start_active"] == 2
	assert monthly.loc["2024-03", "start_active"] == 3
	assert monthly.loc["2024-03", "churned"] == 2
	assert monthly.loc["2024-03", "rate"] == pytest.approx(2 / 3)
	assert monthly.loc["2024-03", "mrr_rate"] == pytest.approx(300 / 600)
	assert monthly.loc["2024-04", "start_active"] == 2
	assert monthly.loc["2024-04", "churned"] == 1
	assert monthly.loc["2024-04", "rate"] == pytest.approx(0.5)
	assert monthly.loc["2024-04", "mrr_rate"] == pytest.approx(50 / 350)
	assert np.isnan(monthly.loc["2024-01", "rate"])


def test_only_complete_months_are_reported(make_dataset):
	data = make_dataset([{"customer_id": "a", "start_date": "2024-01-10"}])
	monthly = monthly_churn(customer_states(data, "2024-04-29"), "2024-04-29")
	assert monthly["month"].dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-02", "2024-03"]


def test_seasonal_index_averages_each_calendar_month():
	months = pd.date_range("2022-01-01", "2023-12-01", freq="MS")
	rates = [0.02 if m.month == 6 else 0.01 for m in months]
	monthly = pd.DataFrame({"month": months, "start_active": 100, "rate": rates})
	index = seasonal_index(monthly).set_index("month")
	mean = (0.02 + 11 * 0.01) / 12
	assert index.loc[6, "index"] == pytest.approx(0.02 / mean)
	assert index.loc[1, "index"] == pytest.approx(0.01 / mean)
	assert index.loc[6, "years"] == 2
	assert index["index"].mean() == pytest.approx(1.0)


def test_seasonal_index_skips_small_months():
	monthly = pd.DataFrame(
		{"month": pd.date_range("2023-01-01", periods=12, freq="MS"), "start_active": 5, "rate": 0.5}
	)
	assert seasonal_index(monthly)["index"].isna().all()
