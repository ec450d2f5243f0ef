"""The period a subscription bills after a pause, for pauses of any length and position."""

from datetime import date

import pytest

from churn_management.analytics.retention.billing import cycle_end, next_billing_period


def test_cycle_ends_as_erpnext_counts_them():
	assert cycle_end(date(2026, 3, 10), "Month") == date(2026, 4, 9)
	assert cycle_end(date(2026, 1, 31), "Month") == date(2026, 2, 27)
	assert cycle_end(date(2026, 3, 10), "Month", 3) == date(2026, 6, 9)
	assert cycle_end(date(2026, 3, 10), "Year") == date(2027, 3, 9)
	assert cycle_end(date(2024, 2, 29), "Year") == date(2025, 2, 27)
	assert cycle_end(date(2026, 3, 10), "Week", 2) == date(2026, 3, 23)
	assert cycle_end(date(2026, 3, 10), "Day", 1) == date(2026, 3, 10)
	assert cycle_end(date(2026, 3, 10), "Month", 2, calendar_months=True) == date(2026, 4, 30)
	with pytest.raises(ValueError):
		cycle_end(date(2026, 3, 10), "Fortnight")
	with pytest.raises(ValueError):
		cycle_end(date(2026, 3, 10), "Month", 0)


@pytest.mark.parametrize(
	("resume_on", "billed_to", "interval", "expected"),
	[
		# billed at the end of the period 10 Feb - 9 Mar: the invoice made when the pause began on
		# 1 March is dated 9 March; a pause across that billing day, a long one across several ...
		("2026-03-14", "2026-03-09", "Month", ("2026-03-14", "2026-04-13")),
		("2026-07-01", "2026-03-09", "Month", ("2026-07-01", "2026-07-31")),
		# ... and a short one inside the period, already charged: billing goes on from its billing day
		("2026-03-05", "2026-03-09", "Month", ("2026-03-10", "2026-04-09")),
		# billed in advance up to 9 April: the days already paid are not billed again
		("2026-03-20", "2026-04-09", "Month", ("2026-04-10", "2026-05-09")),
		("2026-04-20", "2026-04-09", "Month", ("2026-04-20", "2026-05-19")),
		# never billed at all
		("2026-03-20", None, "Month", ("2026-03-20", "2026-04-19")),
		# yearly: a two-week pause inside the year paid in advance, and one across its billing day
		("2026-05-15", "2027-01-09", "Year", ("2027-01-10", "2028-01-09")),
		("2027-01-20", "2027-01-09", "Year", ("2027-01-20", "2028-01-19")),
	],
)
def test_the_period_after_a_pause_never_ends_before_it_starts(resume_on, billed_to, interval, expected):
	start, end = next_billing_period(resume_on, interval, billed_to=billed_to)
	assert (str(start), str(end)) == expected
	assert end >= start


def test_the_period_stops_at_the_subscriptions_end_date():
	assert next_billing_period("2026-03-20", "Month", end_date="2026-04-01") == (
		date(2026, 3, 20),
		date(2026, 4, 1),
	)
	assert next_billing_period("2026-03-20", "Month", calendar_months=True) == (
		date(2026, 3, 20),
		date(2026, 3, 31),
	)
