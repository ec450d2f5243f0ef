"""Input tables of the analytics core: their columns, and validation that names every problem.

Four tables feed the core. Only ``customers`` is required; each of the others unlocks more:

``customers`` (required), one row per customer
    customer_id (text, unique), start_date (date), end_date (date the customer left, empty while
    active), and optionally customer_type (B2B / B2C), territory, tariff, monthly_fee (number >= 0),
    won_back_date (date an earlier churned customer came back; a churn after it is *secondary*),
    plus any other columns, which can be used as segments.
``invoices`` (optional, unlocks overdue / pre-churn / involuntary churn and revenue at risk)
    customer_id, due_date, amount (>= 0), paid_date (empty while unpaid), paid_amount (>= 0;
    taken as the full amount when a paid_date is given without it).
``terminations`` (optional, unlocks voluntary churn reasons and retention outcomes)
    customer_id, date, reason, and optionally customer_words, outcome (Terminated, Retained,
    Withdrawn; empty means Terminated), method.
``reasons`` (optional, the classifier: unlocks groups, managed/unmanaged and target values)
    reason (unique), group, managed (yes/no), target_share (percent of total churn, 0-100),
    customer_type (B2B, B2C, Both).

Rows in problems are spreadsheet rows (the header is row 1 unless title lines come first), and
problems name the user's own file, sheet and header (``attrs`` set by :mod:`loading`).

A whole table or column that cannot be used is an error. A single bad row is not: it is dropped or
its value emptied, and counted in the data quality notes (:class:`QualityNote`), each kind with an
example, so the diagnosis runs on what is usable and says what it left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from churn_management.analytics.exports.parsing import parse_bools, parse_numbers, read_dates

MAX_ROWS_LISTED = 5
MAX_UNREADABLE_SHARE = 0.5


@dataclass(frozen=True)
class Column:
	name: str
	kind: str  # id, date, number, text, bool
	required: bool = False
	non_negative: bool = False


@dataclass(frozen=True)
class Table:
	name: str
	columns: tuple[Column, ...]
	required: bool = False

	@property
	def required_columns(self) -> list[str]:
		return [c.name for c in self.columns if c.required]


SCHEMAS: dict[str, Table] = {
	"customers": Table(
		"customers",
		(
			Column("customer_id", "id", required=True),
			Column("start_date", "date", required=True),
			Column("end_date", "date"),
			Column("customer_type", "text"),
			Column("territory", "text"),
			Column("tariff", "text"),
			Column("monthly_fee", "number", non_negative=True),
			Column("won_back_date", "date"),
		),
		required=True,
	),
	"invoices": Table(
		"invoices",
		(
			Column("customer_id", "id", required=True),
			Column("due_date", "date", required=True),
			Column("amount", "number", required=True, non_negative=True),
			Column("paid_date", "date"),
			Column("paid_amount", "number", non_negative=True),
		),
	),
	"terminations": Table(
		"terminations",
		(
			Column("customer_id", "id", required=True),
			Column("date", "date", required=True),
			Column("reason", "text", required=True),
			Column("customer_words", "text"),
			Column("outcome", "text"),
			Column("method", "text"),
		),
	),
	"reasons": Table(
		"reasons",
		(
			Column("reason", "text", required=True),
			Column("group", "text", required=True),
			Column("managed", "bool", required=True),
			Column("target_share", "number", non_negative=True),
			Column("customer_type", "text"),
		),
	),
}

OUTCOMES = ("Terminated", "Retained", "Withdrawn")


@dataclass(frozen=True)
class Problem:
	"""One thing wrong with the input, located as precisely as possible."""

	table: str
	message: str
	column: str | None = None
	row: int | None = None
	level: str = "error"
	header: str | None = None

	def __str__(self) -> str:
		return f"{self.place()}: {self.message}"

	def place(self, table: str | None = None, column_word: str = "column", row_word: str = "row") -> str:
		"""Where the problem is: the table, the column (and its header as the file has it), the row."""
		where = [table or self.table]
		if self.header and self.header != self.column:
			where.append(f"{column_word} '{self.header}' ({self.column})")
		elif self.column:
			where.append(f"{column_word} {self.column}")
		if self.row is not None:
			where.append(f"{row_word} {self.row}")
		return ", ".join(where)


@dataclass(frozen=True)
class QualityNote:
	"""Rows dropped or values changed while loading: how many, why, and one example."""

	table: str
	column: str | None
	issue: str
	action: str
	rows: int
	example: str

	def to_dict(self) -> dict:
		return {
			"table": self.table,
			"column": self.column,
			"issue": self.issue,
			"action": self.action,
			"rows": self.rows,
			"example": self.example,
		}


class InputError(ValueError):
	"""Raised with every problem found, so that a user fixes them all in one go."""

	def __init__(self, problems: list[Problem]):
		self.problems = problems
		super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Dataset:
	"""Validated, typed input tables; absent optional tables are None."""

	customers: pd.DataFrame
	invoices: pd.DataFrame | None = None
	terminations: pd.DataFrame | None = None
	reasons: pd.DataFrame | None = None
	warnings: list[Problem] = field(default_factory=list)
	quality: list[QualityNote] = field(default_factory=list)
	# per table, each row's position in customers (computed once while checking)
	codes: dict[str, np.ndarray] = field(default_factory=dict)


class _Source:
	"""Where a table came from: its label in messages, the user's headers and row numbers."""

	def __init__(self, name: str, frame: pd.DataFrame):
		attrs = dict(frame.attrs)
		self.name = name
		self.label = attrs.get("origin") or name
		if self.label != name and name in SCHEMAS:
			self.label = f"{self.label} ({name})"
		self.headers = attrs.get("headers") or {}
		self.first_row = int(attrs.get("first_row", 2))
		self.placeholders = attrs.get("placeholder_dates") or {}
		self.whole_days = set(attrs.get("whole_day_dates") or ())
		numbers = attrs.get("row_numbers")
		# row numbers are kept only when they are not simply first_row + position (rows were dropped)
		self.rows = np.asarray(numbers) if numbers is not None else None
		self.length = len(frame)

	def header(self, column: str | None) -> str | None:
		return self.headers.get(column, column) if column else None

	def row(self, position: int) -> int:
		"""The spreadsheet row of a record now at ``position`` (rows dropped before are skipped)."""
		if self.rows is not None and 0 <= position < len(self.rows):
			return int(self.rows[position])
		return self.first_row + int(position)

	def keep(self, frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
		"""Keep the rows of a mask, and their row numbers."""
		if mask.all():
			return frame
		if self.rows is None and self.length == len(mask):
			self.rows = self.first_row + np.flatnonzero(mask)
			self.length = int(mask.sum())
		elif self.rows is not None and len(self.rows) == len(mask):
			self.rows = self.rows[mask]
		return frame[mask].reset_index(drop=True)

	def problem(self, message: str, column: str | None = None, position: int | None = None) -> Problem:
		row = None if position is None else self.row(position)
		return Problem(self.label, message, column=column, row=row, header=self.header(column))


class _Notes:
	"""Collects quality notes and the rows to drop per table."""

	def __init__(self):
		self.notes: list[QualityNote] = []

	def add(self, source: _Source, column, issue, action, mask, raw: pd.Series | None = None) -> None:
		positions = np.flatnonzero(mask)
		if not len(positions):
			return
		first = int(positions[0])
		example = f"row {source.row(first)}"
		if raw is not None:
			quoted = _quote(raw.iloc[first])
			if quoted:
				example += f": {quoted}"
		self.notes.append(
			QualityNote(source.label, source.header(column), issue, action, len(positions), example)
		)


def prepare(tables: dict[str, pd.DataFrame], as_of=None) -> Dataset:
	"""Validate and type the raw tables; raise InputError listing every problem.

	Rows that cannot be used (unreadable required values, duplicates, starts after ``as_of``,
	rows of unknown customers) are dropped and counted in ``Dataset.quality``.
	"""
	problems: list[Problem] = []
	notes = _Notes()
	unknown = sorted(set(tables) - set(SCHEMAS))
	warnings = [Problem(name, "not a known table, ignored", level="warning") for name in unknown]
	if tables.get("customers") is None:
		raise InputError([Problem("customers", "the customers table is required but was not found")])

	typed: dict[str, pd.DataFrame] = {}
	sources: dict[str, _Source] = {}
	for name, schema in SCHEMAS.items():
		frame = tables.get(name)
		if frame is None:
			continue
		sources[name] = _Source(name, frame)
		typed[name] = _coerce_table(frame, schema, sources[name], problems, notes)
	if problems:
		raise InputError(problems)

	typed["customers"] = _check_customers(typed["customers"], sources["customers"], notes, as_of)
	if not len(typed["customers"]):
		source = sources["customers"]
		why = [f"{n.rows} {n.issue} ({n.example})" for n in notes.notes if n.table == source.label]
		message = "no customer rows left to analyse" + (
			": " + "; ".join(why) if why else ": the table has no rows"
		)
		raise InputError([source.problem(message)])
	if "reasons" in typed:
		typed["reasons"] = _drop_duplicates(typed["reasons"], "reason", sources["reasons"], notes)
	codes: dict[str, np.ndarray] = {}
	for name in ("invoices", "terminations"):
		if name in typed:
			typed[name], codes[name] = _drop_unknown_customers(
				typed[name], sources[name], typed["customers"], notes
			)
	if "invoices" in typed:
		typed["invoices"] = _complete_payments(typed["invoices"])
	if "terminations" in typed:
		typed["terminations"] = _normalise_outcomes(typed["terminations"], sources["terminations"], notes)
	for frame in typed.values():
		frame.attrs.clear()
	return Dataset(
		customers=typed["customers"],
		invoices=typed.get("invoices"),
		terminations=typed.get("terminations"),
		reasons=typed.get("reasons"),
		warnings=warnings,
		quality=notes.notes,
		codes=codes,
	)


def _coerce_table(
	frame: pd.DataFrame, schema: Table, source: _Source, problems: list[Problem], notes: _Notes
) -> pd.DataFrame:
	if any(str(c) != str(c).strip() for c in frame.columns):
		frame = frame.rename(columns=lambda c: str(c).strip())
	missing = [c for c in schema.required_columns if c not in frame.columns]
	if missing:
		found = ", ".join(f"'{source.headers.get(c, c)}'" for c in frame.columns) or "none"
		for column in missing:
			problems.append(
				Problem(source.label, f"required column {column} is missing; columns found: {found}")
			)
		return frame

	if not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0 or frame.index.step != 1:
		frame = frame.reset_index(drop=True)
	typed = {name: frame[name] for name in frame.columns}
	drop = np.zeros(len(frame), dtype=bool)
	for column in schema.columns:
		if column.name not in frame.columns:
			continue
		raw = frame[column.name]
		values, unreadable, placeholder = _coerce_column(raw, column, source)
		label = KIND_LABELS.get(column.kind, "the value")
		present = int((~values.isna().to_numpy() | unreadable).sum())
		if unreadable.any() and (column.required and unreadable.sum() > MAX_UNREADABLE_SHARE * present):
			_report_rows(problems, source, column.name, unreadable, raw, f"cannot read {label} {{value}}")
			continue
		typed[column.name] = values
		action = "row dropped" if column.required else "value left empty"
		notes.add(source, column.name, f"cannot read {label}", action, unreadable, raw)
		if placeholder is not None:
			notes.add(
				source,
				column.name,
				"placeholder date (such as 01.01.0001 or 9999-12-31)",
				"row dropped" if column.required else "read as no date",
				placeholder,
				raw,
			)
		if column.required:
			empty = values.isna().to_numpy() & ~unreadable
			if placeholder is not None:
				empty &= ~placeholder
			notes.add(source, column.name, "missing value", "row dropped", empty, None)
			drop |= values.isna().to_numpy()
		if column.non_negative:
			negative = values.lt(0).fillna(False).to_numpy(dtype=bool)
			notes.add(source, column.name, "negative value", action, negative, raw)
			if column.required:
				drop |= negative
			elif negative.any():
				typed[column.name] = values.mask(negative)
	return source.keep(pd.DataFrame(typed, copy=False), ~drop)


KIND_LABELS = {"date": "the date", "number": "the number", "bool": "yes/no from"}


def _coerce_column(
	series: pd.Series, column: Column, source: _Source
) -> tuple[pd.Series, np.ndarray, np.ndarray | None]:
	"""Typed values, rows present but unreadable, and placeholder dates read as empty."""
	if column.kind == "date":
		parsed = read_dates(series, whole_days=column.name in source.whole_days)
		placeholder = parsed.placeholder
		earlier = source.placeholders.get(column.name)
		if earlier is not None and len(earlier) == len(series):
			placeholder = placeholder | earlier
		return parsed.values, parsed.unreadable, placeholder
	parsers = {"number": parse_numbers, "bool": parse_bools}
	parser = parsers.get(column.kind)
	if parser is None:
		values = _as_text(series)
		return values, np.zeros(len(values), dtype=bool), None
	values, unreadable = parser(series)
	return values, np.asarray(unreadable, dtype=bool), None


def _as_text(series: pd.Series) -> pd.Series:
	"""Text without surrounding spaces, empty as missing; Arrow text is left as it is when clean."""
	if isinstance(series.dtype, pd.CategoricalDtype):
		categories = series.cat.categories
		if isinstance(categories.dtype, pd.StringDtype):
			clean = _as_text(pd.Series(categories.array))
			# categories are unique, so text equal to them needs no (hashing) uniqueness check
			if clean.notna().all() and (clean.array == categories.array).all():
				return series
		return _as_text(series.astype("string[pyarrow]"))
	if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
		import pyarrow as pa
		import pyarrow.compute as pc

		original = pa.array(series.array)
		trimmed = pc.utf8_trim_whitespace(original)
		if pc.any(pc.not_equal(pc.binary_length(trimmed), pc.binary_length(original))).as_py():
			original = trimmed
		del trimmed
		if pc.any(pc.equal(pc.binary_length(original), 0)).as_py():
			original = pc.if_else(pc.equal(original, ""), pa.scalar(None, pa.string()), original)
		return pd.Series(pd.arrays.ArrowStringArray(original), index=series.index, copy=False)
	values = series.astype("string[pyarrow]").str.strip()
	return values.mask(values == "", pd.NA)


def _report_rows(
	problems: list[Problem], source: _Source, column: str, mask: np.ndarray, raw: pd.Series, template: str
) -> None:
	"""Add one problem per offending row (the first few) and one line counting the rest."""
	positions = np.flatnonzero(mask)
	for position in positions[:MAX_ROWS_LISTED]:
		message = template.format(value=_quote(raw.iloc[position])).replace("  ", " ")
		problems.append(source.problem(message, column, position))
	if len(positions) > MAX_ROWS_LISTED:
		more = len(positions) - MAX_ROWS_LISTED
		problems.append(source.problem(f"and {more} more rows like these", column))


def _quote(value) -> str:
	if value is None or (not isinstance(value, str) and pd.isna(value)):
		return ""
	if isinstance(value, pd.Timestamp):
		value = value.date().isoformat()
	return f"'{value}'"


def _drop_duplicates(frame: pd.DataFrame, column: str, source: _Source, notes: _Notes) -> pd.DataFrame:
	duplicated = (frame[column].duplicated(keep="first") & frame[column].notna()).to_numpy()
	notes.add(source, column, f"duplicate {column}", "later row dropped", duplicated, frame[column])
	return source.keep(frame, ~duplicated)


def _check_customers(customers: pd.DataFrame, source: _Source, notes: _Notes, as_of=None) -> pd.DataFrame:
	customers = _drop_duplicates(customers, "customer_id", source, notes)
	drop = np.zeros(len(customers), dtype=bool)
	if "end_date" in customers:
		before = (customers["end_date"] < customers["start_date"]).fillna(False).to_numpy(dtype=bool)
		notes.add(
			source, "end_date", "end date before the start date", "row dropped", before, customers["end_date"]
		)
		drop |= before
	if as_of is not None:
		future = (customers["start_date"] > pd.Timestamp(as_of)).fillna(False).to_numpy(dtype=bool)
		notes.add(
			source,
			"start_date",
			"start date after the as-of date",
			"row dropped",
			future,
			customers["start_date"],
		)
		drop |= future
	return source.keep(customers, ~drop)


def arrow_strings(series: pd.Series):
	"""A text column as an Arrow string array (no copy when it is Arrow already)."""
	import pyarrow as pa

	values = series.array
	if hasattr(values, "__arrow_array__"):
		array = pa.array(values)
	else:
		array = pa.array(series.astype("string[pyarrow]").array)
	return array.cast(pa.string()) if not pa.types.is_string(array.type) else array


def customer_codes(ids: pd.Series, customers: pd.Series) -> np.ndarray:
	"""Position of each id among the customers' ids (-1 when absent), computed in Arrow, as int32."""
	import pyarrow.compute as pc

	if isinstance(ids.dtype, pd.CategoricalDtype):
		per_category = customer_codes(pd.Series(ids.cat.categories), customers)
		positions = ids.cat.codes.to_numpy()
		codes = per_category[positions]  # one array of the table's length, no temporary copies
		if len(positions) and positions.min() < 0:
			codes[positions < 0] = -1
		return codes

	codes = pc.index_in(arrow_strings(ids), value_set=arrow_strings(customers))
	return codes.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32, copy=False)


