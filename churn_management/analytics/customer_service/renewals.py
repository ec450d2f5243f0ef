"""Renewal of annual contracts (DOMAIN.md §4, §7).

A contract is renewed when a next contract follows it, lapsed when it ended without one. The renewal
rate counts only contracts already decided (renewed or lapsed), so contracts still running neither
help nor hurt it.
"""

from __future__ import annotations

import pandas as pd

DECIDED = ("Renewed", "Lapsed")


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
