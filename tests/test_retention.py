"""Retention analytics by hand: value of a return, Wilson intervals, sticky conversion, capacity, splits."""

import math

import pandas as pd
import pytest

from churn_management.analytics.retention.work import (
	allocate_capacity,
	capacity_per_day,
	conversion_table,
	expected_remaining_lifetime,
	judge_saves,
	priority_level,
	return_value,
	sample_customers,
	seed_from_text,
	share_came_back,
	split_methods,
	wilson_interval,
)


def test_value_of_a_return_is_revenue_times_remaining_lifetime():
	# 2.5 % monthly churn -> 40 months; 990 a month -> 39,600
	lifetime = expected_remaining_lifetime(0.025)
	assert lifetime == pytest.approx(40)
	assert return_value(990, lifetime) == pytest.approx(39600)


def test_lifetime_is_capped_and_defined_without_churn():
	assert expected_remaining_lifetime(0.001, max_months=60) == 60
	assert expected_remaining_lifetime(0, max_months=60) == 60


def test_negative_revenue_is_refused():
	with pytest.raises(ValueError):
		return_value(-1, 10)


def test_priority_levels():
	assert priority_level(50000, 40000, 10000) == "High"
	assert priority_level(40000, 40000, 10000) == "High"
	assert priority_level(10000, 40000, 10000) == "Medium"
	assert priority_level(9999, 40000, 10000) == "Low"


def test_wilson_interval_by_hand():
	# 8 of 10: p = .8, z^2 = 3.8415; centre = (.8 + .19207) / 1.38415 = .71674,
	# half = 1.96 * sqrt(.016 + .0096037) / 1.38415 = .22658
	low, high = wilson_interval(8, 10)
	assert low == pytest.approx(0.49016, abs=1e-4)
	assert high == pytest.approx(0.94332, abs=1e-4)


def test_wilson_interval_at_zero_stays_inside_zero_one():
	low, high = wilson_interval(0, 10)
	assert low == 0
	assert high == pytest.approx(0.27753, abs=1e-4)
	assert all(math.isnan(v) for v in wilson_interval(0, 0))
	with pytest.raises(ValueError):
		wilson_interval(3, 2)


def _tasks():
	return pd.DataFrame(
		[
			# method A: 4 counted, 2 returned (1 stuck, 1 lost)
			{"method": "A", "outcome": "Returned", "save_status": "Stuck", "revenue": 100},
			{"method": "A", "outcome": "Returned", "save_status": "Lost", "revenue": 200},
			{"method": "A", "outcome": "Refused", "save_status": None, "revenue": 999},
			{"method": "A", "outcome": "Unreachable", "save_status": None, "revenue": 0},
			{"method": "A", "outcome": "Not applicable", "save_status": None, "revenue": 0},
			{"method": "A", "outcome": None, "save_status": None, "revenue": 0},
			# method B: 2 counted, 1 returned, still pending judgement
			{"method": "B", "outcome": "Returned", "save_status": "Pending", "revenue": 50},
			{"method": "B", "outcome": "Refused", "save_status": None, "revenue": 0},
		]
	)


def test_conversion_raw_and_sticky_per_group():
	table = conversion_table(_tasks(), ["method"]).set_index("method")
	a = table.loc["A"]
	assert a["tasks"] == 4  # open and "Not applicable" tasks do not count
	assert a["returned"] == 2
	assert a["conversion"] == pytest.approx(0.5)
	assert a["stuck"] == 1 and a["lost"] == 1
	assert a["sticky_conversion"] == pytest.approx(0.25)
	assert a["revenue_returned"] == 300  # the refused customer's revenue is not returned
	low, high = wilson_interval(2, 4)
	assert (a["conversion_low"], a["conversion_high"]) == pytest.approx((low, high))
	b = table.loc["B"]
	assert b["conversion"] == pytest.approx(0.5)
	# the pending save leaves numerator and denominator: 0 stuck of 1 judged
	assert b["pending"] == 1
	assert b["sticky_conversion"] == 0


