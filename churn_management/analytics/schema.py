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

Rows in problems are spreadsheet rows: the header is row 1, the first record row 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from churn_management.analytics.parsing import parse_bools, parse_dates, parse_numbers

MAX_ROWS_LISTED = 5


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

	def __str__(self) -> str:
		where = [self.table]
		if self.column:
			where.append(f"column {self.column}")
		if self.row is not None:
			where.append(f"row {self.row}")
		return f"{', '.join(where)}: {self.message}"


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


def prepare(tables: dict[str, pd.DataFrame]) -> Dataset:
	"""Validate and type the raw tables; raise InputError listing every problem."""
	problems: list[Problem] = []
	unknown = sorted(set(tables) - set(SCHEMAS))
	warnings = [Problem(name, "not a known table, ignored", level="warning") for name in unknown]
	if tables.get("customers") is None:
		raise InputError([Problem("customers", "the customers table is required but was not found")])

	typed: dict[str, pd.DataFrame] = {}
	for name, schema in SCHEMAS.items():
		frame = tables.get(name)
		if frame is None:
			continue
		typed[name] = _coerce_table(frame, schema, problems)

	if not problems:
		_check_customers(typed["customers"], problems)
		if "reasons" in typed:
			_check_unique(typed["reasons"], "reasons", "reason", problems)
		for name in ("invoices", "terminations"):
			if name in typed:
				typed[name] = _drop_unknown_customers(typed[name], name, typed["customers"], warnings)
	if problems:
		raise InputError(problems)

	if "invoices" in typed:
		typed["invoices"] = _complete_payments(typed["invoices"])
	if "terminations" in typed:
		typed["terminations"] = _normalise_outcomes(typed["terminations"], warnings)
	return Dataset(
		customers=typed["customers"],
		invoices=typed.get("invoices"),
		terminations=typed.get("terminations"),
		reasons=typed.get("reasons"),
		warnings=warnings,
	)


def _coerce_table(frame: pd.DataFrame, schema: Table, problems: list[Problem]) -> pd.DataFrame:
	frame = frame.rename(columns=lambda c: str(c).strip())
	missing = [c for c in schema.required_columns if c not in frame.columns]
	for column in missing:
		problems.append(Problem(schema.name, "required column is missing", column=column))
	if missing:
		return frame

	frame = frame.reset_index(drop=True)
	for column in schema.columns:
		if column.name not in frame.columns:
			continue
		raw = frame[column.name]
		values, unreadable = _coerce_column(raw, column)
		frame[column.name] = values
		label = KIND_LABELS.get(column.kind, "the value")
		_report_rows(problems, schema.name, column.name, unreadable, raw, f"cannot read {label} {{value}}")
		if column.required:
			empty = values.isna().to_numpy() & ~unreadable
			_report_rows(problems, schema.name, column.name, empty, raw, "missing value")
		if column.non_negative:
			negative = values.lt(0).fillna(False).to_numpy(dtype=bool)
			_report_rows(problems, schema.name, column.name, negative, raw, "negative value {value}")
	return frame


KIND_LABELS = {"date": "the date", "number": "the number", "bool": "yes/no from"}


def _coerce_column(series: pd.Series, column: Column) -> tuple[pd.Series, np.ndarray]:
	"""Return typed values and a mask of rows whose value is present but could not be read."""
	parsers = {"date": parse_dates, "number": parse_numbers, "bool": parse_bools}
	parser = parsers.get(column.kind)
	if parser is None:
		values = _as_text(series)
		return values, np.zeros(len(values), dtype=bool)
	values, unreadable = parser(series)
	return values, np.asarray(unreadable, dtype=bool)


def _as_text(series: pd.Series) -> pd.Series:
	values = series.astype("string").str.strip()
	return values.mask(values == "", pd.NA)


def _report_rows(
	problems: list[Problem], table: str, column: str, mask: np.ndarray, raw: pd.Series, template: str
) -> None:
	"""Add one problem per offending row (the first few) and one line counting the rest."""
	positions = np.flatnonzero(mask)
	for position in positions[:MAX_ROWS_LISTED]:
		message = template.format(value=_quote(raw.iloc[position])).replace("  ", " ")
		problems.append(Problem(table, message, column=column, row=int(position) + 2))
	if len(positions) > MAX_ROWS_LISTED:
		more = len(positions) - MAX_ROWS_LISTED
		problems.append(Problem(table, f"and {more} more rows like these", column=column))


def _quote(value) -> str:
	if value is None or (not isinstance(value, str) and pd.isna(value)):
		return ""
	if isinstance(value, pd.Timestamp):
		value = value.date().isoformat()
	return f"'{value}'"


def _check_unique(frame: pd.DataFrame, table: str, column: str, problems: list[Problem]) -> None:
	duplicated = (frame[column].duplicated(keep="first") & frame[column].notna()).to_numpy()
	_report_rows(problems, table, column, duplicated, frame[column], "duplicate {value}")


def _check_customers(customers: pd.DataFrame, problems: list[Problem]) -> None:
	_check_unique(customers, "customers", "customer_id", problems)
	if "end_date" in customers:
		before = (customers["end_date"] < customers["start_date"]).fillna(False).to_numpy(dtype=bool)
		raw = customers["end_date"]
		_report_rows(
			problems, "customers", "end_date", before, raw, "end date {value} is before the start date"
		)


def _drop_unknown_customers(
	frame: pd.DataFrame, table: str, customers: pd.DataFrame, warnings: list[Problem]
) -> pd.DataFrame:
	known = frame["customer_id"].isin(customers["customer_id"])
	unknown = int((~known).sum())
	if unknown:
		warnings.append(
			Problem(table, f"{unknown} rows name a customer_id not in customers; ignored", level="warning")
		)
		frame = frame[known.to_numpy()].reset_index(drop=True)
	return frame


def _complete_payments(invoices: pd.DataFrame) -> pd.DataFrame:
	"""A paid_date without paid_amount means paid in full; a missing paid_date means unpaid."""
	if "paid_date" not in invoices:
		invoices["paid_date"] = pd.NaT
	if "paid_amount" not in invoices:
		invoices["paid_amount"] = invoices["amount"].where(invoices["paid_date"].notna(), 0.0)
	else:
		full = invoices["paid_amount"].isna() & invoices["paid_date"].notna()
		invoices["paid_amount"] = invoices["paid_amount"].mask(full, invoices["amount"]).fillna(0.0)
	return invoices


def _normalise_outcomes(terminations: pd.DataFrame, warnings: list[Problem]) -> pd.DataFrame:
	if "outcome" not in terminations:
		terminations["outcome"] = "Terminated"
		return terminations
	lookup = {o.lower(): o for o in OUTCOMES}
	lookup.update(
		{"": "Terminated", "расторгнут": "Terminated", "удержан": "Retained", "отозван": "Withdrawn"}
	)
	outcome = terminations["outcome"].fillna("").str.lower().map(lookup)
	unknown = int(outcome.isna().sum())
	if unknown:
		warnings.append(
			Problem(
				"terminations",
				f"{unknown} rows have an unknown outcome; read as Terminated",
				"outcome",
				level="warning",
			)
		)
	terminations["outcome"] = outcome.fillna("Terminated")
	return terminations
