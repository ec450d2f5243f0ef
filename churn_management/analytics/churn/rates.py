"""Monthly churn rate, revenue (MRR) churn and the seasonal index (DOMAIN.md §1, §6).

Churn rate of a month = customers churned in the month / customers active at its start.
MRR churn of a month = monthly fees of those churned / monthly fees of those active at its start.
Only complete calendar months up to the as-of date are reported.

Output of :func:`monthly_churn`, one row per month:
month (first day), start_active, churned, rate, start_mrr, lost_mrr, mrr_rate (rates are
fractions, null when nobody was active at the start of the month).

Output of :func:`seasonal_index`, one row per calendar month 1-12:
month, mean_rate (mean churn rate of that calendar month over the years seen), index (mean_rate /
mean of the twelve means, so 1.0 is an average month), years (how many years contributed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_ACTIVE_FOR_SEASONALITY = 30


def _counts_before(
	sorted_dates: np.ndarray, sorted_weights_cum: np.ndarray, bounds: np.ndarray
) -> np.ndarray:
	"""Sum of weights of dates strictly before each bound (weights given as a running sum)."""
	positions = np.searchsorted(sorted_dates, bounds, side="left")
	padded = np.concatenate([[0.0], sorted_weights_cum])
	return padded[positions]


def monthly_churn(states: pd.DataFrame, as_of) -> pd.DataFrame:
	"""Churn and MRR churn per complete calendar month from the first start to the as-of date."""
	as_of = pd.Timestamp(as_of).normalize()
	started = (states["state"] != "not_started").to_numpy(dtype=bool)
	known = states if started.all() else states[started]  # no copy of a million rows when all started
	columns = ["month", "start_active", "churned", "rate", "start_mrr", "lost_mrr", "mrr_rate"]
	if known.empty:
		return pd.DataFrame(columns=columns)
	first = known["start_date"].min().to_period("M")
	last_complete = (as_of + pd.Timedelta(days=1)).to_period("M") - 1
	if last_complete < first:
		return pd.DataFrame(columns=columns)
	months = pd.period_range(first, last_complete, freq="M")
	bounds = np.concatenate(
		[months.to_timestamp().to_numpy(), [(last_complete + 1).to_timestamp().to_datetime64()]]
	)

	fee = known["monthly_fee"].to_numpy(dtype=float)
	start = known["start_date"].to_numpy()
	order = np.argsort(start, kind="stable")
	starts_n = _counts_before(start[order], np.arange(1, len(order) + 1, dtype=float), bounds)
	starts_fee = _counts_before(start[order], np.cumsum(fee[order]), bounds)

	gone = known["churn_date"].notna().to_numpy()
	churn = known["churn_date"].to_numpy()[gone]
	churn_fee = fee[gone]
	order = np.argsort(churn, kind="stable")
	churned_n = _counts_before(churn[order], np.arange(1, len(order) + 1, dtype=float), bounds)
	churned_fee = _counts_before(churn[order], np.cumsum(churn_fee[order]), bounds)

	start_active = (starts_n - churned_n)[:-1]
	start_mrr = (starts_fee - churned_fee)[:-1]
	churned = np.diff(churned_n)
	lost = np.diff(churned_fee)
	with np.errstate(divide="ignore", invalid="ignore"):
		rate = np.where(start_active > 0, churned / start_active, np.nan)
		mrr_rate = np.where(start_mrr > 0, lost / start_mrr, np.nan)
	return pd.DataFrame(
		{
			"month": months.to_timestamp(),
			"start_active": start_active.astype("int64"),
			"churned": churned.astype("int64"),
			"rate": rate,
			"start_mrr": start_mrr.round(2),
			"lost_mrr": lost.round(2),
			"mrr_rate": mrr_rate,
		}
	)


def seasonal_index(monthly: pd.DataFrame, min_active: int = MIN_ACTIVE_FOR_SEASONALITY) -> pd.DataFrame:
	"""Mean churn rate per calendar month relative to the average month."""
	usable = monthly[(monthly["start_active"] >= min_active) & monthly["rate"].notna()]
	calendar = pd.DataFrame({"month": range(1, 13)})
	if usable.empty:
		return calendar.assign(mean_rate=np.nan, index=np.nan, years=0)
	by_month = usable.groupby(usable["month"].dt.month)["rate"].agg(["mean", "count"])
	calendar["mean_rate"] = calendar["month"].map(by_month["mean"])
	calendar["years"] = calendar["month"].map(by_month["count"]).fillna(0).astype("int64")
	overall = calendar["mean_rate"].mean()
	calendar["index"] = calendar["mean_rate"] / overall if overall and overall > 0 else np.nan
	return calendar