def _drop_unknown_customers(
	frame: pd.DataFrame, source: _Source, customers: pd.DataFrame, notes: _Notes
) -> tuple[pd.DataFrame, np.ndarray]:
	codes = customer_codes(frame["customer_id"], customers["customer_id"])
	known = codes >= 0
	issue = (
		"payment of a customer not in customers" if source.name == "invoices" else "customer not in customers"
	)
	notes.add(source, "customer_id", issue, "row dropped", ~known, frame["customer_id"])
	return source.keep(frame, known), codes if known.all() else codes[known]


def _complete_payments(invoices: pd.DataFrame) -> pd.DataFrame:
	"""A paid_date without paid_amount means paid in full; a missing paid_date means unpaid."""
	if "paid_date" not in invoices:
		invoices["paid_date"] = pd.NaT
	if "paid_amount" not in invoices:
		invoices["paid_amount"] = invoices["amount"].where(invoices["paid_date"].notna(), 0.0)
	else:
		# one new column, filled in place (mask and fillna would each copy 8 bytes per invoice)
		paid = invoices["paid_amount"].to_numpy(dtype="float64", copy=True)
		missing = np.isnan(paid)
		full = missing & invoices["paid_date"].notna().to_numpy()
		np.copyto(paid, invoices["amount"].to_numpy(dtype="float64"), where=full)
		paid[missing & ~full] = 0.0
		# a new frame sharing the other columns: setting a column would copy the array once more
		columns = {column: invoices[column] for column in invoices.columns}
		columns["paid_amount"] = pd.Series(paid, index=invoices.index, copy=False)
		invoices = pd.DataFrame(columns, copy=False)
	return invoices


def _normalise_outcomes(terminations: pd.DataFrame, source: _Source, notes: _Notes) -> pd.DataFrame:
	if "outcome" not in terminations:
		terminations["outcome"] = "Terminated"
		return terminations
	lookup = {o.lower(): o for o in OUTCOMES}
	lookup.update(
		{"": "Terminated", "расторгнут": "Terminated", "удержан": "Retained", "отозван": "Withdrawn"}
	)
	raw = terminations["outcome"]
	outcome = raw.fillna("").str.lower().map(lookup)
	unknown = outcome.isna().to_numpy(dtype=bool)
	notes.add(source, "outcome", "unknown outcome", "read as Terminated", unknown, raw)
	terminations["outcome"] = outcome.fillna("Terminated").astype(object)
	return terminations
