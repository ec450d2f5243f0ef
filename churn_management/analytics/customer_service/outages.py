"""How many outages each customer went through: a lifetime factor (DOMAIN.md §7)."""

from __future__ import annotations

import pandas as pd

COLUMNS = ["customer", "outages_12m"]


def outages_per_customer(affected: pd.DataFrame) -> pd.DataFrame:
	"""Distinct outages per customer, from rows of (outage, customer), one customer possibly twice."""
	if affected.empty:
		return pd.DataFrame(columns=COLUMNS).astype({"outages_12m": "int64"})
	counts = (
		affected.dropna(subset=["customer"])
		.drop_duplicates(["outage", "customer"])
		.groupby("customer")["outage"]
		.count()
		.rename("outages_12m")
		.reset_index()
	)
	return counts.sort_values("customer").reset_index(drop=True)[COLUMNS]
