"""Complaint and satisfaction arithmetic of the customer service module (issue 16), without a site."""

from datetime import date

import pandas as pd
import pytest

from churn_management.analytics.customer_service.complaints import (
	category_days,
	count_last_12_months,
	inherited,
	overdue_complaints,
)
from churn_management.analytics.customer_service.nps import (
	is_valid_score,
	monthly_trend,
	nps,
	nps_by,
	response_rate,
	score_category,
	tenure_band,
)

CATEGORIES = pd.DataFrame(
	[
		{"name": "All", "parent": None, "unresolved_days": None},
		{"name": "Quality", "parent": "All", "unresolved_days": 3},
		{"name": "Slow speed", "parent": "Quality", "unresolved_days": None},
		{"name": "Outage", "parent": "Quality", "unresolved_days": 1},
		{"name": "Care", "parent": "All", "unresolved_days": 0},
		{"name": "Rude staff", "parent": "Care", "unresolved_days": None},
	]
)


def test_category_days_are_inherited_from_the_nearest_parent_with_days():
	days = category_days(CATEGORIES, default=7)
	assert days == {"All": 7, "Quality": 3, "Slow speed": 3, "Outage": 1, "Care": 7, "Rude staff": 7}


def test_category_days_survive_a_loop_in_the_tree():
	looped = pd.DataFrame(
		[
			{"name": "A", "parent": "B", "unresolved_days": None},
			{"name": "B", "parent": "A", "unresolved_days": None},
		]
	)
	assert category_days(looped, default=5) == {"A": 5, "B": 5}


def test_a_complaint_is_overdue_once_its_category_days_have_passed():
	complaints = pd.DataFrame(
		[
			{
				"issue": "I1",
				"customer": "C1",
				"company": "X",
				"complaint_category": "Slow speed",
				"opening_date": date(2026, 3, 7),
			},
			{
				"issue": "I2",
				"customer": "C2",
				"company": "X",
				"complaint_category": "Slow speed",
				"opening_date": date(2026, 3, 8),
			},
			{
				"issue": "I3",
				"customer": "C3",
				"company": "X",
				"complaint_category": "Rude staff",
				"opening_date": date(2026, 3, 5),
			},
			{
				"issue": "I4",
				"customer": "C4",
				"company": "X",
				"complaint_category": "Unknown",
				"opening_date": date(2026, 3, 4),
			},
		]
	)
	overdue = overdue_complaints(complaints, category_days(CATEGORIES, 7), 7, date(2026, 3, 10))
	assert overdue["issue"].tolist() == ["I1"]
	assert overdue["days"].tolist() == [3]
	later = overdue_complaints(complaints, category_days(CATEGORIES, 7), 7, date(2026, 3, 11))
	assert later["issue"].tolist() == ["I1", "I2", "I4"]


def test_overdue_of_no_complaints_is_empty_with_columns():
	assert overdue_complaints(pd.DataFrame(), {}, 7, date(2026, 3, 10)).columns.tolist()[:2] == [
		"issue",
		"customer",
	]


def test_complaints_of_the_last_12_months_per_customer():
	complaints = pd.DataFrame(
		{
			"customer": ["A", "A", "A", "B", "C"],
			"opening_date": [
				date(2026, 3, 10),
				date(2025, 3, 11),
				date(2025, 3, 10),
				date(2026, 3, 11),
				date(2026, 1, 1),
			],
		}
	)
	counts = count_last_12_months(complaints, date(2026, 3, 10))
	assert counts.to_dict("records") == [
		{"customer": "A", "complaints_12m": 2},
		{"customer": "C", "complaints_12m": 1},
	]


@pytest.mark.parametrize(
	("score", "category"),
	[(0, "Detractor"), (6, "Detractor"), (7, "Passive"), (8, "Passive"), (9, "Promoter"), (10, "Promoter")],
)
def test_score_categories(score, category):
	assert score_category(score) == category


@pytest.mark.parametrize(
	("score", "valid"),
	[(0, True), (10, True), ("7", True), (-1, False), (11, False), (7.5, False), ("x", False), (None, False)],
)
def test_valid_scores_are_whole_numbers_0_to_10(score, valid):
	assert is_valid_score(score) is valid


def test_nps_is_promoters_less_detractors_in_percent():
	assert nps(pd.Series([10, 9, 8, 7, 6, 0, 10, 9, 9, 3])) == 20.0
	assert nps(pd.Series([10, 10])) == 100.0
	assert nps(pd.Series([0, 5])) == -100.0
	assert nps(pd.Series([], dtype=float)) is None


def test_nps_per_segment_and_month():
	responses = pd.DataFrame(
		{
			"score": [10, 2, 9, 8, 0],
			"territory": ["North", "North", "South", "South", None],
			"responded_on": [
				date(2026, 1, 5),
				date(2026, 1, 20),
				date(2026, 2, 1),
				date(2026, 2, 2),
				date(2026, 2, 3),
			],
		}
	)
	by_territory = nps_by(responses, "territory").set_index("segment")
	assert by_territory.loc["North", "nps"] == 0.0
	assert by_territory.loc["South", "nps"] == 50.0
	assert by_territory.loc["", "detractors"] == 1
	assert by_territory.loc["South", "passives"] == 1
	trend = monthly_trend(responses)
	assert trend["segment"].tolist() == ["2026-01", "2026-02"]
	assert trend["nps"].tolist() == [0.0, 0.0]


def test_tenure_bands_and_response_rate():
	assert [tenure_band(m) for m in (0, 5.9, 6, 13, 30, 90, None)] == [
		"0-6 months",
		"0-6 months",
		"6-12 months",
		"1-2 years",
		"2-5 years",
		"5+ years",
		"",
	]
	assert response_rate(40, 10) == 25.0
	assert response_rate(0, 0) is None


def test_reason_group_is_inherited_from_the_top_level():
	categories = CATEGORIES.assign(reason_group=["", "Connection quality", None, None, "Service", None])
	assert inherited(categories, "reason_group") == {
		"All": None,
		"Quality": "Connection quality",
		"Slow speed": "Connection quality",
		"Outage": "Connection quality",
		"Care": "Service",
		"Rude staff": "Service",
	}
