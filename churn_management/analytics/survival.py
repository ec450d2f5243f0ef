"""Customer lifetime: Kaplan-Meier per segment and a Cox model of what lifetime depends on.

Lifetime is measured in months from start_date to the churn date, or to the as-of date while the
customer has not churned (a censored observation). Kaplan-Meier is computed here with numpy; the
Cox proportional-hazards model comes from lifelines.

Output of :func:`segment_lifetimes`, one row per segment column and value:
column, value, customers, churned, churn_share, median_lifetime_months (null when survival never
falls to one half), survival_12m, survival_24m.

Output of :func:`lifetime_drivers`, one row per segment value compared with its column's most
common value (the baseline): column, value, baseline, hazard_ratio, ci_low, ci_high, p_value,
significant, meaning (the comparison in plain words).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

MAX_VALUES_PER_SEGMENT = 20
NUMERIC_BINS = 4
COX_SAMPLE = 100_000
OTHER = "(other)"
BLANK = "(blank)"


def kaplan_meier(durations: np.ndarray, events: np.ndarray) -> pd.DataFrame:
	"""Kaplan-Meier survival curve: time, at_risk, events, survival after each event time."""
	durations = np.asarray(durations, dtype=float)
	events = np.asarray(events, dtype=bool)
	if not len(durations):
		return pd.DataFrame({"time": [], "at_risk": [], "events": [], "survival": []})
	times, inverse = np.unique(durations, return_inverse=True)
	leaving = np.bincount(inverse, minlength=len(times))
	dying = np.bincount(inverse, weights=events.astype(float), minlength=len(times))
	at_risk = len(durations) - np.concatenate([[0], np.cumsum(leaving)[:-1]])
	survival = np.cumprod(1.0 - dying / at_risk)
	return pd.DataFrame({"time": times, "at_risk": at_risk, "events": dying, "survival": survival})


def survival_at(curve: pd.DataFrame, month: float) -> float | None:
	"""Survival probability at a time; None when the curve does not reach it."""
	if curve.empty or curve["time"].iloc[-1] < month:
		return None
	before = curve[curve["time"] <= month]
	return 1.0 if before.empty else float(before["survival"].iloc[-1])


def median_lifetime(curve: pd.DataFrame) -> float | None:
	"""First time survival falls to one half or below; None when it never does."""
	below = curve[curve["survival"] <= 0.5]
	return None if below.empty else float(below["time"].iloc[0])


def segment_labels(values: pd.Series) -> pd.Series:
	"""Readable segment values: numbers with many values become quartile ranges, rare values (other)."""
	if pd.api.types.is_numeric_dtype(values) and values.nunique() > MAX_VALUES_PER_SEGMENT:
		binned = pd.qcut(values, NUMERIC_BINS, duplicates="drop")
		labels = binned.cat.rename_categories([f"{c.left:g}-{c.right:g}" for c in binned.cat.categories])
		return labels.astype("string").fillna(BLANK)
	if pd.api.types.is_datetime64_any_dtype(values):
		values = values.dt.year.astype("Int64")
	text = values.astype("string").fillna(BLANK)
	top = text.value_counts().index[:MAX_VALUES_PER_SEGMENT]
	return text.where(text.isin(top), OTHER)


def segment_lifetimes(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
	"""Churn share, median lifetime and 12/24-month survival per value of each segment column.

	``frame`` holds lifetime_months, churned (bool) and the segment columns.
	"""
	rows = [_lifetime_row("(all)", "(all)", frame)]
	for column in columns:
		labels = segment_labels(frame[column])
		for value, part in frame.groupby(labels.to_numpy(), sort=True):
			rows.append(_lifetime_row(column, str(value), part))
	return pd.DataFrame(rows)


def _lifetime_row(column: str, value: str, part: pd.DataFrame) -> dict:
	curve = kaplan_meier(part["lifetime_months"].to_numpy(), part["churned"].to_numpy())
	customers = len(part)
	churned = int(part["churned"].sum())
	return {
		"column": column,
		"value": value,
		"customers": customers,
		"churned": churned,
		"churn_share": churned / customers if customers else None,
		"median_lifetime_months": median_lifetime(curve),
		"survival_12m": survival_at(curve, 12),
		"survival_24m": survival_at(curve, 24),
	}


def survival_curves(frame: pd.DataFrame, column: str | None, months: int = 36) -> pd.DataFrame:
	"""Survival at each whole month 0..months, one column per value of a segment (or all)."""
	groups = (
		{"(all)": frame}
		if column is None
		else dict(tuple(frame.groupby(segment_labels(frame[column]).to_numpy())))
	)
	table = pd.DataFrame(index=pd.RangeIndex(months + 1, name="month"))
	for value, part in groups.items():
		curve = kaplan_meier(part["lifetime_months"].to_numpy(), part["churned"].to_numpy())
		table[str(value)] = [survival_at(curve, m) for m in range(months + 1)]
	return table


def lifetime_drivers(frame: pd.DataFrame, columns: list[str], seed: int = 0) -> pd.DataFrame:
	"""Hazard ratios of a Cox model on the segment columns, each value against the most common one."""
	empty = pd.DataFrame(
		columns=[
			"column",
			"value",
			"baseline",
			"hazard_ratio",
			"ci_low",
			"ci_high",
			"p_value",
			"significant",
			"meaning",
		]
	)
	if not columns or frame["churned"].sum() < 10:
		return empty
	if len(frame) > COX_SAMPLE:
		frame = frame.sample(COX_SAMPLE, random_state=seed)
	design, baselines = _design_matrix(frame, columns)
	if design.shape[1] == 0:
		return empty
	design["duration"] = frame["lifetime_months"].clip(lower=1 / 30).to_numpy()
	design["event"] = frame["churned"].astype(int).to_numpy()

	from lifelines import CoxPHFitter

	fitter = CoxPHFitter(penalizer=0.001)
	with warnings.catch_warnings():
		warnings.simplefilter("ignore")
		try:
			fitter.fit(design, duration_col="duration", event_col="event")
		except Exception:
			return empty
	summary = fitter.summary
	rows = []
	for covariate, (column, value) in baselines["covariates"].items():
		line = summary.loc[covariate]
		ratio = float(line["exp(coef)"])
		rows.append(
			{
				"column": column,
				"value": value,
				"baseline": baselines["baseline"][column],
				"hazard_ratio": ratio,
				"ci_low": float(line["exp(coef) lower 95%"]),
				"ci_high": float(line["exp(coef) upper 95%"]),
				"p_value": float(line["p"]),
				"significant": bool(line["p"] < 0.05),
				"meaning": hazard_in_words(
					column, value, baselines["baseline"][column], ratio, line["p"] < 0.05
				),
			}
		)
	result = pd.DataFrame(rows, columns=empty.columns)
	return result.sort_values("hazard_ratio", ascending=False, key=lambda r: (np.log(r)).abs()).reset_index(
		drop=True
	)


def _design_matrix(frame: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, dict]:
	"""One-hot columns for every segment value except the most common (the baseline)."""
	design = {}
	covariates = {}
	baseline = {}
	for column in columns:
		labels = segment_labels(frame[column])
		counts = labels.value_counts()
		if len(counts) < 2:
			continue
		baseline[column] = str(counts.index[0])
		for position, value in enumerate(counts.index[1:]):
			name = f"{column}__{position}"
			design[name] = (labels == value).astype(float).to_numpy()
			covariates[name] = (column, str(value))
	return pd.DataFrame(design), {"covariates": covariates, "baseline": baseline}


def hazard_in_words(
	column: str, value: str, baseline: str, ratio: float, significant: bool, language: str = "en"
) -> str:
	"""A hazard ratio said plainly: how much faster or slower this segment leaves."""
	if language == "ru":
		who = f"Клиенты с «{column}» = {value}"
		against = f"клиенты с «{column}» = {baseline}"
		if ratio >= 1:
			how = f"уходят в {ratio:.1f} раза быстрее, чем {against}"
		else:
			how = f"уходят на {100 * (1 - ratio):.0f} % реже, чем {against}"
		tail = "" if significant else " (различие ненадёжно: может быть случайным)"
		return f"{who} {how}, при прочих равных{tail}."
	who = f"Customers with {column} = {value}"
	against = f"those with {column} = {baseline}"
	if ratio >= 1:
		how = f"leave {ratio:.1f} times as fast as {against}"
	else:
		how = f"leave {100 * (1 - ratio):.0f} % less often than {against}"
	tail = "" if significant else " (not a reliable difference: it may be chance)"
	return f"{who} {how}, other things equal{tail}."
