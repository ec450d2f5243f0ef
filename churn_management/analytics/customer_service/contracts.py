"""Annual contracts: the prepaid year, its discount against paying monthly, and renewal (DOMAIN.md §4, §7).

A contract runs twelve whole months: from its first day to the day before the same date a year on
(10 March 2026 to 9 March 2027), counted as ERPNext counts a
billing year (add a year, less a day). The customer prepays the twelve monthly charges less the contract's
discount. A contract is renewed when a next contract follows it, lapsed when it ended without one;
the renewal rate counts only contracts already decided (renewed or lapsed), so contracts still
running neither help nor hurt it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from dateutil.relativedelta import relativedelta

TERM_MONTHS = 12
DECIDED = ("Renewed", "Lapsed")


def term_end(start: date, months: int = TERM_MONTHS) -> date:
	"""The last day of a term of whole months that starts on ``start``."""
	return start + relativedelta(months=months) - timedelta(days=1)


def is_full_term(start: date, end: date, months: int = TERM_MONTHS) -> bool:
	"""True when the term is exactly ``months`` whole months."""
	return end == term_end(start, months)


def prepaid_amount(monthly: float, discount_percent: float, months: int = TERM_MONTHS) -> float:
	"""What the customer prepays: the monthly charges of the term less the discount, to the cent."""
	if not 0 <= discount_percent <= 100:
		raise ValueError("discount must lie between 0 and 100 percent")
	return round(monthly * months * (1 - discount_percent / 100), 2)


def savings(monthly: float, discount_percent: float, months: int = TERM_MONTHS) -> float:
	"""How much less the prepaid year costs than paying month by month."""
	return round(monthly * months - prepaid_amount(monthly, discount_percent, months), 2)


def renewal_start(previous_end: date) -> date:
	"""The next contract starts the day after the previous one ends."""
	return previous_end + timedelta(days=1)


def renewal_rate(statuses: pd.Series) -> float | None:
	"""Renewed ÷ decided (renewed or lapsed), in percent; None while nothing is decided."""
	decided = statuses[statuses.isin(DECIDED)]
	if decided.empty:
		return None
	return round(100 * (decided == "Renewed").sum() / len(decided), 1)


def expiring_by(contracts: pd.DataFrame, key: str) -> pd.DataFrame:
	"""Per ``key`` (``month`` of the end date, or ``sold_by``): contracts, renewed, lapsed, running, rate.

	``contracts`` has the columns end_date, status and sold_by, one row per submitted contract.
	"""
	columns = [key, "contracts", "renewed", "lapsed", "running", "renewal_rate"]
	if contracts.empty:
		return pd.DataFrame(columns=columns)
	frame = contracts.copy()
	frame["month"] = pd.to_datetime(frame["end_date"]).dt.to_period("M").astype(str)
	frame["sold_by"] = frame["sold_by"].fillna("")
	grouped = frame.groupby(key, sort=True)["status"]
	table = pd.DataFrame(
		{
			"contracts": grouped.size(),
			"renewed": grouped.apply(lambda s: int((s == "Renewed").sum())),
			"lapsed": grouped.apply(lambda s: int((s == "Lapsed").sum())),
			"renewal_rate": grouped.apply(renewal_rate),
		}
	)
	table["running"] = table["contracts"] - table["renewed"] - table["lapsed"]
	return table.reset_index()[columns]
