"""Cohort retention matrix: start month x months since start (DOMAIN.md §7).

Cell (cohort c, k) is the share of customers who started in month c and had not churned before
the start of month c + k. Column 0 is therefore 1.0; cells not yet observable at the as-of date
are null.

Output of :func:`retention_matrix`: index ``cohort`` (first day of the start month), a column
``customers`` (cohort size), then columns 0..max_months.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _month_number(dates: pd.Series) -> np.ndarray:
	"""Months since January 1970 (numpy's month unit: no Python per row)."""
	return dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[M]").astype(np.int64)


def retention_matrix(states: pd.DataFrame, as_of, max_months: int = 36) -> pd.DataFrame:
	"""Share of each monthly cohort still active k months after its start month."""
	started = (states["state"] != "not_started").to_numpy(dtype=bool)
	known = states if started.all() else states[started]  # no copy of a million rows when all started
	if known.empty:
		return pd.DataFrame(columns=["customers", *range(max_months + 1)])
	as_of = pd.Timestamp(as_of)
	cohort = _month_number(known["start_date"])
	churned = known["churn_date"].notna().to_numpy()
	churn_month = np.where(churned, _month_number(known["churn_date"]), 0)
	gap = np.where(churned, churn_month - cohort, max_months + 1).clip(0, max_months + 1)

	first = cohort.min()
	rows = cohort - first
	n_rows = rows.max() + 1
	sizes = np.bincount(rows, minlength=n_rows)
	churn_at = np.zeros((n_rows, max_months + 2))
	churn_at += np.bincount(rows * (max_months + 2) + gap, minlength=churn_at.size).reshape(churn_at.shape)
	churned_before = np.cumsum(churn_at, axis=1)[:, :-1] - churn_at[:, :-1]
	with np.errstate(divide="ignore", invalid="ignore"):
		retained = 1.0 - churned_before / sizes[:, None]

	as_of_month = (as_of.year - 1970) * 12 + as_of.month - 1
	observable = as_of_month - (np.arange(n_rows) + first)
	ks = np.arange(max_months + 1)
	retained[ks[None, :] > observable[:, None]] = np.nan
	retained[sizes == 0] = np.nan

	index = pd.PeriodIndex.from_ordinals(np.arange(n_rows) + first, freq="M").to_timestamp()
	matrix = pd.DataFrame(retained, index=index, columns=list(ks))
	matrix.insert(0, "customers", sizes)
	matrix.index.name = "cohort"
	return matrix[matrix["customers"] > 0]
