import numpy as np
import pandas as pd
import pytest

from churn_management.analytics.churn.survival import (
	hazard_in_words,
	kaplan_meier,
	lifetime_drivers,
	median_lifetime,
	segment_labels,
	segment_lifetimes,
	survival_at,
)


def test_kaplan_meier_by_hand():
	# times 2, 3 (censored), 4, 4, 6 (censored)
	curve = kaplan_meier(np.array([2, 3, 4, 4, 6]), np.array([1, 0, 1, 1, 0], dtype=bool))
	assert curve["time"].tolist() == [2, 3, 4, 6]
	assert curve["at_risk"].tolist() == [5, 4, 3, 1]
	assert curve["survival"].tolist() == pytest.approx([0.8, 0.8, 0.8 * (1 / 3), 0.8 * (1 / 3)])
	assert median_lifetime(curve) == 4
	assert survival_at(curve, 3.5) == pytest.approx(0.8)
	assert survival_at(curve, 1) == 1.0
	assert survival_at(curve, 7) is None


def test_median_is_none_when_survival_stays_above_half():
	curve = kaplan_meier(np.array([1, 2, 3, 4]), np.array([1, 0, 0, 0], dtype=bool))
	assert median_lifetime(curve) is None


def test_segment_lifetimes():
	frame = pd.DataFrame(
		{
			"lifetime_months": [2, 3, 4, 4, 6, 30, 30],
			"churned": [True, False, True, True, False, False, False],
			"tariff": ["x", "x", "x", "x", "x", "y", "y"],
		}
	)
	table = segment_lifetimes(frame, ["tariff"]).set_index(["column", "value"])
	assert table.loc[("tariff", "x"), "median_lifetime_months"] == 4
	assert table.loc[("tariff", "x"), "churn_share"] == pytest.approx(3 / 5)
	assert table.loc[("tariff", "y"), "median_lifetime_months"] is None or np.isnan(
		table.loc[("tariff", "y"), "median_lifetime_months"]
	)
	assert table.loc[("tariff", "y"), "survival_24m"] == 1.0
	assert table.loc[("(all)", "(all)"), "customers"] == 7


def test_numeric_segments_become_ranges():
	values = pd.Series(np.arange(100, dtype=float))
	labels = segment_labels(values)
	assert labels.nunique() == 4


def test_cox_finds_the_faster_leaving_segment():
	rng = np.random.default_rng(3)
	n = 4000
	tariff = rng.choice(["cheap", "premium"], n, p=[0.4, 0.6])
	scale = np.where(tariff == "cheap", 10.0, 30.0)
	life = rng.exponential(scale)
	censor = rng.uniform(0, 40, n)
	frame = pd.DataFrame(
		{"lifetime_months": np.minimum(life, censor), "churned": life <= censor, "tariff": tariff}
	)
	drivers = lifetime_drivers(frame, ["tariff"])
	row = drivers.iloc[0]
	assert row["value"] == "cheap" and row["baseline"] == "premium"
	assert 2.4 < row["hazard_ratio"] < 3.6
	assert row["significant"]
	assert "times as fast" in row["meaning"]


def test_hazard_in_words():
	assert "40 % less often" in hazard_in_words("tariff", "a", "b", 0.6, True)
	assert "may be chance" in hazard_in_words("tariff", "a", "b", 1.1, False)


def test_cox_matches_lifelines():
	from lifelines import CoxPHFitter

	from churn_management.analytics.churn.survival import cox_efron

	rng = np.random.default_rng(11)
	n = 3000
	X = np.column_stack([rng.random(n) < 0.3, rng.random(n) < 0.2, rng.random(n) < 0.5]).astype(float)
	life = rng.exponential(20 / np.exp(X @ np.array([0.8, -0.5, 0.1])))
	censor = rng.uniform(0, 40, n)
	durations = np.round(np.minimum(life, censor), 1).clip(0.1)  # rounded: many ties
	events = life <= censor
	ours = cox_efron(X, durations, events, penalizer=0.001)
	frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(duration=durations, event=events.astype(int))
	theirs = CoxPHFitter(penalizer=0.001).fit(frame, duration_col="duration", event_col="event").summary
	assert ours["coef"] == pytest.approx(theirs["coef"].to_numpy(), abs=2e-3)
	assert ours["se"] == pytest.approx(theirs["se(coef)"].to_numpy(), rel=2e-2)
	assert ours["p"] == pytest.approx(theirs["p"].to_numpy(), abs=1e-3)


def test_survival_by_month_matches_survival_at():
	from churn_management.analytics.churn.survival import _survival_by_month

	rng = np.random.default_rng(2)
	curve = kaplan_meier(rng.integers(1, 900, 500) / (365.25 / 12), rng.random(500) < 0.4)
	assert _survival_by_month(curve, 36) == [survival_at(curve, m) for m in range(37)]
	assert _survival_by_month(kaplan_meier(np.array([]), np.array([])), 3) == [None] * 4
