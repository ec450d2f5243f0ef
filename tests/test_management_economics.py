"""Department economics against small cases computed by hand."""

import math

import pandas as pd
import pytest

from churn_management.analytics.management.economics import (
	department_economics,
	expected_lifetime,
	period_total,
	saving_verdict,
)


def test_expected_lifetime_is_the_area_under_the_curve_with_its_tail():
	# S = 1 on [0, 2), 0.5 on [2, 4): area 2 + 1 = 3 months.
	# Past month 4 the hazard so far goes on: h = -ln(0.25) / 4 = ln 4 / 4; up to the 10-month horizon
	# the tail is 0.25 × (1 - e^(-6h)) / h = 0.25 × (1 - 4^-1.5) / (ln 4 / 4) = 0.25 × 0.875 / 0.34657 = 0.63118.
	curve = pd.DataFrame({"time": [2.0, 4.0], "survival": [0.5, 0.25]})
	assert expected_lifetime(curve, horizon=10) == pytest.approx(
		3 + 0.25 * 0.875 / (math.log(4) / 4), abs=1e-4
	)


def test_expected_lifetime_stops_at_the_horizon():
	# horizon 3: 1 × 2 + 0.5 × 1 = 2.5
	curve = pd.DataFrame({"time": [2.0, 4.0], "survival": [0.5, 0.25]})
	assert expected_lifetime(curve, horizon=3) == pytest.approx(2.5)


def test_a_curve_that_never_falls_runs_flat_to_the_horizon():
	# nobody left in 6 months: survival stays 1 (hazard 0), so 6 + 1 × (24 - 6) = 24
	assert expected_lifetime(pd.DataFrame({"time": [6.0], "survival": [1.0]}), horizon=24) == 24
	assert expected_lifetime(pd.DataFrame({"time": [], "survival": []}), horizon=24) is None


@pytest.mark.parametrize(
	("saving", "verdict"),
	[
		(0.4, "as_expected"),
		(0.3, "as_expected"),
		(0.6, "better_than_expected"),
		(0.1, "not_cheap_enough"),
		(-0.2, "dearer"),
		(None, "unknown"),
		(float("nan"), "unknown"),
	],
)
def test_saving_is_judged_against_thirty_to_fifty_percent(saving, verdict):
	assert saving_verdict(saving) == verdict


def test_department_economics_by_hand():
	costs = pd.DataFrame(
		{
			"month": pd.to_datetime(["2026-01-01", "2026-02-01"]),
			"staff_cost": [60_000.0, 60_000.0],
			"offer_cost": [10_000.0, 0.0],
			"overhead": [10_000.0, 10_000.0],
			"acquisition_cost": [400_000.0, 300_000.0],
			"new_customers": [100, 0],
		}
	)
	returns = pd.DataFrame(
		{"month": pd.to_datetime(["2026-01-01"]), "returned": [40], "returned_revenue": [40_000.0]}
	)
	result = department_economics(costs, returns, lifetime_months=10).set_index("month")
	jan, feb = result.loc["2026-01-01"], result.loc["2026-02-01"]
	# January: (60,000 + 10,000 + 10,000) / 40 = 2,000 per retained; 400,000 / 100 = 4,000 per new one
	assert jan["retention_cost"] == 80_000
	assert jan["cost_per_return"] == 2_000
	assert jan["cost_per_acquisition"] == 4_000
	assert jan["saving"] == pytest.approx(0.5)  # 1 - 2,000 / 4,000
	assert jan["verdict"] == "as_expected"
	# 40,000 a month × 10 months = 400,000; (400,000 - 80,000) / 80,000 = 4
	assert jan["return_value"] == 400_000
	assert jan["return_on_cost"] == pytest.approx(4.0)
	# February: nobody returned, nobody new: the ratios are unknown, not zero or infinite
	assert (
		feb["returned"] == 0
		and math.isnan(feb["cost_per_return"])
		and math.isnan(feb["cost_per_acquisition"])
	)
	assert feb["verdict"] == "unknown"
	assert feb["return_on_cost"] == pytest.approx(-1.0)  # (0 - 70,000) / 70,000


def test_the_period_total_recomputes_ratios_on_the_sums():
	costs = pd.DataFrame(
		{
			"month": pd.to_datetime(["2026-01-01", "2026-02-01"]),
			"staff_cost": [30_000.0, 30_000.0],
			"offer_cost": [0.0, 0.0],
			"overhead": [0.0, 0.0],
			"acquisition_cost": [100_000.0, 100_000.0],
			"new_customers": [20, 30],
		}
	)
	returns = pd.DataFrame(
		{
			"month": pd.to_datetime(["2026-01-01", "2026-02-01"]),
			"returned": [10, 50],
			"returned_revenue": [0.0, 0.0],
		}
	)
	total = period_total(department_economics(costs, returns, 12), 12)
	# 60,000 / 60 = 1,000 per retained (not the mean of 3,000 and 600); 200,000 / 50 = 4,000 per new
	assert total["cost_per_return"] == 1_000
	assert total["cost_per_acquisition"] == 4_000
	assert total["saving"] == pytest.approx(0.75)
	assert total["verdict"] == "better_than_expected"
