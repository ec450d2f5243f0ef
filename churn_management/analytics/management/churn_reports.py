"""Figures of the management churn reports, from the core's states, monthly churn and reason tables.

:func:`monthly_breakdown`: per complete month of a period the core's churn and revenue churn, and
the churned split into voluntary / involuntary, primary / secondary and per reason group, with the
plan's forecast beside it when there is one.
:func:`reasons_against_target`: the core's reasons with the deviation from the target share and the
excess over target in customers and monthly revenue.
:func:`lifetime_table`: lifetime per segment value with what the Cox model says about it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from churn_management.analytics.churn.diagnosis import _check_period, _states, _weighted_in, default_period
from churn_management.analytics.churn.rates import monthly_churn
from churn_management.analytics.churn.reasons import UNCLASSIFIED, churn_by_reason
from churn_management.analytics.churn.states import Thresholds
from churn_management.analytics.exports.schema import Dataset

KINDS = ("voluntary", "involuntary")
ORDERS = ("primary", "secondary")


@dataclass
class Overview:
	"""The part of the diagnosis a quick report needs: states, monthly churn, reasons of the period."""

	as_of: pd.Timestamp
	period: tuple[pd.Timestamp, pd.Timestamp]
	states: pd.DataFrame
	monthly: pd.DataFrame
	reasons: pd.DataFrame


def churn_overview(data: Dataset, as_of, thresholds: Thresholds | None = None, period=None) -> Overview:
	"""States, monthly churn and reasons exactly as :func:`diagnosis.diagnose` computes them."""
	as_of = pd.Timestamp(as_of).normalize()
	period = _check_period(period or default_period(as_of), as_of, data.customers["start_date"].min())
	states = _states(data, as_of, thresholds or Thresholds())
	in_period = states[states["churn_date"].between(*period).to_numpy(dtype=bool)]
	return Overview(
		as_of, period, states, monthly_churn(states, as_of), churn_by_reason(in_period, data.reasons)
	)


def months_in(monthly: pd.DataFrame, period: tuple) -> pd.DataFrame:
	"""The rows of the monthly table whose whole month lies inside the period."""
	if monthly.empty:
		return monthly
	start, end = (pd.Timestamp(p) for p in period)
	month_end = monthly["month"] + pd.offsets.MonthEnd(0)
	return monthly[(monthly["month"] >= start) & (month_end <= end)].reset_index(drop=True)


def monthly_breakdown(
	states: pd.DataFrame,
	monthly: pd.DataFrame,
	period: tuple,
	groups: dict[str, str] | None = None,
	plan: pd.DataFrame | None = None,
) -> pd.DataFrame:
	"""The monthly churn of a period with kinds, orders, reason groups and the planned churn.

	``groups`` maps a reason to its group (reasons not in it are "Unclassified"); ``plan`` has
	month (first day) and planned_churn. Group columns are named ``group:<name>``.
	"""
	table = months_in(monthly, period).copy()
	churned = states[states["state"] == "churned"]
	month = churned["churn_date"].dt.to_period("M").dt.to_timestamp()
	group = churned["reason"].map(groups or {}).fillna(UNCLASSIFIED)
	for values, names in (
		(churned["churn_kind"].astype(object), KINDS),
		(churned["churn_order"].astype(object), ORDERS),
	):
		counts = pd.crosstab(month, values).reindex(columns=list(names), fill_value=0)
		for name in names:
			table[name] = table["month"].map(counts[name]).fillna(0).astype("int64")
	by_group = pd.crosstab(month, group) if len(churned) else pd.DataFrame()
	inside = by_group.reindex(table["month"]).fillna(0)
	for name in sorted(c for c in inside.columns if inside[c].sum() > 0):
		table[f"group:{name}"] = inside[name].astype("int64").to_numpy()
	if plan is not None and len(plan):
		planned = plan.set_index(pd.to_datetime(plan["month"]))["planned_churn"]
		table["planned_churn"] = table["month"].map(planned)
		table["against_plan"] = table["churned"] - table["planned_churn"]
	return table


def reasons_against_target(reasons: pd.DataFrame) -> pd.DataFrame:
	"""Reasons with deviation (share - target share) and the monthly revenue of the excess."""
	table = reasons.copy()
	table["deviation"] = table["share"] - table["target_share"]
	per_customer = table["lost_mrr"] / table["churned"].where(table["churned"] > 0)
	table["excess_mrr"] = (per_customer * table["excess"]).fillna(0.0).round(2)
	return table


def lifetime_table(segments: pd.DataFrame, drivers: pd.DataFrame) -> pd.DataFrame:
	"""Lifetime per segment value beside its hazard ratio against the segment's baseline."""
	keep = ["column", "value", "baseline", "hazard_ratio", "p_value", "significant"]
	model = drivers[keep] if len(drivers) else pd.DataFrame(columns=keep)
	return segments.merge(model, on=["column", "value"], how="left")


def period_rates(monthly: pd.DataFrame, period: tuple) -> dict[str, float | None]:
	"""Average monthly churn and revenue churn over the period, as the diagnosis computes them."""
	return {
		"rate": _weighted_in(monthly, "churned", "start_active", period),
		"mrr_rate": _weighted_in(monthly, "lost_mrr", "start_mrr", period),
	}
