"""Reading dates, numbers and yes/no values as billing programs export them.

Exports from 1C and similar programs write dates as 31.12.2024, numbers as "1 234,50" and
flags as "да"/"нет"; spreadsheets give real dates and numbers. Each parser returns the typed
values and a mask of the cells that hold something it could not read (empty cells are not
errors here: whether a value is required is the schema's business).

Placeholder dates mean "no date": 1C writes an empty date as 01.01.0001, and many programs write
an open end as 9999-12-31. Any date before 1901 or after 2200 is read as empty, and
:func:`read_dates` says which cells were.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DATE_FORMATS = (
	"%Y-%m-%d",
	"%d.%m.%Y",
	"%d/%m/%Y",
	"%Y-%m-%d %H:%M:%S",
	"%Y-%m-%d %H:%M",
	"%d.%m.%Y %H:%M:%S",
	"%d.%m.%Y %H:%M",
	"%Y/%m/%d",
	"%d.%m.%y",
)
DAY = 86_400_000_000_000
NUMBER_KINDS = ("integer", "floating", "mixed-integer-float", "decimal")
EXCEL_FIRST, EXCEL_LAST = 367, 109_574  # 1901-01-01 .. 2199-12-31 as Excel day numbers
NAT = np.iinfo("int64").min
FIRST_YEAR = 1901
LAST_YEAR = 2200
YEAR = r"(?:^(\d{4})[-./])|(?:[-./](\d{4})(?:[ T]|$))"

CURRENCY = r"(?i)(руб\.?|р\.|₽|rub|usd|eur|\$|€)"

TRUE_WORDS = {"1", "1.0", "true", "yes", "y", "да", "д", "managed", "управляемый", "x", "+"}
FALSE_WORDS = {"0", "0.0", "false", "no", "n", "нет", "н", "unmanaged", "неуправляемый", "-"}


@dataclass
class ParsedDates:
	"""Dates read from a column: values, unreadable cells, and placeholder dates read as empty."""

	values: pd.Series
	unreadable: np.ndarray
	placeholder: np.ndarray


def _blank(series: pd.Series) -> np.ndarray:
	if series.dtype == object or pd.api.types.is_string_dtype(series):
		text = series.astype("string").str.strip()
		return (series.isna() | text.eq("").fillna(True)).to_numpy(dtype=bool)
	return series.isna().to_numpy(dtype=bool)


def parse_date_text(text: str) -> pd.Timestamp | None:
	"""One date written as YYYY-MM-DD or DD.MM.YYYY (or another known format); None if unreadable."""
	parsed = read_dates(pd.Series([text]))
	return None if parsed.unreadable[0] or pd.isna(parsed.values.iloc[0]) else parsed.values.iloc[0]


def read_dates(series: pd.Series, whole_days: bool = False) -> ParsedDates:
	"""Parse dates, trying each known format and keeping the one that reads the most cells.

	``whole_days`` says the values are dates already checked (as the CSV reader gives them).
	"""
	if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
		return _excel_serials(series)
	if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) in NUMBER_KINDS:
		return _excel_serials(pd.to_numeric(series, errors="coerce"))
	if pd.api.types.is_datetime64_any_dtype(series):
		if whole_days and series.dtype == "datetime64[ns]":
			return ParsedDates(series, np.zeros(len(series), dtype=bool), np.zeros(len(series), dtype=bool))
		return _read_datetimes(series)
	if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow" and len(series):
		return _read_dates_arrow(series)
	blank = _blank(series)
	text = series.astype("string").str.strip().where(~blank)
	year = text.str.extract(YEAR)
	year = pd.to_numeric(year[0].fillna(year[1]), errors="coerce")
	placeholder = ((year < FIRST_YEAR) | (year > LAST_YEAR)).fillna(False).to_numpy(dtype=bool)
	readable = ~blank & ~placeholder
	present = text[readable]
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
			if not missing.any():
				break
			parsed[missing] = pd.to_datetime(present[missing], format=fmt, errors="coerce")
		best.loc[present.index] = parsed.astype("datetime64[ns]").dt.normalize()
	unreadable = best.isna().to_numpy() & readable
	return ParsedDates(best, unreadable, placeholder)


def _excel_serials(series: pd.Series) -> ParsedDates:
	"""Numbers where dates belong: Excel day serials (45292 = 2024-01-01); others unreadable."""
	values = series.astype("float64").to_numpy()
	blank = np.isnan(values)
	serial = ~blank & (values >= EXCEL_FIRST) & (values <= EXCEL_LAST)
	days = np.where(serial, np.floor(np.nan_to_num(values)), 0).astype("int64")
	dates = (np.datetime64("1899-12-30", "ns") + days.astype("timedelta64[D]")).astype("datetime64[ns]")
	dates[~serial] = np.datetime64("NaT")
	placeholder = ~blank & (values == 0)
	unreadable = ~blank & ~serial & ~placeholder
	return ParsedDates(pd.Series(dates, index=series.index), unreadable, placeholder)


def _read_datetimes(series: pd.Series) -> ParsedDates:
	"""Dates that are dates already: drop the time of day and placeholder years, on int64 ticks."""
	if getattr(series.dt, "tz", None):
		series = series.dt.tz_localize(None)
	values = series.to_numpy(dtype="datetime64[ns]")
	ticks = values.view("int64")
	placeholder = np.zeros(len(values), dtype=bool)
	low = np.datetime64(f"{FIRST_YEAR}-01-01", "ns")
	high = np.datetime64(f"{LAST_YEAR + 1}-01-01", "ns")
	earliest, latest = series.min(), series.max()
	changed = False
	if pd.notna(earliest) and (earliest < low or latest >= high):
		placeholder = (values < low) | (values >= high)
		changed = True
	if pd.notna(earliest) and (ticks[~np.isnat(values)] % DAY).any():
		ticks = np.where(np.isnat(values), NAT, ticks - ticks % DAY)
		changed = True
	if changed:
		ticks = np.where(placeholder, NAT, ticks)
		series = pd.Series(ticks.view("datetime64[ns]"), index=series.index, copy=False)
	elif series.dtype != "datetime64[ns]":
		series = series.astype("datetime64[ns]")
	return ParsedDates(series, np.zeros(len(values), dtype=bool), placeholder)


def _read_dates_arrow(series: pd.Series) -> ParsedDates:
	"""Dates from an Arrow string column, parsed by Arrow in C++ (no Python per cell).

	Arrow's parser is lenient (it reads 2024-02-30 as 1 March), so a date is taken only when it
	prints back as written; the few other cells go through the strict pandas parser.
	"""
	import pyarrow as pa
	import pyarrow.compute as pc

	text = pc.utf8_trim_whitespace(pa.array(series.array))
	blank = pc.fill_null(pc.equal(text, ""), True)
	present = pc.if_else(blank, pa.scalar(None, pa.string()), text)
	sample = present.slice(0, min(len(present), 2000))
	scores = {fmt: len(sample) - _strict_arrow(sample, fmt).null_count for fmt in DATE_FORMATS[:3]}
	parsed = None
	for fmt in sorted(scores, key=lambda f: -scores[f]):
		if scores[fmt] == 0 and parsed is not None:
			continue
		attempt = _strict_arrow(present, fmt)
		parsed = attempt if parsed is None else pc.coalesce(parsed, attempt)
	days = pc.fill_null(pc.cast(pc.cast(parsed, pa.date32()), pa.int32()), 0).to_numpy(zero_copy_only=False)
	values = days.astype("int64") * 86_400_000_000_000
	missing = pc.is_null(parsed).to_numpy(zero_copy_only=False)
	values[missing] = np.iinfo("int64").min
	result = pd.Series(values.view("datetime64[ns]"), index=series.index)
	unreadable = np.zeros(len(series), dtype=bool)
	placeholder = np.zeros(len(series), dtype=bool)
	rest = missing & ~blank.to_numpy(zero_copy_only=False)
	if rest.any():
		slow = read_dates(series[rest].astype(object))
		result[rest] = slow.values.to_numpy()
		unreadable[rest] = slow.unreadable
		placeholder[rest] = slow.placeholder
	return ParsedDates(result, unreadable, placeholder)


def _strict_arrow(text, fmt: str):
	"""Arrow dates of one format, null unless the date prints back exactly as written."""
	import pyarrow as pa
	import pyarrow.compute as pc

	parsed = pc.strptime(text, fmt, unit="s", error_is_null=True)
	same = pc.fill_null(pc.equal(pc.strftime(parsed, fmt), text), False)
	years = pc.year(parsed)
	inside = pc.fill_null(
		pc.and_(pc.greater_equal(years, FIRST_YEAR), pc.less_equal(years, LAST_YEAR)), False
	)
	return pc.if_else(pc.and_(same, inside), parsed, pa.scalar(None, parsed.type))


def blank_count(blank) -> int:
	"""How many cells of a boolean Arrow mask are true."""
	import pyarrow.compute as pc

	return int(pc.sum(blank).as_py() or 0)


def parse_dates(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
	"""Parse dates (placeholder dates read as empty); the values and the unreadable cells."""
	parsed = read_dates(series)
	return parsed.values, parsed.unreadable


def parse_numbers(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
	"""Parse numbers, accepting decimal commas and spaces between thousands."""
	if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
		values = series.astype("float64", copy=False)  # no copy of a column that is numbers already
		return values, np.zeros(len(series), dtype=bool)
	blank = _blank(series)
	text = (
		series.astype("string[pyarrow]")
		.str.replace(CURRENCY, "", regex=True)
		.str.replace("[\\s\u00a0\u202f']", "", regex=True)
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
