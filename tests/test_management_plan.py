"""The 12-month retention plan's arithmetic against small cases computed by hand."""

import math

import pandas as pd
import pytest

from churn_management.analytics.management.plan import (
	ALL,
	OTHER,
	forecast_churn,
	goal_status,
	missing_history,
	monthly_history,
	plan_budget,
	reason_mix,
	target_returns,
)


def year_history(territory: str, active: int, churned: list[int]) -> pd.DataFrame:
	return pd.DataFrame(
		{
			"territory": territory,
			"month": pd.date_range("2025-01-01", periods=12, freq="MS"),
			"start_active": active,
			"churned": churned,
			"rate": [c / active for c in churned],
		}
	)


def test_monthly_history_counts_starts_churn_and_returns():
	customers = pd.DataFrame(
		{
			"customer": ["a", "b", "c", "d"],
			"territory": ["North", "North", "North", "South"],
			"start_date": pd.to_datetime(["2025-01-10", "2025-01-20", "2025-02-05", "2025-01-01"]),
		}
	)
	churns = pd.DataFrame(
		{
			"customer": ["a", "b"],
			"territory": ["North", "North"],
			"churn_date": pd.to_datetime(["2025-02-10", "2025-03-03"]),
			"back_date": pd.to_datetime(["2025-03-15", None]),
		}
	)
	history = monthly_history(customers, churns, until="2025-04-01")
	north = history[history["territory"] == "North"].set_index("month")
	# Jan 1: nobody yet. Feb 1: a, b (2); a churns in Feb. Mar 1: a, b, c started, a gone → 2; b churns.
	# the history ends with March, the last month complete before 1 April
	assert north["start_active"].tolist() == [0, 2, 2]
	assert north["churned"].tolist() == [0, 1, 1]
	assert math.isnan(north["rate"].iloc[0]) and north["rate"].iloc[1] == 0.5
	south = history[history["territory"] == "South"]
	assert south["start_active"].tolist() == [0, 1, 1]  # started on 1 January: active from 1 February


def test_the_history_stops_at_the_last_complete_month():
	customers = pd.DataFrame(
		{"customer": ["a"], "territory": ["X"], "start_date": pd.to_datetime(["2025-01-01"])}
	)
	churns = pd.DataFrame(columns=["customer", "territory", "churn_date", "back_date"])
	history = monthly_history(customers, churns, until="2025-03-20")
	assert history["month"].dt.month.tolist() == [1, 2]  # March is not over on the 20th


def test_forecast_with_seasonality_by_hand():
	# 100 customers each month; churn 4 in January, 2 in February, 3 in the other months.
	# Mean of the monthly rates = 36 / 12 / 100 = 0.03 → index January 4/3, February 2/3, others 1.
	# Weighted rate of the last 12 months = 36 / 1,200 = 0.03; base 100 customers →
	# January 100 × 0.03 × 4/3 = 4, February 2, March 3.
	history = year_history("North", 100, [4, 2] + [3] * 10)
	forecast = forecast_churn(history).set_index("month")
	assert forecast.loc[1, "forecast_churn"] == 4
	assert forecast.loc[2, "forecast_churn"] == 2
	assert forecast.loc[3, "forecast_churn"] == 3
	assert set(forecast["territory"]) == {"North"}


def test_small_territories_are_pooled():
	# North stands alone (100 a month); South (10) and East (20) are too small and pooled: 30 customers,
	# 1 + 2 = 3 churned every month → rate 0.1, index 1, forecast 3 a month.
	history = pd.concat(
		[
			year_history("North", 100, [3] * 12),
			year_history("South", 10, [1] * 12),
			year_history("East", 20, [2] * 12),
		]
	)
	forecast = forecast_churn(history)
	assert set(forecast["territory"]) == {"North", OTHER}
	pooled = forecast[forecast["territory"] == OTHER]
	assert pooled["forecast_churn"].tolist() == [3.0] * 12
	# no territory stands alone: one group for all
	only_small = forecast_churn(history[history["territory"] != "North"])
	assert set(only_small["territory"]) == {ALL}


def test_a_month_without_history_counts_as_average():
	# six months only (July-December), 100 customers, 6 churned each: index is 1 where known, 1 where not
	history = year_history("North", 100, [6] * 12).iloc[6:]
	forecast = forecast_churn(history, min_active=30)
	# fewer than 12 months → pooled as (all); base rate 36 / 600 = 0.06 → 6 a month all year
	assert forecast["forecast_churn"].tolist() == [6.0] * 12


def test_target_returns_from_the_reason_mix_by_hand():
	churns = pd.DataFrame(
		{
			"reason": ["Price", "Price", "Price", "Moved away", "Service", None],
			"managed": [True, True, True, False, True, False],
			"conversion": [0.2, 0.2, 0.2, None, 0.5, None],
		}
	)
	mix = reason_mix(churns).set_index("reason")
	# five classified: Price 3/5, Moved away 1/5, Service 1/5; the unclassified one is left out
	assert mix.loc["Price", "share"] == pytest.approx(0.6)
	assert mix.loc["Moved away", "conversion"] == 0
	forecast = pd.DataFrame(
		{"month": [1, 1, 2], "territory": ["A", "B", "A"], "forecast_churn": [60.0, 40.0, 50.0]}
	)
	months = target_returns(forecast, mix.reset_index()).set_index("month")
	# January: 100 churned; managed share 0.8 → 80; conversion 0.6 × 0.2 + 0.2 × 0.5 = 0.22 → 22 returns
	assert months.loc[1, "managed_churn"] == 80
	assert months.loc[1, "target_returns"] == 22
	assert months.loc[1, "target_share"] == pytest.approx(0.22)
	assert months.loc[1, "goal"] == "above"
	assert months.loc[2, "target_returns"] == 11


@pytest.mark.parametrize(
	("share", "status"), [(0.05, "below"), (0.1, "within"), (0.2, "within"), (0.25, "above")]
)
def test_goal_of_ten_to_twenty_percent(share, status):
	assert goal_status(share) == status


def test_what_the_history_lacks():
	empty = pd.DataFrame(columns=["territory", "month", "start_active", "churned", "rate"])
	assert missing_history(empty, 0, 0) == ["no_customers"]
	some = year_history("North", 100, [0] * 12)
	assert missing_history(some, churned=0, classified=0) == ["no_churn", "no_reasons"]
	assert missing_history(some, churned=5, classified=0) == ["no_reasons"]
	assert missing_history(some, churned=5, classified=3) == []


def test_budget_and_cost_per_return_by_hand():
	months = pd.DataFrame({"month": [1, 2], "target_returns": [20.0, 0.0]})
	staff = pd.DataFrame({"month": [1, 1, 2], "staff_cost": [50_000.0, 10_000.0, 50_000.0]})
	budget = plan_budget(months, staff, offer_cost_per_return=500, overhead=10_000).set_index("month")
	# January: 60,000 staff + 20 × 500 offers + 10,000 overhead = 80,000; / 20 returns = 4,000
	assert budget.loc[1, "budget"] == 80_000
	assert budget.loc[1, "cost_per_return"] == 4_000
	assert math.isnan(budget.loc[2, "cost_per_return"])
