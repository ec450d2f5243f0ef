"""The 12-month retention plan (DOMAIN.md §6): forecast churn with seasonality, managed churn and the
target returns, and the plan's budget and cost per return.

Forecast churn of a calendar month = customers active at the start of the last history month ×
the weighted churn rate of the last 12 history months × the seasonal index of that calendar month
(:func:`churn_management.analytics.churn.rates.seasonal_index`; a month without usable history counts as
an average month, index 1). It is made per territory where the territory alone has 12 months of
history with at least ``min_active`` customers at each month's start; the other territories are
pooled into one group, :data:`OTHER` (:data:`ALL` when no territory stands alone).
Target returns = forecast churn × Σ over reasons (share of classified churn × managed × planned
conversion of the reason); the methodology's goal is 10-20 % of the churned customers each month.

Input of :func:`monthly_history`: ``customers`` (customer, territory, start_date) and ``churns``
(customer, territory, churn_date, back_date: the day a won-back customer returned, or empty), and
the first day after the history. Output, one row per territory and complete month: territory,
month (first day), start_active, churned, rate (fraction, null when nobody was active).

Output of :func:`forecast_churn`, one row per calendar month 1-12 and territory group: month,
territory, base_active, base_rate, index, forecast_churn.

Input of :func:`reason_mix`: one row per churn event with a reason: reason, managed (bool),
conversion (planned conversion of the reason, a fraction, null when it has none). Output, one row
per reason: reason, churned, share, managed, conversion.

Output of :func:`target_returns`: month, forecast_churn, managed_churn, target_returns,
target_share, goal (one of :data:`GOAL_STATUSES`).

Input of :func:`plan_budget`: ``months`` (month, target_returns), ``staff`` (month, staff_cost),
the offer cost per return and the overhead per month. Output: month, staff_cost, offer_cost,
overhead, budget, cost_per_return (null without target returns).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from churn_management.analytics.churn.rates import seasonal_index

MIN_ACTIVE = 30
HISTORY_MONTHS = 12
GOAL = (0.10, 0.20)
GOAL_STATUSES = ("below", "within", "above", "unknown")
OTHER = "(other)"
ALL = "(all)"
MISSING_CODES = ("no_customers", "no_churn", "no_reasons")


def _before(dates: pd.Series, bounds: np.ndarray) -> np.ndarray:
	"""How many of the dates fall strictly before each bound."""
	values = np.sort(dates.dropna().to_numpy(dtype="datetime64[ns]"))
	return np.searchsorted(values, bounds, side="left")


def monthly_history(customers: pd.DataFrame, churns: pd.DataFrame, until) -> pd.DataFrame:
	"""Customers active at each month's start and churned in it, per territory, before ``until``."""
	columns = ["territory", "month", "start_active", "churned", "rate"]
	until = pd.Timestamp(until).normalize()
	starts = customers.dropna(subset=["start_date"])
	starts = starts[starts["start_date"] < until]
	if starts.empty:
		return pd.DataFrame(columns=columns)
	last = (until - pd.Timedelta(days=1)).to_period("M")
	if until.day != 1:
		last -= 1
	first = starts["start_date"].min().to_period("M")
	if last < first:
		return pd.DataFrame(columns=columns)
	months = pd.period_range(first, last, freq="M")
	bounds = np.concatenate([months.to_timestamp().to_numpy(), [(last + 1).to_timestamp().to_datetime64()]])
	frames = []
	churns = churns.assign(territory=churns["territory"].fillna(""))
	starts = starts.assign(territory=starts["territory"].fillna(""))
	for territory, group in starts.groupby("territory", sort=True):
		events = churns[churns["territory"] == territory]
		started = _before(group["start_date"], bounds)
		gone = _before(events["churn_date"], bounds)
		back = _before(events["back_date"], bounds)
		active = (started - gone + back)[:-1]
		churned = np.diff(gone)
		with np.errstate(divide="ignore", invalid="ignore"):
			rate = np.where(active > 0, churned / np.maximum(active, 1), np.nan)
		frames.append(
			pd.DataFrame(
				{
					"territory": territory,
					"month": months.to_timestamp(),
					"start_active": active.astype("int64"),
					"churned": churned.astype("int64"),
					"rate": rate,
				}
			)
		)
	return pd.concat(frames, ignore_index=True)[columns]


def _stands_alone(history: pd.DataFrame, min_active: int) -> bool:
	recent = history.tail(HISTORY_MONTHS)
	return len(recent) == HISTORY_MONTHS and int(recent["start_active"].min()) >= min_active


