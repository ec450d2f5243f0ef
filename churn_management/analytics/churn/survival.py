"""Customer lifetime: Kaplan-Meier per segment and a Cox model of what lifetime depends on.

Lifetime is measured in months from start_date to the churn date, or to the as-of date while the
customer has not churned (a censored observation). Kaplan-Meier is computed here with numpy; the
Cox proportional-hazards model (Efron ties, as lifelines) is :func:`cox_efron`, checked against
lifelines in the tests.

Output of :func:`segment_lifetimes`, one row per segment column and value:
column, value, customers, churned, churn_share, median_lifetime_months (null when survival never
falls to one half), survival_12m, survival_24m.

Output of :func:`lifetime_drivers`, one row per segment value compared with its column's most
common value (the baseline): column, value, baseline, hazard_ratio, ci_low, ci_high, p_value,
significant, meaning (the comparison in plain words).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from churn_management.analytics.churn.states import DAYS_PER_MONTH

MAX_VALUES_PER_SEGMENT = 20
NUMERIC_BINS = 4
COX_SAMPLE = 100_000
COX_PENALIZER = 0.001
Z_95 = 1.959963984540054
OTHER = "(other)"
BLANK = "(blank)"


def kaplan_meier(durations: np.ndarray, events: np.ndarray) -> pd.DataFrame:
	"""Kaplan-Meier survival curve: time, at_risk, events, survival after each event time."""
	durations = np.asarray(durations, dtype=float)
	events = np.asarray(events, dtype=bool)
	if not len(durations):
		return pd.DataFrame({"time": [], "at_risk": [], "events": [], "survival": []})
	days = np.rint(durations * DAYS_PER_MONTH)
	if 0 <= days.min() and days.max() < 200_000 and np.array_equal(days / DAYS_PER_MONTH, durations):
		# lifetimes in whole days (as the states give them): count per day, no sorting
		days = days.astype(np.int64)
		leaving_all = np.bincount(days)
		dying_all = np.bincount(days, weights=events.astype(float), minlength=len(leaving_all))
		kept = np.flatnonzero(leaving_all)
		times = kept / DAYS_PER_MONTH
		leaving, dying = leaving_all[kept], dying_all[kept]
	else:
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
	text = values.astype("string[pyarrow]").fillna(BLANK)
	counts = text.value_counts()
	if len(counts) <= MAX_VALUES_PER_SEGMENT or (
		len(counts) == MAX_VALUES_PER_SEGMENT + 1 and OTHER in counts
	):
		return text  # few values, or labelled already
	top = counts.index[:MAX_VALUES_PER_SEGMENT]
	return text.where(text.isin(top), OTHER)


def _groups(labels: pd.Series) -> list[tuple[str, np.ndarray]]:
	"""(value, row mask) per segment value, sorted by value."""
	codes, uniques = pd.factorize(labels, sort=True)
	return [(str(value), codes == k) for k, value in enumerate(uniques)]


def segment_lifetimes(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
	"""Churn share, median lifetime and 12/24-month survival per value of each segment column.

	``frame`` holds lifetime_months, churned (bool) and the segment columns.
	"""
	durations, events = _lifetimes(frame)
	rows = [_lifetime_row("(all)", "(all)", durations, events)]
	for column in columns:
		labels = segment_labels(frame[column])
		for value, mask in _groups(labels):
			rows.append(_lifetime_row(column, value, durations[mask], events[mask]))
	return pd.DataFrame(rows)


def _lifetimes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
	return frame["lifetime_months"].to_numpy(dtype=float), frame["churned"].to_numpy(dtype=bool)


def _lifetime_row(column: str, value: str, durations: np.ndarray, events: np.ndarray) -> dict:
	curve = kaplan_meier(durations, events)
	customers = len(durations)
	churned = int(events.sum())
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
	durations, events = _lifetimes(frame)
	groups = (
		[("(all)", np.ones(len(frame), dtype=bool))]
		if column is None
		else _groups(segment_labels(frame[column]))
	)
	table = pd.DataFrame(index=pd.RangeIndex(months + 1, name="month"))
	for value, mask in groups:
		curve = kaplan_meier(durations[mask], events[mask])
		table[str(value)] = _survival_by_month(curve, months)
	return table


def _survival_by_month(curve: pd.DataFrame, months: int) -> list[float | None]:
	"""survival_at() for months 0..months at once."""
	if curve.empty:
		return [None] * (months + 1)
	times = curve["time"].to_numpy()
	survival = np.concatenate([[1.0], curve["survival"].to_numpy()])
	grid = np.arange(months + 1)
	values = survival[np.searchsorted(times, grid, side="right")]
	return [float(v) if m <= times[-1] else None for m, v in zip(grid, values, strict=True)]


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
		return _with_left_out(empty, baselines["left_out"])
	durations = frame["lifetime_months"].clip(lower=1 / 30).to_numpy(dtype=float)
	events = frame["churned"].to_numpy(dtype=bool)
	with warnings.catch_warnings(), np.errstate(all="ignore"):
		warnings.simplefilter("ignore")
		fit = cox_efron(design.to_numpy(dtype=float), durations, events, penalizer=COX_PENALIZER)
	if fit is None:
		return _with_left_out(empty, baselines["left_out"])
	rows = []
	for position, (column, value) in enumerate(baselines["covariates"].values()):
		ratio = float(np.exp(fit["coef"][position]))
		p_value = float(fit["p"][position])
		rows.append(
			{
				"column": column,
				"value": value,
				"baseline": baselines["baseline"][column],
				"hazard_ratio": ratio,
				"ci_low": _exp(fit["coef"][position] - Z_95 * fit["se"][position]),
				"ci_high": _exp(fit["coef"][position] + Z_95 * fit["se"][position]),
				"p_value": p_value,
				"significant": bool(p_value < 0.05),
				"meaning": hazard_in_words(
					column, value, baselines["baseline"][column], ratio, p_value < 0.05
				),
			}
		)
	result = pd.DataFrame(rows, columns=empty.columns)
	result = result.sort_values("hazard_ratio", ascending=False, key=lambda r: (np.log(r)).abs())
	return _with_left_out(result.reset_index(drop=True), baselines["left_out"])


def _with_left_out(result: pd.DataFrame, left_out: list) -> pd.DataFrame:
	"""Name the covariates left out of the model in ``attrs["left_out"]``: (column, value, twin)."""
	result.attrs["left_out"] = list(left_out)
	return result


def left_out_text(column: str, value: str | None, twin: tuple | None, language: str = "en") -> str:
	"""Why a covariate is not in the lifetime model, in words."""
	if language == "ru":
		if value is None:
			return f"«{column}» не учтён: у всех клиентов одно значение"
		if twin:
			return f"«{column}» = {value} не учтён: это те же клиенты, что «{twin[0]}» = {twin[1]}"
		return f"«{column}» = {value} не учтён: его полностью определяют другие признаки"
	if value is None:
		return f"{column} is left out: every customer has the same value"
	if twin:
		return f"{column} = {value} is left out: the same customers as {twin[0]} = {twin[1]}"
	return f"{column} = {value} is left out: the other columns determine it"


def _exp(value: float) -> float:
	"""exp() that gives infinity instead of a warning for huge bounds."""
	return math.exp(value) if value < 700 else math.inf


def cox_efron(
	X: np.ndarray, durations: np.ndarray, events: np.ndarray, penalizer: float = 0.0, max_steps: int = 50
) -> dict | None:
	"""Cox proportional hazards by Newton-Raphson on Efron's partial likelihood (ties as lifelines).

	Covariates are standardised while fitting (as lifelines does, so the same penalty means the
	same); returns coef, se and p per column of X on the original scale, or None when the fit
	fails. Every step is a few matrix products over all rows: no loop over customers.
	"""
	n, k = X.shape
	if n == 0 or k == 0 or not events.any():
		return None
	mean = X.mean(axis=0)
	std = X.std(axis=0)
	std[std == 0] = 1.0
	order = np.argsort(-durations, kind="stable")
	Z = (X[order] - mean) / std
	T = durations[order]
	E = events[order].astype(bool)
	starts = np.flatnonzero(np.r_[True, T[1:] != T[:-1]])
	ends = np.r_[starts[1:], n] - 1
	group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n]))
	d = np.bincount(group, weights=E, minlength=len(starts)).astype(np.int64)
	J = np.repeat(np.arange(len(starts)), d)  # one entry per event, by time group
	a = np.concatenate([np.arange(c) / c for c in d if c]) if d.any() else np.zeros(0)
	events_z = Z[E].sum(axis=0)

	def evaluate(beta):
		w = np.exp(np.clip(Z @ beta, -500, 500))
		S0 = np.cumsum(w)[ends]
		S1 = np.cumsum(w[:, None] * Z, axis=0)[ends]
		we = w * E
		D0 = np.bincount(group, weights=we, minlength=len(starts))
		D1 = np.add.reduceat(we[:, None] * Z, starts, axis=0)
		den = S0[J] - a * D0[J]
		V = S1[J] - a[:, None] * D1[J]
		ll = events_z @ beta - np.log(den).sum() - 0.5 * penalizer * beta @ beta
		gradient = events_z - (V / den[:, None]).sum(axis=0) - penalizer * beta
		e = np.bincount(J, weights=1 / den, minlength=len(starts))
		f = np.bincount(J, weights=a / den, minlength=len(starts))
		reach = np.cumsum(e[::-1])[::-1][group]  # sum of e over event times within each row's risk
		weights = w * (reach - E * f[group])
		scaled = V / den[:, None]
		information = (Z * weights[:, None]).T @ Z - scaled.T @ scaled + penalizer * np.eye(k)
		return ll, gradient, information

	beta = np.zeros(k)
	ll, gradient, information = evaluate(beta)
	for _ in range(max_steps):
		try:
			step = np.linalg.solve(information, gradient)
		except np.linalg.LinAlgError:
			return None
		size = 1.0
		while size > 1e-4:
			candidate = beta + size * step
			new_ll, new_gradient, new_information = evaluate(candidate)
			if np.isfinite(new_ll) and new_ll >= ll - 1e-12:
				break
			size /= 2
		else:
			break
		converged = abs(new_ll - ll) < 1e-9 * max(1.0, abs(ll)) and np.abs(size * step).max() < 1e-7
		beta, ll, gradient, information = candidate, new_ll, new_gradient, new_information
		if converged:
			break
	try:
		covariance = np.linalg.inv(information)
	except np.linalg.LinAlgError:
		return None
	se = np.sqrt(np.clip(np.diag(covariance), 0, None)) / std
	coef = beta / std
	with np.errstate(divide="ignore", invalid="ignore"):
		z = np.where(se > 0, coef / se, 0.0)
	p = np.array([math.erfc(abs(v) / math.sqrt(2)) for v in z])
	if not np.all(np.isfinite(coef)):
		return None
	return {"coef": coef, "se": se, "p": p}


def _design_matrix(frame: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, dict]:
	"""One-hot columns for every segment value except the most common (the baseline)."""
	design = {}
	covariates = {}
	baseline = {}
	left_out = []
	for column in columns:
		labels = segment_labels(frame[column])
		counts = labels.value_counts()
		if len(counts) < 2:
			left_out.append((column, None, None))
			continue
		baseline[column] = str(counts.index[0])
		for position, value in enumerate(counts.index[1:]):
			name = f"{column}__{position}"
			design[name] = (labels == value).astype(float).to_numpy()
			covariates[name] = (column, str(value))
	design = pd.DataFrame(design)
	for name, twin in _dependent_columns(design).items():
		left_out.append((*covariates.pop(name), covariates.get(twin) if twin else None))
		design = design.drop(columns=name)
	return design, {"covariates": covariates, "baseline": baseline, "left_out": left_out}


def _dependent_columns(design: pd.DataFrame, tolerance: float = 1e-9) -> dict[str, str | None]:
	"""Covariates the others (with a constant) already determine: a twin's name, or None for a mix.

	Tariff Corporate = B2B gives the model two names for one thing and bounds like 1e-81 .. 1e+80;
	each such column is left out, checked on the Gram matrix (cheap for any number of rows).
	"""
	if design.shape[1] == 0:
		return {}
	values = np.column_stack([np.ones(len(design)), design.to_numpy(dtype=float)])
	gram = values.T @ values
	names = list(design.columns)
	kept = [0]
	dependent: dict[str, str | None] = {}
	for j in range(1, values.shape[1]):
		inner = gram[np.ix_(kept, kept)]
		cross = gram[kept, j]
		residual = gram[j, j] - cross @ np.linalg.lstsq(inner, cross, rcond=None)[0]
		if gram[j, j] <= 0 or residual <= tolerance * gram[j, j]:
			dependent[names[j - 1]] = _twin(values, j, kept, names)
		else:
			kept.append(j)
	return dependent


def _twin(values: np.ndarray, j: int, kept: list[int], names: list[str]) -> str | None:
	"""The kept column that is the same customers (or exactly the others), if one is."""
	column = values[:, j]
	for k in kept[1:]:
		if np.array_equal(values[:, k], column) or np.array_equal(values[:, k], 1 - column):
			return names[k - 1]
	return None


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
