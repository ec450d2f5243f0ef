"""Reading dates, numbers and yes/no values as billing programs export them.

Exports from 1C and similar programs write dates as 31.12.2024, numbers as "1 234,50" and
flags as "да"/"нет"; spreadsheets give real dates and numbers. Each parser returns the typed
values and a mask of the cells that hold something it could not read (empty cells are not
errors here: whether a value is required is the schema's business).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DATE_FORMATS = (
	"%Y-%m-%d",
	"%d.%m.%Y",
	"%d/%m/%Y",
	"%Y-%m-%d %H:%M:%S",
	"%d.%m.%Y %H:%M:%S",
	"%d.%m.%Y %H:%M",
	"%Y/%m/%d",
	"%d.%m.%y",
)

TRUE_WORDS = {"1", "1.0", "true", "yes", "y", "да", "д", "managed", "управляемый", "x", "+"}
FALSE_WORDS = {"0", "0.0", "false", "no", "n", "нет", "н", "unmanaged", "неуправляемый", "-"}


def _blank(series: pd.Series) -> np.ndarray:
	text = series.astype("string").str.strip()
	return (series.isna() | text.eq("").fillna(True)).to_numpy(dtype=bool)


def parse_dates(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
	"""Parse dates, trying each known format and keeping the one that reads the most cells."""
	if pd.api.types.is_datetime64_any_dtype(series):
		values = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) else series
		return values.astype("datetime64[ns]").dt.normalize(), np.zeros(len(series), dtype=bool)

	blank = _blank(series)
	text = series.astype("string").str.strip().where(~blank)
	present = text[~blank]
	best = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
	if len(present):
		sample = present.iloc[: min(len(present), 2000)]
		scores = {
			fmt: pd.to_datetime(sample, format=fmt, errors="coerce").notna().sum() for fmt in DATE_FORMATS
		}
		ranked = sorted(DATE_FORMATS, key=lambda fmt: -scores[fmt])
		parsed = pd.to_datetime(present, format=ranked[0], errors="coerce")
		for fmt in ranked[1:]:
			missing = parsed.isna()
			if not missing.any() or scores[fmt] == 0:
				continue
			parsed[missing] = pd.to_datetime(present[missing], format=fmt, errors="coerce")
		best.loc[present.index] = parsed.astype("datetime64[ns]").dt.normalize()
	unreadable = best.isna().to_numpy() & ~blank
	return best, unreadable


def parse_numbers(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
	"""Parse numbers, accepting decimal commas and spaces between thousands."""
	if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
		return series.astype("float64"), np.zeros(len(series), dtype=bool)
	blank = _blank(series)
	text = (
		series.astype("string")
		.str.replace(r"[\s\u00a0\u202f]", "", regex=True)
		.str.replace(",", ".", regex=False)
		.where(~blank)
	)
	values = pd.to_numeric(text, errors="coerce").astype("float64")
	return values, values.isna().to_numpy() & ~blank


def parse_bools(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
	"""Parse yes/no flags in English or Russian, or as 1/0."""
	blank = _blank(series)
	text = series.astype("string").str.strip().str.lower()
	values = pd.Series(pd.NA, index=series.index, dtype="boolean")
	values[text.isin(TRUE_WORDS).fillna(False).to_numpy()] = True
	values[text.isin(FALSE_WORDS).fillna(False).to_numpy()] = False
	return values, values.isna().to_numpy() & ~blank
