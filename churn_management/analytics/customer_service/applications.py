"""The arithmetic of the customer applications (DOMAIN.md §4): recalculations, tariffs, concessions.

* A recalculation for days without service credits ``days × plan price / days in the billing
  period``, rounded to the currency's cents; the days are counted inclusive of both ends and only
  inside the billing period the invoice covers.
* A plan's monthly price puts every billing interval on one scale (a year is 12 months, a week
  7 days of a 365/12-day month), so a tariff change compares like with like; a cheaper plan is a
  downgrade, the churn signal.
* A concession's length is counted in calendar months, a started month counting as a whole one.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

DAYS_PER_MONTH = 365 / 12
MONTHS_PER_INTERVAL = {"Day": 1 / DAYS_PER_MONTH, "Week": 7 / DAYS_PER_MONTH, "Month": 1, "Year": 12}


def _day(value) -> date:
	return pd.Timestamp(value).date()


def inclusive_days(from_date, to_date) -> int:
	"""Days from one date to another, both counted; 0 when the second comes first."""
	return max((_day(to_date) - _day(from_date)).days + 1, 0)


def overlap_days(from_date, to_date, period_start, period_end) -> int:
	"""Days of [from_date, to_date] that fall inside the billing period."""
	return inclusive_days(max(_day(from_date), _day(period_start)), min(_day(to_date), _day(period_end)))


def credit_for_days(days: int, plan_price: float, period_days: int) -> float:
	"""What days without service are worth: days × plan price / days in the billing period."""
	if days <= 0 or period_days <= 0 or plan_price <= 0:
		return 0.0
	return round(min(days, period_days) * plan_price / period_days, 2)


def monthly_price(cost: float, interval: str, interval_count: int = 1) -> float:
	"""A plan's price per month, whatever interval it bills."""
	months = MONTHS_PER_INTERVAL.get(interval or "Month", 1) * max(int(interval_count or 1), 1)
	return round(float(cost or 0) / months, 2)


def is_downgrade(current_monthly: float, new_monthly: float) -> bool:
	"""A move to a plan that costs less per month."""
	return round(new_monthly, 2) < round(current_monthly, 2)


def months_spanned(from_date, to_date) -> int:
	"""Calendar months from one date to another, a started month counting whole (1 Jan–31 Mar: 3)."""
	start, end = _day(from_date), _day(to_date)
	if end < start:
		return 0
	months = (end.year - start.year) * 12 + end.month - start.month
	# the day before start's day-of-month in the last month closes a whole month; later starts another
	return months + (1 if end.day >= start.day else 0)