def test_planned_conversion_is_the_mean_over_counted_tasks():
	tasks = _tasks().assign(planned=[0.2, 0.2, 0.4, 0.4, 0.9, 0.9, 0.1, None])
	table = conversion_table(tasks, ["method"]).set_index("method")
	# A: the four counted tasks only (0.2, 0.2, 0.4, 0.4); B: the one with a plan
	assert table.loc["A", "planned_conversion"] == pytest.approx(0.3)
	assert table.loc["B", "planned_conversion"] == pytest.approx(0.1)
	assert conversion_table(_tasks(), ["method"])["planned_conversion"].isna().all()


def test_conversion_over_everything_and_empty():
	total = conversion_table(_tasks(), [])
	assert len(total) == 1 and total.loc[0, "tasks"] == 6 and total.loc[0, "returned"] == 3
	empty = conversion_table(_tasks()[_tasks()["outcome"].isna()], ["method"])
	assert empty.empty and "sticky_conversion" in empty.columns


def test_judge_saves_stuck_lost_pending():
	saves = pd.DataFrame(
		[
			{"save": "s1", "customer": "c1", "saved_on": "2026-01-01"},  # paid, nothing unpaid -> stuck
			{"save": "s2", "customer": "c2", "saved_on": "2026-01-01"},  # churned again -> lost
			{"save": "s3", "customer": "c3", "saved_on": "2026-01-01"},  # invoice unpaid past grace -> lost
			{"save": "s4", "customer": "c4", "saved_on": "2026-01-01"},  # never paid -> lost
			{"save": "s5", "customer": "c5", "saved_on": "2026-02-15"},  # too early -> pending
			{"save": "s6", "customer": "c6", "saved_on": "2026-01-01"},  # unpaid but within grace -> stuck
		]
	)
	churns = pd.DataFrame(
		[{"customer": "c2", "churn_date": "2026-01-20"}, {"customer": "c1", "churn_date": "2025-06-01"}]
	)
	payments = pd.DataFrame(
		[
			{"customer": "c1", "date": "2026-01-10"},
			{"customer": "c3", "date": "2026-01-05"},
			{"customer": "c4", "date": "2025-12-20"},  # before the save: does not count
			{"customer": "c5", "date": "2026-02-20"},
			{"customer": "c6", "date": "2026-01-05"},
		]
	)
	unpaid = pd.DataFrame(
		[{"customer": "c3", "due_date": "2026-01-15"}, {"customer": "c6", "due_date": "2026-01-28"}]
	)
	judged = judge_saves(saves, churns, payments, unpaid, as_of="2026-02-20", days=30, grace_days=5)
	status = dict(zip(judged["save"], judged["status"], strict=True))
	assert status == {"s1": "Stuck", "s2": "Lost", "s3": "Lost", "s4": "Lost", "s5": "Pending", "s6": "Stuck"}
	why = dict(zip(judged["save"], judged["why"], strict=True))
	assert why["s2"] == "churned" and why["s3"] == "unpaid" and why["s4"] == "no payment"
	assert judged.set_index("save").loc["s1", "judge_on"] == pd.Timestamp("2026-01-31")


def test_judge_saves_refuses_a_zero_period():
	with pytest.raises(ValueError):
		judge_saves(
			pd.DataFrame(columns=["save", "customer", "saved_on"]), *[pd.DataFrame()] * 3, "2026-01-01", 0
		)


def test_capacity_per_day():
	assert capacity_per_day(360, 15) == 24
	assert capacity_per_day(360, 25) == 14
	with pytest.raises(ValueError):
		capacity_per_day(360, 0)


def test_capacity_hands_out_highest_priority_first_and_the_rest_waits():
	tasks = pd.DataFrame(
		[
			{"task": "t1", "priority": 100, "minutes": 20},
			{"task": "t2", "priority": 900, "minutes": 20},
			{"task": "t3", "priority": 500, "minutes": 30},
			{"task": "t4", "priority": 300, "minutes": 10},
			{"task": "t5", "priority": 200, "minutes": 20},
		]
	)
	# ann has 60 - 10 = 50 free minutes, bob 30 - 0 = 30
	managers = pd.DataFrame(
		[
			{"user": "ann", "capacity_minutes": 60, "load_minutes": 10},
			{"user": "bob", "capacity_minutes": 30, "load_minutes": 0},
		]
	)
	handed = allocate_capacity(tasks, managers, policy="most_free")
	# t2 -> ann (50 -> 30); t3 -> ann (tie 30/30, first listed; -> 0); t4 -> bob (30 -> 20);
	# t5 -> bob (20 -> 0); t1 waits
	assert list(handed["task"]) == ["t2", "t3", "t4", "t5"]
	assert list(handed["user"]) == ["ann", "ann", "bob", "bob"]


