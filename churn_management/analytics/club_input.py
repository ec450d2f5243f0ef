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

from churn_management.analytics.schema import (
	MAX_ROWS_LISTED,
	Column,
	InputError,
	Problem,
	Table,
	_coerce_table,
	_Notes,
	_quote,
	_Source,
)

BOUND_COLUMNS = (
	"days_since_start_min",
	"days_since_start_max",
	"days_to_end_min",
	"days_to_end_max",
	"visit_window_days",
	"visits_min",
	"visits_max",
	"days_since_last_visit_min",
	"days_since_last_visit_max",
	"returned_after_days_min",
)

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


def prepare_club(tables: dict[str, pd.DataFrame], as_of) -> dict[str, pd.DataFrame]:
	"""Validate and type the club tables; raise InputError naming every problem."""
	problems: list[Problem] = []
	typed: dict[str, pd.DataFrame] = {}
	for name, schema in CLUB_SCHEMAS.items():
		frame = tables.get(name)
		if frame is None:
			if schema.required:
				problems.append(Problem(name, f"the {name} table is required but was not found"))
			continue
		typed[name] = _coerce_table(frame, schema, _Source(name, frame), problems, _Notes())
	if problems:
		raise InputError(problems)
	cards = typed["memberships"]
	duplicated = (cards["membership"].duplicated(keep="first") & cards["membership"].notna()).to_numpy()
	_report_rows(problems, "memberships", "membership", duplicated, cards["membership"], "duplicate {value}")
	problems += membership_problems(cards)
	problems += visit_problems(typed["visits"], cards, as_of)
	if problems:
		raise InputError(problems)
	for name, flags in (("starter", ("delivered", "pt_sale")),):
		if name in typed:
			for flag in flags:
				typed[name][flag] = typed[name].get(flag, pd.Series(False, index=typed[name].index))
				typed[name][flag] = typed[name][flag].fillna(False).astype(bool)
	for column in ("club", "department"):
		if column not in cards:
			cards[column] = None
	return typed


def _report_rows(
	problems: list[Problem], table: str, column: str, mask: np.ndarray, raw: pd.Series, template: str
) -> None:
	"""One problem per offending row (the first few, numbered as in the file) and a count of the rest."""
	positions = np.flatnonzero(mask)
	for position in positions[:MAX_ROWS_LISTED]:
		message = template.format(value=_quote(raw.iloc[position])).replace("  ", " ")
		problems.append(Problem(table, message, column, int(position) + 2))
	if len(positions) > MAX_ROWS_LISTED:
		problems.append(
			Problem(table, f"and {len(positions) - MAX_ROWS_LISTED} more rows like these", column)
		)


def membership_problems(cards: pd.DataFrame, table: str = "memberships") -> list[Problem]:
	"""Cards that end before they start, and cards of one member in one club that overlap."""
	problems: list[Problem] = []
	backwards = (cards["end_date"] < cards["start_date"]).fillna(False).to_numpy(dtype=bool)
	_report_rows(
		problems, table, "end_date", backwards, cards["end_date"], "ends {value}, before the card starts"
	)
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
	_report_rows(
		problems,
		table,
		"start_date",
		mask,
		cards["start_date"],
		"starts {value}, inside another card of the member",
	)
	return problems


def visit_problems(visits: pd.DataFrame, cards: pd.DataFrame, as_of, table: str = "visits") -> list[Problem]:
	"""Visits of unknown members, before the member's first card, or after the as-of date."""
	problems: list[Problem] = []
	first = cards.groupby("member")["start_date"].min()
	starts = visits["member"].map(first)
	unknown = starts.isna().to_numpy()
	_report_rows(problems, table, "member", unknown, visits["member"], "no card for the member {value}")
	early = (visits["checkin"].dt.normalize() < starts).fillna(False).to_numpy(dtype=bool)
	_report_rows(
		problems, table, "checkin", early, visits["checkin"], "{value} is before the member's card starts"
	)
	late = (visits["checkin"] >= pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)).to_numpy()
	_report_rows(problems, table, "checkin", late, visits["checkin"], "{value} is after the as-of date")
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
	from churn_management.analytics.lifecycle import StageRule

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
