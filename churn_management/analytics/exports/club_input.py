"""Club exports for the lifecycle (memberships, visits, starter services): their columns and checks.

``memberships`` (required)
    membership (unique), member, start_date, end_date, and optionally club, department, card_type,
    status, renews, frozen_days (>= 0), cancelled_on.
``visits`` (required)
    member, checkin (date and time), and optionally club, department, checkout, external_id.
``starter`` (optional, one row per starter service owed)
    member, service, due_date, and optionally department, delivered (yes/no), pt_sale (yes/no).
``targets`` (optional) goal, target (a share 0-1), and optionally period (its first day).
``stages`` (optional, replaces the preset stages) stage, order, and any of the rule bounds
    (days_since_start_min ... returned_after_days_min) and starter_completed, renewed (yes/no);
    an empty cell sets no bound.

Checks beyond types: a card that ends before it starts, two cards of one member in one club that
overlap, a visit before the member's first card or after the as-of date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from churn_management.analytics.exports.schema import (
	MAX_ROWS_LISTED,
	Column,
	InputError,
	Problem,
	QualityNote,
	Table,
	_coerce_table,
	_Notes,
	_Source,
	customer_codes,
)
from churn_management.analytics.lifecycle.segmentation import BOUND_FIELDS

BOUND_COLUMNS = BOUND_FIELDS

CLUB_SCHEMAS: dict[str, Table] = {
	"memberships": Table(
		"memberships",
		(
			Column("membership", "id", required=True),
			Column("member", "id", required=True),
			Column("start_date", "date", required=True),
			Column("end_date", "date", required=True),
			Column("club", "text"),
			Column("department", "text"),
			Column("card_type", "text"),
			Column("status", "text"),
			Column("renews", "id"),
			Column("frozen_days", "number", non_negative=True),
			Column("cancelled_on", "date"),
		),
		required=True,
	),
	"visits": Table(
		"visits",
		(
			Column("member", "id", required=True),
			Column("checkin", "date", required=True),
			Column("club", "text"),
			Column("department", "text"),
			Column("external_id", "id"),
		),
		required=True,
	),
	"starter": Table(
		"starter",
		(
			Column("member", "id", required=True),
			Column("service", "text", required=True),
			Column("due_date", "date", required=True),
			Column("department", "text"),
			Column("delivered", "bool"),
			Column("pt_sale", "bool"),
		),
	),
	"stages": Table(
		"stages",
		(
			Column("stage", "text", required=True),
			Column("order", "number", required=True),
			*(Column(name, "number") for name in BOUND_COLUMNS),
			Column("starter_completed", "bool"),
			Column("renewed", "bool"),
		),
	),
	"targets": Table(
		"targets",
		(
			Column("goal", "text", required=True),
			Column("target", "number", required=True),
			Column("period", "date"),
		),
	),
}


def prepare_club(tables: dict[str, pd.DataFrame], as_of) -> tuple[dict[str, pd.DataFrame], list[QualityNote]]:
	"""Validate and type the club tables: unusable rows are dropped and noted, the rest is an InputError.

	Like the diagnosis, a cell that cannot be read (a date 31.02.2026, an empty member) drops its
	row or empties an optional value, counted per kind with an example; contradictions between
	rows (a card that ends before it starts, overlapping cards, visits outside the cards) are
	errors naming the file, header and row, with the value as written.
	"""
	problems: list[Problem] = []
	notes = _Notes()
	typed: dict[str, pd.DataFrame] = {}
	sources: dict[str, _ClubSource] = {}
	for name, schema in CLUB_SCHEMAS.items():
		frame = tables.get(name)
		if frame is None:
			if schema.required:
				problems.append(Problem(name, f"the {name} table is required but was not found"))
			continue
		sources[name] = _ClubSource(name, frame)
		typed[name] = _coerce_table(frame, schema, sources[name], problems, notes)
	if problems:
		raise InputError(problems)
	cards = typed["memberships"]
	source = sources["memberships"]
	duplicated = (cards["membership"].duplicated(keep="first") & cards["membership"].notna()).to_numpy()
	source.report(problems, "membership", duplicated, "duplicate {value}")
	problems += membership_problems(cards, source)
	problems += visit_problems(typed["visits"], cards, as_of, sources["visits"])
	if problems:
		raise InputError(problems)
	for frame in typed.values():
		frame.attrs.clear()
	for name, flags in (("starter", ("delivered", "pt_sale")),):
		if name in typed:
			for flag in flags:
				typed[name][flag] = typed[name].get(flag, pd.Series(False, index=typed[name].index))
				typed[name][flag] = typed[name][flag].fillna(False).astype(bool)
	cards = typed["memberships"]
	for column in ("club", "department"):
		if column not in cards:
			cards[column] = None
	return typed, notes.notes


class _ClubSource(_Source):
	"""A club table's file, headers and rows, with the values as written for messages."""

	def __init__(self, name: str, frame: pd.DataFrame):
		super().__init__(name, frame)
		self.raw = frame
		self.kept = np.arange(len(frame))

	def keep(self, frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
		"""Keep the rows of a mask, remembering which rows of the file they are."""
		if not mask.all():
			self.kept = self.kept[mask]
		return super().keep(frame, mask)

	def written(self, column: str, position: int):
		"""The cell as written in the file, for the typed row at ``position``."""
		if column not in self.raw:
			return None
		return self.raw[column].iloc[int(self.kept[position])]

	def report(self, problems: list[Problem], column: str, mask: np.ndarray, template: str) -> None:
		"""One problem per offending row (the first few, as the file numbers them), and a count of the rest."""
		positions = np.flatnonzero(mask)
		for position in positions[:MAX_ROWS_LISTED]:
			value = _written_text(self.written(column, position))
			message = template.format(value=value).replace("  ", " ")
			problems.append(self.problem(message, column, int(position)))
		if len(positions) > MAX_ROWS_LISTED:
			problems.append(
				self.problem(f"and {len(positions) - MAX_ROWS_LISTED} more rows like these", column)
			)


def _written_text(value) -> str:
	"""A cell as the user wrote it: text as is, spreadsheet dates as dd.mm.yyyy."""
	if value is None or (not isinstance(value, str) and pd.isna(value)):
		return ""
	if isinstance(value, pd.Timestamp):  # read as a date: the reader takes ISO dates only, as written
		if value == value.normalize():
			return value.strftime("%Y-%m-%d")
		return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
	return str(value).strip()


def membership_problems(cards: pd.DataFrame, source: _ClubSource | None = None) -> list[Problem]:
	"""Cards that end before they start, and cards of one member in one club that overlap."""
	source = source or _ClubSource("memberships", cards)
	problems: list[Problem] = []
	backwards = (cards["end_date"] < cards["start_date"]).fillna(False).to_numpy(dtype=bool)
	source.report(problems, "end_date", backwards, "ends {value}, before the card starts")
	clubs = cards["club"].fillna("") if "club" in cards else pd.Series("", index=cards.index)
	ordered = cards.assign(_club=clubs, _row=np.arange(len(cards))).sort_values(
		["member", "_club", "start_date"]
	)
	previous_end = ordered.groupby(["member", "_club"])["end_date"].shift()
	if "cancelled_on" in ordered:
		cut = ordered.groupby(["member", "_club"])["cancelled_on"].shift()
		previous_end = previous_end.where(cut.isna() | (cut > previous_end), cut)
	overlap = (ordered["start_date"] <= previous_end).fillna(False)
	mask = np.zeros(len(cards), dtype=bool)
	mask[ordered.loc[overlap, "_row"].to_numpy()] = True
	source.report(problems, "start_date", mask, "starts {value}, inside another card of the member")
	return problems


def visit_problems(
	visits: pd.DataFrame, cards: pd.DataFrame, as_of, source: _ClubSource | None = None
) -> list[Problem]:
	"""Visits of unknown members, before the member's first card, or after the as-of date."""
	source = source or _ClubSource("visits", visits)
	problems: list[Problem] = []
	first = cards.groupby("member")["start_date"].min()
	codes = customer_codes(visits["member"], pd.Series(first.index))  # member ids matched in Arrow
	unknown = codes < 0
	starts = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
	starts[~unknown] = first.to_numpy(dtype="datetime64[ns]")[codes[~unknown]]
	source.report(problems, "member", unknown, "no card for the member {value}")
	early = visits["checkin"].dt.normalize().to_numpy() < starts
	source.report(problems, "checkin", early, "{value} is before the member's card starts")
	late = (visits["checkin"] >= pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)).to_numpy()
	source.report(problems, "checkin", late, "{value} is after the as-of date")
	return problems


