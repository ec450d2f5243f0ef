"""The churn self-diagnosis: every analysis of the core on one dataset as of one date.

Reason shares and the average churn rate cover the same period: by default the last 12 complete
calendar months up to the as-of date (:func:`default_period`); the monthly table and the cohorts
show the whole history.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from churn_management.analytics.churn.cohorts import retention_matrix
from churn_management.analytics.churn.rates import monthly_churn, seasonal_index
from churn_management.analytics.churn.reasons import churn_by_group, churn_by_reason, managed_summary
from churn_management.analytics.churn.states import Thresholds, customer_states, state_counts
from churn_management.analytics.churn.survival import (
	MAX_VALUES_PER_SEGMENT,
	left_out_text,
	lifetime_drivers,
	segment_labels,
	segment_lifetimes,
	survival_curves,
)
from churn_management.analytics.exports.schema import (
	Dataset,
	InputError,
	Problem,
	QualityNote,
	customer_codes,
)

DEFAULT_SEGMENTS = ("customer_type", "territory", "tariff")
DEFAULT_PERIOD_MONTHS = 12

Progress = Callable[[str], None]


@dataclass
class Diagnosis:
	"""Results of :func:`diagnose`; every table is a DataFrame documented in its module."""

	as_of: pd.Timestamp
	thresholds: Thresholds
	states: pd.DataFrame
	counts: dict
	monthly: pd.DataFrame
	seasonality: pd.DataFrame
	reasons: pd.DataFrame
	groups: pd.DataFrame
	managed: dict
	cohorts: pd.DataFrame
	segments: pd.DataFrame
	curves: dict[str, pd.DataFrame]
	drivers: pd.DataFrame
	segment_columns: list[str]
	period: tuple[pd.Timestamp, pd.Timestamp] | None = None
	warnings: list[Problem] = field(default_factory=list)
	quality: list[QualityNote] = field(default_factory=list)
	timings: dict[str, float] = field(default_factory=dict)

	@property
	def period_rate(self) -> float | None:
		"""Average monthly churn over the period: churned customers over customer-months."""
		return _weighted_in(self.monthly, "churned", "start_active", self.period)

	@property
	def period_mrr_rate(self) -> float | None:
		"""Average monthly revenue churn over the period: revenue lost over revenue-months."""
		return _weighted_in(self.monthly, "lost_mrr", "start_mrr", self.period)

	@property
	def rows_affected(self) -> int:
		return int(sum(note.rows for note in self.quality))

	@property
	def customers(self) -> int:
		return int(sum(self.counts.values()))

	def to_dict(self) -> dict:
		"""The diagnosis as plain JSON-ready data."""
		return _clean(
			{
				"as_of": self.as_of.date().isoformat(),
				"customers": self.customers,
				"active": self.counts["active"] + self.counts["overdue"] + self.counts["pre_churn"],
				"churned": self.counts["churned"],
				"states": self.counts,
				"churn_kinds": _value_counts(self.states, "churn_kind"),
				"churn_orders": _value_counts(self.states, "churn_order"),
				"thresholds": {
					"churn_after_months": self.thresholds.churn_after_months,
					"pre_churn_days": self.thresholds.pre_churn_days,
					"grace_days": self.thresholds.grace_days,
				},
				"churn_rate_monthly": [
					{
						"month": row.month.strftime("%Y-%m"),
						"start_active": row.start_active,
						"churned": row.churned,
						"rate": row.rate,
						"mrr_rate": row.mrr_rate,
						"lost_mrr": row.lost_mrr,
					}
					for row in self.monthly.itertuples()
				],
				"period": {
					"from": self.period[0].date().isoformat() if self.period else None,
					"to": self.period[1].date().isoformat() if self.period else None,
				},
				"average_monthly_churn_rate": self.period_rate,
				"average_monthly_mrr_churn_rate": self.period_mrr_rate,
				"seasonal_index": self.seasonality.to_dict("records"),
				"reasons": self.reasons.to_dict("records"),
				"reason_groups": self.groups.to_dict("records"),
				"managed_share": self.managed["managed_share"],
				"managed": self.managed,
				"cohorts": {
					cohort.strftime("%Y-%m"): {
						"customers": int(row["customers"]),
						"retention": [row[k] for k in self.cohorts.columns[1:]],
					}
					for cohort, row in self.cohorts.iterrows()
				},
				"segments": _segments_tree(self.segments),
				"lifetime_drivers": self.drivers.to_dict("records"),
				"warnings": [str(w) for w in self.warnings],
				"data_quality": [note.to_dict() for note in self.quality],
			}
		)


def diagnose(
	data: Dataset,
	as_of,
	segment_by: list[str] | None = None,
	thresholds: Thresholds | None = None,
	progress: Progress | None = None,
	period: tuple | None = None,
) -> Diagnosis:
	"""Run every analysis on a validated dataset as of a date."""
	thresholds = thresholds or Thresholds()
	as_of = pd.Timestamp(as_of).normalize()
	period = _check_period(period or default_period(as_of), as_of, data.customers["start_date"].min())
	say = progress or (lambda message: None)
	timings: dict[str, float] = {}

	def step(name: str, message: str, fn, *args):
		say(message)
		started = time.perf_counter()
		result = fn(*args)
		timings[name] = time.perf_counter() - started
		return result

	columns = resolve_segments(data.customers, segment_by)
	states = step("states", "Classifying customers", _states, data, as_of, thresholds)
	monthly = step("rates", "Computing monthly churn", monthly_churn, states, as_of)
	in_period = states[states["churn_date"].between(*period).to_numpy(dtype=bool)]
	reasons = step("reasons", "Breaking churn down by reason", churn_by_reason, in_period, data.reasons)
	cohorts = step("cohorts", "Building the cohort matrix", retention_matrix, states, as_of)
	lifetimes = _lifetime_frame(data.customers, states, columns)
	overflow = _segment_warnings(lifetimes, columns)
	for column in columns:
		lifetimes[column] = segment_labels(lifetimes[column])  # once, not per analysis
	segments = step("survival", "Estimating lifetimes per segment", segment_lifetimes, lifetimes, columns)
	curves = {c: survival_curves(lifetimes, c) for c in [None, *columns]}
	drivers = step("drivers", "Fitting the lifetime model", lifetime_drivers, lifetimes, columns)
	left_out = [
		Problem("customers", left_out_text(*entry), level="warning")
		for entry in drivers.attrs.get("left_out", [])
	]
	return Diagnosis(
		as_of=as_of,
		thresholds=thresholds,
		states=states,
		counts=state_counts(states),
		monthly=monthly,
		seasonality=seasonal_index(monthly),
		reasons=reasons,
		groups=churn_by_group(reasons),
		managed=managed_summary(reasons),
		cohorts=cohorts,
		segments=segments,
		curves={c or "(all)": frame for c, frame in curves.items()},
		drivers=drivers,
		segment_columns=columns,
		period=period,
		warnings=list(data.warnings) + overflow + left_out,
		quality=list(data.quality),
		timings=timings,
	)


def _states(data: Dataset, as_of: pd.Timestamp, thresholds: Thresholds) -> pd.DataFrame:
	"""Customer states, joining invoices and terminations on integer positions instead of text ids.

	The tables with positions for ids share every other column with the originals (no copy of
	million-row tables, and the originals stay as they are).
	"""
	ids = data.customers["customer_id"]
	tables = {}
	for name in ("invoices", "terminations"):
		frame = getattr(data, name)
		if frame is not None:
			codes = data.codes.get(name)
			if codes is None or len(codes) != len(frame):
				codes = customer_codes(frame["customer_id"], ids)
			tables[name] = _with_column(frame, "customer_id", codes)
	customers = _with_column(data.customers, "customer_id", np.arange(len(ids), dtype=np.int64))
	states = customer_states(replace(data, customers=customers, **tables), as_of, thresholds)
	states["customer_id"] = ids.array
	return states


def _with_column(frame: pd.DataFrame, name: str, values: np.ndarray) -> pd.DataFrame:
	"""The frame with one column replaced, sharing the other columns' memory."""
	columns = {column: frame[column] for column in frame.columns}
	columns[name] = pd.Series(values, index=frame.index, copy=False)
	return pd.DataFrame(columns, copy=False)


