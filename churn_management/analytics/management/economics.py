"""Department economics (DOMAIN.md §6): what a retained customer costs against a new one, and what
the returns are worth.

Cost of a retained customer = (retention staff cost + offer costs + overhead) / customers retained;
cost of acquiring one = (marketing + sales + connection) / new customers. The methodology expects
retention to come out 30-50 % cheaper (``saving`` = 1 - cost per retained / cost per acquired).
Value of the returns = monthly revenue returned × expected remaining lifetime in months, the
lifetime taken from the Kaplan-Meier curve (:func:`expected_lifetime`). Return on the department =
(value of the returns - retention cost) / retention cost.

Input of :func:`department_economics`:
``costs``, one row per month: month, staff_cost, offer_cost, overhead, acquisition_cost,
new_customers; ``returns``, one row per month: month, returned (customers retained),
returned_revenue (their monthly revenue); ``lifetime_months`` (a number).
Output, one row per month of either input (missing figures are 0): month, staff_cost, offer_cost,
overhead, retention_cost, returned, cost_per_return, acquisition_cost, new_customers,
cost_per_acquisition, saving, verdict, returned_revenue, return_value, return_on_cost. Ratios are
null when their denominator is 0; verdict is one of :data:`VERDICTS`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

TARGET_SAVING = (0.30, 0.50)
VERDICTS = ("as_expected", "better_than_expected", "not_cheap_enough", "dearer", "unknown")
COST_COLUMNS = ["staff_cost", "offer_cost", "overhead", "acquisition_cost", "new_customers"]
RETURN_COLUMNS = ["returned", "returned_revenue"]


def expected_lifetime(curve: pd.DataFrame, horizon: float) -> float | None:
	"""Mean lifetime in months up to the horizon: area under the survival curve, its tail extrapolated.

	The curve (time, survival after each event time, as :func:`survival.kaplan_meier`) is a step
	function starting at 1; past its last time the monthly hazard it showed so far is assumed to go on.
	None when the curve is empty."""
	if curve.empty:
		return None
	times = curve["time"].to_numpy(dtype=float)
	survival = curve["survival"].to_numpy(dtype=float)
	inside = times < horizon
	edges = np.concatenate([[0.0], times[inside], [min(horizon, times[-1])]])
	levels = np.concatenate([[1.0], survival[inside]])
	area = float(np.sum(np.diff(edges) * levels))
	last_time, last_survival = float(times[-1]), float(survival[-1])
	if last_time >= horizon or last_survival <= 0:
		return round(area, 4)
	rest = horizon - last_time
	hazard = -math.log(last_survival) / last_time if 0 < last_survival < 1 and last_time > 0 else 0.0
	tail = last_survival * rest if hazard == 0 else last_survival * (1 - math.exp(-hazard * rest)) / hazard
	return round(area + tail, 4)


def saving_verdict(saving: float | None) -> str:
	"""Where retention stands against the methodology's 30-50 % cheaper than acquisition."""
	if saving is None or (isinstance(saving, float) and math.isnan(saving)):
		return "unknown"
	low, high = TARGET_SAVING
	if saving > high:
		return "better_than_expected"
	if saving >= low:
		return "as_expected"
	return "not_cheap_enough" if saving > 0 else "dearer"


def _ratio(top: pd.Series, bottom: pd.Series) -> pd.Series:
	return (top / bottom.where(bottom > 0)).astype(float)


def _figures(frame: pd.DataFrame, lifetime_months: float) -> pd.DataFrame:
	"""The derived columns from summed costs and returns (works on months and on a period total)."""
	frame = frame.copy()
	frame["retention_cost"] = frame["staff_cost"] + frame["offer_cost"] + frame["overhead"]
	frame["cost_per_return"] = _ratio(frame["retention_cost"], frame["returned"])
	frame["cost_per_acquisition"] = _ratio(frame["acquisition_cost"], frame["new_customers"])
	frame["saving"] = 1 - _ratio(frame["cost_per_return"], frame["cost_per_acquisition"])
	frame["verdict"] = [saving_verdict(value) for value in frame["saving"]]
	frame["return_value"] = (frame["returned_revenue"] * float(lifetime_months)).round(2)
	frame["return_on_cost"] = _ratio(frame["return_value"] - frame["retention_cost"], frame["retention_cost"])
	return frame


def department_economics(costs: pd.DataFrame, returns: pd.DataFrame, lifetime_months: float) -> pd.DataFrame:
	"""Per month: retention cost per retained customer against acquisition, value of returns, return."""
	frame = pd.merge(
		costs[["month", *COST_COLUMNS]], returns[["month", *RETURN_COLUMNS]], on="month", how="outer"
	)
	frame[[*COST_COLUMNS, *RETURN_COLUMNS]] = frame[[*COST_COLUMNS, *RETURN_COLUMNS]].fillna(0).astype(float)
	return _figures(frame.sort_values("month").reset_index(drop=True), lifetime_months)


def period_total(economics: pd.DataFrame, lifetime_months: float) -> dict:
	"""The whole period's figures: sums of costs and returns, ratios recomputed on the sums."""
	sums = economics[[*COST_COLUMNS, *RETURN_COLUMNS]].sum().to_frame().T
	return _figures(sums, lifetime_months).iloc[0].to_dict()