def test_load_balancing_follows_open_counts_and_passes_over_a_full_manager():
	tasks = pd.DataFrame([{"task": f"t{i}", "priority": 100 - i, "minutes": 15} for i in range(6)])
	# ann: 60 free minutes and 1 open task; bob: 30 free minutes and none open
	managers = pd.DataFrame(
		[
			{"user": "ann", "capacity_minutes": 75, "load_minutes": 15, "open_tasks": 1},
			{"user": "bob", "capacity_minutes": 30, "load_minutes": 0, "open_tasks": 0},
		]
	)
	handed = allocate_capacity(tasks, managers)
	# t0 -> bob (0 open; 30 -> 15); t1 -> ann (tie 1/1, first listed; 60 -> 45); t2 -> bob (15 -> 0);
	# t3 -> ann (2 vs 2; 45 -> 30); bob (2 open) has no time left, so ann takes t4 and t5 (30 -> 0)
	assert list(handed["task"]) == ["t0", "t1", "t2", "t3", "t4", "t5"]
	assert list(handed["user"]) == ["bob", "ann", "bob", "ann", "ann", "ann"]
	with pytest.raises(ValueError):
		allocate_capacity(tasks, managers, policy="random")


def test_a_part_time_manager_does_not_hold_back_the_team():
	# the case: the manager load balancing picks first has 20 minutes, the other 600
	tasks = pd.DataFrame([{"task": f"t{i}", "priority": 10 - i, "minutes": 15} for i in range(5)])
	managers = pd.DataFrame(
		[
			{"user": "part", "capacity_minutes": 20, "load_minutes": 0, "open_tasks": 0},
			{"user": "full", "capacity_minutes": 600, "load_minutes": 0, "open_tasks": 3},
		]
	)
	handed = allocate_capacity(tasks, managers)
	assert list(handed["user"]) == ["part", "full", "full", "full", "full"]


def test_a_manager_over_capacity_gets_nothing():
	tasks = pd.DataFrame([{"task": "t1", "priority": 1, "minutes": 5}])
	managers = pd.DataFrame([{"user": "ann", "capacity_minutes": 60, "load_minutes": 90}])
	assert allocate_capacity(tasks, managers).empty


def test_split_is_reproducible_balanced_and_order_free():
	customers = [f"c{i:02d}" for i in range(10)]
	first = split_methods(customers, ["call", "discount", "pause"], seed=7)
	again = split_methods(list(reversed(customers)), ["call", "discount", "pause"], seed=7)
	pd.testing.assert_frame_equal(first, again)
	assert sorted(first["method"].value_counts().tolist()) == [3, 3, 4]
	other = split_methods(customers, ["call", "discount", "pause"], seed=8)
	assert not first.equals(other)
	with pytest.raises(ValueError):
		split_methods(customers, [], seed=1)


def test_sample_is_reproducible():
	customers = [f"c{i}" for i in range(100)]
	sample = sample_customers(customers, 10, seed=3)
	assert len(sample) == 10 and sample == sample_customers(list(reversed(customers)), 10, seed=3)
	assert sample_customers(customers[:5], 10, seed=3) == sorted(customers[:5])
	assert seed_from_text("Campaign 1") == seed_from_text("Campaign 1") != seed_from_text("Campaign 2")


def test_share_of_paused_customers_who_came_back():
	result = share_came_back(pd.DataFrame({"came_back": [True, False, True, True]}))
	assert result["share"] == 0.75 and result["came_back"] == 3
	assert (result["low"], result["high"]) == pytest.approx(wilson_interval(3, 4))
