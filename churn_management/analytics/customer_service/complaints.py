"""Complaints in the churn arithmetic: when a complaint counts as left unresolved, and how many a customer had.

A complaint category may leave its number of days empty and take its parent's: the days that apply to a
category are its own, else the nearest ancestor's, else the default. A complaint is overdue once that many
days have passed since it was opened and it is still unresolved.
"""

from datetime import date

import pandas as pd

COUNT_COLUMNS = ["customer", "complaints_12m"]
OVERDUE_COLUMNS = ["issue", "customer", "company", "complaint_category", "opening_date", "days"]


def inherited(categories: pd.DataFrame, column: str) -> dict[str, object]:
	"""Each category's own value of ``column``, else its nearest ancestor's (None when no ancestor has one)."""
	own = {
		name: value
		for name, value in zip(categories["name"], categories[column], strict=True)
		if pd.notna(value) and value not in ("", 0)
	}
	parents = dict(zip(categories["name"], categories["parent"], strict=True))
	result: dict[str, object] = {}
	for name in parents:
		node, seen = name, set()
		while isinstance(node, str) and node not in own and node not in seen:
			seen.add(node)
			node = parents.get(node)
		result[name] = own.get(node) if isinstance(node, str) else None
	return result


def category_days(categories: pd.DataFrame, default: int) -> dict[str, int]:
	"""Days each category allows before a complaint counts as unresolved (inherited from the parent)."""
	return {name: int(days or default) for name, days in inherited(categories, "unresolved_days").items()}


def overdue_complaints(
	complaints: pd.DataFrame, days: dict[str, int], default: int, as_of: date
) -> pd.DataFrame:
	"""The unresolved complaints opened at least their category's days before ``as_of``."""
	if complaints.empty:
		return pd.DataFrame(columns=OVERDUE_COLUMNS)
	frame = complaints.copy()
	frame["days"] = frame["complaint_category"].map(days).fillna(default).astype(int)
	opened = pd.to_datetime(frame["opening_date"])
	due = opened + pd.to_timedelta(frame["days"], unit="D")
	return frame[due <= pd.Timestamp(as_of)].reindex(columns=OVERDUE_COLUMNS).reset_index(drop=True)


def count_last_12_months(complaints: pd.DataFrame, as_of: date) -> pd.DataFrame:
	"""Complaints per customer opened in the 12 months up to and including ``as_of``."""
	if complaints.empty:
		return pd.DataFrame(columns=COUNT_COLUMNS)
	opened = pd.to_datetime(complaints["opening_date"])
	end = pd.Timestamp(as_of)
	inside = complaints[(opened > end - pd.DateOffset(months=12)) & (opened <= end)]
	counts = inside.groupby("customer").size().rename("complaints_12m").reset_index()
	return counts.reindex(columns=COUNT_COLUMNS).sort_values("customer").reset_index(drop=True)