def default_period(as_of, months: int = DEFAULT_PERIOD_MONTHS) -> tuple[pd.Timestamp, pd.Timestamp]:
	"""The last ``months`` complete calendar months up to the as-of date."""
	as_of = pd.Timestamp(as_of).normalize()
	last = (as_of + pd.Timedelta(days=1)).to_period("M") - 1
	first = last - (months - 1)
	return first.to_timestamp(), last.to_timestamp(how="end").normalize()


def _check_period(period: tuple, as_of: pd.Timestamp, first_start=None) -> tuple[pd.Timestamp, pd.Timestamp]:
	"""The period inside the data: from the first month with a customer, to the as-of date at most."""
	start, end = (pd.Timestamp(p).normalize() for p in period)
	end = min(end, as_of)
	if first_start is not None and pd.notna(first_start):
		first_month = pd.Timestamp(first_start).to_period("M").to_timestamp()
		start = max(start, min(first_month, end))
	if start > end:
		raise InputError(
			[Problem("options", f"the period {start.date()} - {end.date()} is empty or after the as-of date")]
		)
	return start, end


def _weighted_in(monthly: pd.DataFrame, lost: str, base: str, period) -> float | None:
	"""Lost over base summed over the whole months inside the period (a month of 3 customers weighs 3)."""
	if monthly.empty or period is None or base not in monthly or lost not in monthly:
		return None
	month_end = monthly["month"] + pd.offsets.MonthEnd(0)
	inside = (monthly["month"] >= period[0]) & (month_end <= period[1])
	total = float(monthly.loc[inside, base].sum())
	return float(monthly.loc[inside, lost].sum()) / total if total > 0 else None


