"""Monthly labour of the plan against small cases computed by hand."""

import pandas as pd
import pytest

from churn_management.analytics.management.labour import (
	productive_hours,
	staff_needed,
	task_norms,
	workload,
)

DEFAULTS = pd.DataFrame(
	{
		"task_type": ["Win-back", "Prevention"],
		"tasks_per_churned": [1.0, 0.0],
		"attempts_per_task": [2.0, 2.0],
		"minutes_per_attempt": [15.0, 10.0],
	}
)


def test_productive_hours_from_minutes_a_day():
	assert productive_hours(360) == 126  # 360 min × 21 days / 60
	assert productive_hours(240, working_days=20) == 80


def test_norms_come_from_the_history_and_fall_back_to_defaults():
	tasks = pd.DataFrame(
		{
			"task_type": ["Win-back", "Win-back", "Win-back", "Win-back", "Renewal"],
			"attempt_count": [1, 3, 0, 2, 1],
			"minutes_spent": [10, 30, 0, 20, 0],
		}
	)
	norms = task_norms(tasks, churned=8, defaults=DEFAULTS).set_index("task_type")
	# Win-back: 4 tasks / 8 churned = 0.5; attempts of tried tasks (1 + 3 + 2) / 3 = 2; 60 min / 6 = 10
	assert norms.loc["Win-back"].tolist() == [0.5, 2.0, 10.0]
	# Renewal: 1 / 8; one attempt; no minutes recorded and no default → 0
	assert norms.loc["Renewal"].tolist() == [0.125, 1.0, 0.0]
	# Prevention: no history, so the defaults
	assert norms.loc["Prevention"].tolist() == [0.0, 2.0, 10.0]


def test_without_tasks_the_defaults_are_the_norms():
	empty = pd.DataFrame(columns=["task_type", "attempt_count", "minutes_spent"])
	assert task_norms(empty, churned=10, defaults=DEFAULTS).equals(DEFAULTS)


def test_workload_and_staff_by_hand():
	months = pd.DataFrame({"month": [1, 2], "forecast_churn": [100.0, 50.0]})
	norms = DEFAULTS.iloc[[0]]
	load = workload(months, norms)
	# January: 100 churned × 1 task × 2 attempts × 15 min = 3,000 min = 50 h
	assert load.iloc[0][["tasks", "attempts", "minutes", "hours"]].tolist() == [100, 200, 3000, 50]
	assert load.iloc[1]["hours"] == 25
	roles = pd.DataFrame(
		{
			"role": ["Retention Manager", "Retention Head"],
			"productive_hours": [20.0, 40.0],
			"share": [0.8, 0.2],
			"monthly_cost": [50_000.0, 80_000.0],
		}
	)
	staff = staff_needed(load[["month", "hours"]], roles).set_index(["month", "role"])
	# managers do 80 % of 50 h = 40 h at 20 h each → 2 people, 100,000; the head 10 h / 40 h → 0.25
	assert staff.loc[(1, "Retention Manager")].tolist() == [40, 2, 100_000]
	assert staff.loc[(1, "Retention Head")].tolist() == [10, 0.25, 20_000]
	assert staff.loc[(2, "Retention Manager"), "staff"] == 1
	# a role with no productive hours needs nobody rather than infinitely many
	zero = roles.assign(productive_hours=[0.0, 40.0])
	assert staff_needed(load[["month", "hours"]], zero)["staff"].iloc[0] == pytest.approx(0)
