"""Figures of the register of churned customers itself (DOMAIN.md §2).

``records``: one row per churn record, with column churn_reason (empty when not classified).
"""

from __future__ import annotations

import pandas as pd


def reason_coverage(records: pd.DataFrame, placeholder_reasons: tuple[str, ...] = ()) -> float | None:
	"""Share of churn whose true reason is known: a classified reason, managed or not.

	A placeholder (the non-payment reason the daily job gives before anyone asked the customer)
	is not a known reason. None when there is no churn to judge.
	"""
	if records is None or records.empty:
		return None
	reasons = records["churn_reason"].astype("string")
	known = reasons.notna() & reasons.str.strip().ne("") & ~reasons.isin(list(placeholder_reasons))
	return float(known.mean())
