"""The billing period of a subscription that resumes after a pause or a win-back (DOMAIN.md §4).

ERPNext restarts a cancelled subscription with a period that starts on the day given but, for a
subscription older than one billing cycle, can end on its very first period's last day: before
the start, so no invoice can ever be made again. The period is computed here instead.

Rule: the period starts on the first day the customer has not been charged for, on or after the
day the service resumes, and runs one full billing cycle from there, as ERPNext counts cycles (a
month from 31 January ends on 27 February, ERPNext's ``add_to_date(start, months=1, days=-1)``);
with calendar months it ends on the last day of the month; never after the subscription's end
date. "Charged for" runs to the last day an invoice covers or is dated on, whichever is later: an
invoice made in advance covers the whole period, and the one ERPNext makes when a pause begins in a
subscription billed at the end of the period is dated on that period's last day, at the period's
full price. Either way the period in which the pause began is charged once, and a new period
never contains an invoice's date (ERPNext would take that invoice for the new period's own and
skip billing it).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from dateutil.relativedelta import relativedelta

INTERVALS = ("Day", "Week", "Month", "Year")


def cycle_end(start: date, interval: str, count: int = 1, calendar_months: bool = False) -> date:
	"""The last day of a billing cycle that starts on ``start``."""
	if interval not in INTERVALS:
		raise ValueError(f"unknown billing interval {interval!r}")
	if count < 1:
		raise ValueError("the billing interval count must be at least 1")
	if calendar_months and interval == "Month":
		return start + relativedelta(months=count - 1, day=31)
	if interval == "Day":
		return start + timedelta(days=count - 1)
	if interval == "Week":
		return start + timedelta(days=count * 7 - 1)
	if interval == "Month":
		return start + relativedelta(months=count, days=-1)
	return start + relativedelta(years=count, days=-1)


def next_billing_period(
	resume_on,
	interval: str,
	count: int = 1,
	billed_to=None,
	end_date=None,
	calendar_months: bool = False,
) -> tuple[date, date]:
	"""The (start, end) of the first period to bill when a stopped subscription resumes on ``resume_on``.

	``billed_to`` is the last day an invoice of the subscription covers or is dated on (None when none).
	"""
	start = _day(resume_on)
	if billed_to is not None and not pd.isna(billed_to):
		start = max(start, _day(billed_to) + timedelta(days=1))
	end = cycle_end(start, interval, count, calendar_months)
	if end_date is not None and not pd.isna(end_date):
		end = min(end, _day(end_date))
	return start, end


def _day(value) -> date:
	return pd.Timestamp(value).date()
