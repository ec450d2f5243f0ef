"""Annual contracts: the prepaid year and its discount against paying monthly (DOMAIN.md §4, §7).

A contract runs twelve whole months: from its first day to the day before the same date a year on
(10 March 2026 to 9 March 2027), counted as ERPNext counts a billing year (add a year, less a day).
The customer prepays the twelve monthly charges less the contract's discount. Renewals are counted
in renewals.py.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

TERM_MONTHS = 12


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