def _segment_warnings(lifetimes: pd.DataFrame, columns: list[str]) -> list[Problem]:
	warnings = []
	for column in columns:
		count = int(lifetimes[column].nunique())
		if count > MAX_VALUES_PER_SEGMENT and not pd.api.types.is_numeric_dtype(lifetimes[column]):
			warnings.append(
				Problem(
					"customers",
					f"{count:,} different values; the {MAX_VALUES_PER_SEGMENT} largest are shown, "
					"the rest together as (other)",
					column=column,
					level="warning",
				)
			)
	return warnings


def resolve_segments(customers: pd.DataFrame, segment_by: list[str] | None) -> list[str]:
	"""The segment columns asked for, or the default ones present; unknown columns are an error."""
	if segment_by:
		missing = [c for c in segment_by if c not in customers.columns]
		if missing:
			found = ", ".join(str(c) for c in customers.columns)
			raise InputError(
				[
					Problem("customers", f"segment column not found; columns found: {found}", column=c)
					for c in missing
				]
			)
		return list(dict.fromkeys(segment_by))
	return [c for c in DEFAULT_SEGMENTS if c in customers.columns and customers[c].notna().any()]


def _lifetime_frame(customers: pd.DataFrame, states: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
	started = (states["state"] != "not_started").to_numpy(dtype=bool)
	frame = {c: customers[c] for c in columns}
	frame["lifetime_months"] = states["lifetime_months"]
	frame["churned"] = states["state"].eq("churned")
	frame = pd.DataFrame(frame, copy=False)
	return frame if started.all() else frame[started]


def _value_counts(states: pd.DataFrame, column: str) -> dict[str, int]:
	return {str(k): int(v) for k, v in states[column].value_counts().items() if v}


def _segments_tree(segments: pd.DataFrame) -> dict:
	tree: dict[str, dict] = {}
	for row in segments.to_dict("records"):
		column = row.pop("column")
		value = row.pop("value")
		tree.setdefault(column, {})[value] = row
	return tree


def _clean(value):
	"""Make numpy and pandas values JSON-ready (NaN becomes null)."""
	if isinstance(value, dict):
		return {str(k): _clean(v) for k, v in value.items()}
	if isinstance(value, list | tuple):
		return [_clean(v) for v in value]
	if isinstance(value, np.bool_ | bool):
		return bool(value)
	if isinstance(value, np.integer):
		return int(value)
	if isinstance(value, float | np.floating):
		return None if math.isnan(value) else round(float(value), 6)
	if isinstance(value, pd.Timestamp):
		return value.date().isoformat()
	if value is pd.NA or value is pd.NaT:
		return None
	return value