def _group_forecast(history: pd.DataFrame, label: str, min_active: int) -> pd.DataFrame:
	"""Twelve calendar months of one territory group: base × seasonal index."""
	recent = history.tail(HISTORY_MONTHS)
	exposed = recent["start_active"].sum()
	base_rate = float(recent["churned"].sum() / exposed) if exposed > 0 else 0.0
	base_active = int(history["start_active"].iloc[-1])
	index = seasonal_index(history, min_active=min_active)
	frame = pd.DataFrame({"month": range(1, 13), "territory": label})
	frame["base_active"] = base_active
	frame["base_rate"] = base_rate
	frame["index"] = index["index"].fillna(1.0).to_numpy()
	frame["forecast_churn"] = (base_active * base_rate * frame["index"]).round(2)
	return frame


def forecast_churn(history: pd.DataFrame, min_active: int = MIN_ACTIVE) -> pd.DataFrame:
	"""Churn per calendar month of the plan year, per territory where the data allows."""
	columns = ["month", "territory", "base_active", "base_rate", "index", "forecast_churn"]
	if history.empty:
		return pd.DataFrame(columns=columns)
	history = history.sort_values(["territory", "month"])
	alone = [t for t, group in history.groupby("territory") if _stands_alone(group, min_active)]
	frames = [
		_group_forecast(history[history["territory"] == t].reset_index(drop=True), t, min_active)
		for t in alone
	]
	rest = history[~history["territory"].isin(alone)]
	if not rest.empty:
		pooled = rest.groupby("month", as_index=False)[["start_active", "churned"]].sum()
		pooled["rate"] = pooled["churned"] / pooled["start_active"].where(pooled["start_active"] > 0)
		frames.append(_group_forecast(pooled, OTHER if alone else ALL, min_active))
	return pd.concat(frames, ignore_index=True)[columns]


def reason_mix(churns: pd.DataFrame) -> pd.DataFrame:
	"""Share of classified churn per reason, with its managed flag and planned conversion."""
	columns = ["reason", "churned", "share", "managed", "conversion"]
	known = churns.dropna(subset=["reason"])
	if known.empty:
		return pd.DataFrame(columns=columns)
	mix = known.groupby("reason", as_index=False).agg(
		churned=("reason", "size"), managed=("managed", "max"), conversion=("conversion", "max")
	)
	mix["share"] = mix["churned"] / mix["churned"].sum()
	mix["managed"] = mix["managed"].astype(bool)
	mix["conversion"] = mix["conversion"].fillna(0.0).astype(float)
	return mix[columns]


def goal_status(share: float | None) -> str:
	"""Target returns as a share of churn against the methodology's 10-20 % a month."""
	if share is None or np.isnan(share):
		return "unknown"
	if share < GOAL[0]:
		return "below"
	return "within" if share <= GOAL[1] else "above"


def target_returns(forecast: pd.DataFrame, mix: pd.DataFrame) -> pd.DataFrame:
	"""Managed churn and target returns per month from the forecast and the reason mix."""
	months = forecast.groupby("month", as_index=False)["forecast_churn"].sum()
	managed_share = float(mix.loc[mix["managed"], "share"].sum()) if not mix.empty else 0.0
	conversion = float((mix["share"] * mix["managed"] * mix["conversion"]).sum()) if not mix.empty else 0.0
	months["managed_churn"] = (months["forecast_churn"] * managed_share).round(2)
	months["target_returns"] = (months["forecast_churn"] * conversion).round(2)
	months["target_share"] = months["target_returns"] / months["forecast_churn"].where(
		months["forecast_churn"] > 0
	)
	months["goal"] = [goal_status(value) for value in months["target_share"]]
	return months


def missing_history(history: pd.DataFrame, churned: int, classified: int) -> list[str]:
	"""What the history lacks for a plan, as codes of :data:`MISSING_CODES` (empty when enough)."""
	if history.empty or int(history["start_active"].sum()) == 0:
		return ["no_customers"]
	missing = []
	if churned == 0:
		missing.append("no_churn")
	if classified == 0:
		missing.append("no_reasons")
	return missing


def plan_budget(
	months: pd.DataFrame, staff: pd.DataFrame, offer_cost_per_return: float, overhead: float
) -> pd.DataFrame:
	"""Budget per month = staff cost + offers for the target returns + overhead; and cost per return."""
	cost = staff.groupby("month", as_index=False)["staff_cost"].sum()
	frame = (
		months[["month", "target_returns"]].merge(cost, on="month", how="left").fillna({"staff_cost": 0.0})
	)
	frame["offer_cost"] = (frame["target_returns"] * float(offer_cost_per_return)).round(2)
	frame["overhead"] = float(overhead)
	frame["budget"] = (frame["staff_cost"] + frame["offer_cost"] + frame["overhead"]).round(2)
	frame["cost_per_return"] = (
		frame["budget"] / frame["target_returns"].where(frame["target_returns"] > 0)
	).round(2)
	return frame