def starter_frames(starter: pd.DataFrame | None) -> tuple[pd.DataFrame | None, pd.DataFrame, pd.DataFrame]:
	"""From starter services: per member completion (for the rules), packages and services (for goals)."""
	if starter is None or starter.empty:
		return None, pd.DataFrame(), pd.DataFrame()
	services = starter.rename(columns={}).copy()
	if "department" not in services:
		services["department"] = None
	grouped = services.groupby("member")
	packages = pd.DataFrame(
		{
			"start_date": grouped["due_date"].min(),
			"completed": grouped["delivered"].all(),
			"pt_sale": grouped["pt_sale"].any(),
		}
	).reset_index()
	completion = packages[["member", "completed"]]
	return completion, packages, services


def stage_rules(stages: pd.DataFrame | None):
	"""The club's own stage rules from a ``stages`` table, or None for the presets."""
	from churn_management.analytics.lifecycle.segmentation import StageRule

	if stages is None or stages.empty:
		return None
	rules = []
	for row in stages.to_dict("records"):
		bounds = {name: int(row[name]) for name in BOUND_COLUMNS if name in row and pd.notna(row[name])}
		flags = {
			name: bool(row[name])
			for name in ("starter_completed", "renewed")
			if name in row and pd.notna(row[name])
		}
		rules.append(StageRule(str(row["stage"]), int(row["order"]), **bounds, **flags))
	return rules


UTC_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"


def to_local_times(raw: pd.Series, time_zone: str) -> pd.Series:
	"""Date-times as naive local times of ``time_zone``: a value with a UTC offset (turnstiles send
	them) is converted, one without is taken as local, anything else becomes NaT."""
	text = raw.map(lambda value: None if value is None or value is pd.NaT else str(value)).astype("string")
	text = text.str.strip().str.replace(r"\s*UTC$", "Z", regex=True)
	has_offset = text.str.contains(UTC_OFFSET, regex=True, na=False)
	local = pd.to_datetime(text.where(~has_offset), errors="coerce", format="ISO8601")
	if has_offset.any():
		aware = pd.to_datetime(text.where(has_offset), errors="coerce", format="ISO8601", utc=True)
		converted = aware.dt.tz_convert(time_zone).dt.tz_localize(None)
		local = local.where(~has_offset, converted)
	return local.astype("datetime64[ns]")
