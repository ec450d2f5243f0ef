"""The member lifecycle of a club (DOMAIN.md §8): stages by ordered rules, transitions, at-risk dates,
statistics of passage through the stages and the goals arithmetic.

Input frames (dates are pandas Timestamps, ids are text):

``memberships``, one row per membership (club card)
    membership, member, club, start_date, end_date, and optionally department, status (Active,
    Frozen, Expired, Renewed, Cancelled), renews (the membership this one renews), frozen_days
    (extend the end), cancelled_on (a cancelled card ends on this date).
``visits``, one row per check-in
    member, checkin, and optionally club, department.
``starter``, one row per member whose newest card owes a starter package
    member, completed (bool).

A member is segmented on their newest card started on or before the date; members whose card
ended more than ``lapsed_horizon_days`` before it are out of the base. Each stage's rule is a
conjunction of optional bounds; the first stage in order whose rule matches wins and members no
rule matches fall into ``OTHER``, which the reports show.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from itertools import pairwise

import numpy as np
import pandas as pd

OTHER = "Other"
NO_VISIT_DAYS = 10_000  # days since last visit of a member who never came and has no start either
DEFAULT_AT_RISK_DAYS = 14
PERIODS = {"Weekly": "W-SUN", "Monthly": "M", "Quarterly": "Q"}
STANDARD_PATH_DEFAULT = (
	"Newcomer",
	"Starter package in progress",
	"Engaged",
	"Renewal window",
	"Recently renewed",
)


class RuleError(ValueError):
	"""Stage rules that cannot segment: the message names the stage and the problem."""


@dataclass(frozen=True)
class StageRule:
	"""One stage and its rule: every bound given must hold (``None`` means no bound)."""

	stage: str
	order: int
	days_since_start_min: int | None = None
	days_since_start_max: int | None = None
	days_to_end_min: int | None = None
	days_to_end_max: int | None = None
	visit_window_days: int | None = None  # the N of "visits in the last N days"
	visits_min: int | None = None
	visits_max: int | None = None
	days_since_last_visit_min: int | None = None
	days_since_last_visit_max: int | None = None
	returned_after_days_min: int | None = None  # came back in the window after an absence this long
	starter_completed: bool | None = None
	renewed: bool | None = None

	@property
	def conditions(self) -> dict:
		"""The bounds this rule sets."""
		return {
			f.name: getattr(self, f.name)
			for f in fields(self)
			if f.name not in ("stage", "order", "visit_window_days") and getattr(self, f.name) is not None
		}


# the rule's numeric bounds (all but the stage, its order and the yes/no flags), in the rule's order
BOUND_FIELDS: tuple[str, ...] = tuple(
	f.name for f in fields(StageRule) if f.name not in ("stage", "order", "starter_completed", "renewed")
)

PRESET_RULES: tuple[StageRule, ...] = (
	StageRule("Lapsed", 10, days_to_end_max=-1),
	StageRule("Newcomer", 20, days_since_start_max=7, renewed=False),
	StageRule("Recently renewed", 30, days_since_start_max=30, renewed=True),
	StageRule(
		"Starter package in progress", 40, days_since_start_max=45, starter_completed=False, renewed=False
	),
	StageRule("Inactive", 50, days_since_last_visit_min=15),
	StageRule("Reactivated", 60, visit_window_days=30, returned_after_days_min=15),
	StageRule("Renewal window", 70, days_to_end_min=0, days_to_end_max=30),
	StageRule("Engaged", 80, visit_window_days=28, visits_min=4),
)


def rule_problems(rules: list[StageRule] | tuple[StageRule, ...]) -> list[str]:
	"""What makes a set of rules unable to decide: shared orders, empty bounds, unreachable stages."""
	problems = []
	orders: dict[int, str] = {}
	names: set[str] = set()
	for rule in sorted(rules, key=lambda r: r.order):
		if rule.stage in names:
			problems.append(f"stage {rule.stage!r} is defined twice")
		names.add(rule.stage)
		if rule.order in orders:
			problems.append(
				f"stages {orders[rule.order]!r} and {rule.stage!r} share the order {rule.order}: no order decides"
			)
		orders.setdefault(rule.order, rule.stage)
		for low, high in (
			("days_since_start_min", "days_since_start_max"),
			("days_to_end_min", "days_to_end_max"),
			("visits_min", "visits_max"),
			("days_since_last_visit_min", "days_since_last_visit_max"),
		):
			a, b = getattr(rule, low), getattr(rule, high)
			if a is not None and b is not None and a > b:
				problems.append(f"stage {rule.stage!r}: {low} {a} is above {high} {b}, no member can match")
		uses_window = rule.visits_min is not None or rule.visits_max is not None
		if (uses_window or rule.returned_after_days_min is not None) and not rule.visit_window_days:
			problems.append(f"stage {rule.stage!r}: visits are counted over no window (set the days)")
	ordered = sorted(rules, key=lambda r: r.order)
	for position, rule in enumerate(ordered[:-1]):
		if rule.stage != OTHER and not rule.conditions:
			later = ", ".join(repr(r.stage) for r in ordered[position + 1 :])
			problems.append(f"stage {rule.stage!r} matches every member, so {later} can never be reached")
	return problems


def member_facts(
	memberships: pd.DataFrame,
	visits: pd.DataFrame,
	starter: pd.DataFrame | None,
	as_of,
	windows: list[int] | tuple[int, ...] = (),
	lapsed_horizon_days: int = 90,
) -> pd.DataFrame:
	"""Per card of the base: the facts the rules read, on the member's newest card in each club.

	A member with cards in two clubs is judged in each club on that club's visits (a visit without a
	club counts for every card of the member). Columns: member, membership, club, department,
	start_date, end_date, days_since_start, days_to_end (to the end of a card already sold after
	this one, if any), last_visit, days_since_last_visit (frozen days left out), frozen (the card is
	frozen on the date), frozen_from, frozen_until, starter_completed, renewed, and per window N
	``visits_N`` and ``returned_N`` (the longest absence, frozen days left out, that ended with a
	visit in the window).
	"""
	history = member_history(memberships, visits, starter)
	return facts_on(history, as_of, windows, lapsed_horizon_days)


@dataclass(frozen=True)
class MemberHistory:
	"""Cards and visit days prepared once, to judge the members on any number of dates."""

	cards: pd.DataFrame  # effective cards with their _key (member and club), sorted by _key and start
	visits: _KeyedVisits
	starter_done: pd.Series | None  # per member: every starter package completed


@dataclass(frozen=True)
class _KeyedVisits:
	"""Visit days paired with the card keys they count for, sorted by key and time (numpy arrays).

	``repeat`` marks a visit followed by another of the key on the same day (a card taking visits
	from several clubs counts one visit a day); ``previous`` is the key's visit day before, and
	``previous_daily`` the one before among visits that are not repeats (NaT: none)."""

	key: np.ndarray
	checkin: np.ndarray
	day: np.ndarray
	repeat: np.ndarray
	previous: np.ndarray
	previous_daily: np.ndarray
	first: np.ndarray  # per key: its first row
	by_day: np.ndarray  # the rows in the order of their days
	days_in_order: np.ndarray  # the days in that order
	position: np.ndarray  # key and day in one sortable number, to find a key's last visit by a date
	span: int
	base: int


def member_history(
	memberships: pd.DataFrame, visits: pd.DataFrame, starter: pd.DataFrame | None
) -> MemberHistory:
	"""The cards with their real ends and the visit days of each card key, for ``facts_on``."""
	every = _effective(memberships)
	every["_key"] = every.groupby(["member", "club"], sort=False, dropna=False).ngroup()
	every = every.sort_values(["_key", "start_date"], kind="stable").reset_index(drop=True)
	keys = every.drop_duplicates("_key", keep="last")[["_key", "member", "club"]]
	days = visits if "day" in visits else visit_days(visits)
	done = None
	if starter is not None and len(starter):
		done = starter.groupby("member")["completed"].all()
	return MemberHistory(every, _keyed_visits(_card_visits(days, keys), len(keys)), done)


def _keyed_visits(merged: pd.DataFrame, keys: int) -> _KeyedVisits:
	"""The paired visits as sorted arrays, with what ``facts_on`` needs to judge any date fast."""
	key = merged["_key"].to_numpy(dtype=np.int64)
	checkin = merged["checkin"].to_numpy(dtype="datetime64[ns]")
	order = np.argsort(key, kind="stable")  # the visits mostly come in time order already
	if not _in_time_order(key[order], checkin[order]):
		order = np.lexsort((checkin, key))
	key, checkin = key[order], checkin[order]
	day = merged["day"].to_numpy(dtype="datetime64[ns]")[order]
	same_key = key[1:] == key[:-1]
	repeat = np.zeros(len(key), dtype=bool)
	repeat[:-1] = same_key & (day[1:] == day[:-1])
	previous = np.full(len(key), np.datetime64("NaT"), dtype="datetime64[ns]")
	previous[1:] = np.where(same_key, day[:-1], np.datetime64("NaT"))
	daily = np.flatnonzero(~repeat)
	previous_daily = np.full(len(key), np.datetime64("NaT"), dtype="datetime64[ns]")
	inside = key[daily[1:]] == key[daily[:-1]]
	previous_daily[daily[1:]] = np.where(inside, day[daily[:-1]], np.datetime64("NaT"))
	number = day.astype("datetime64[D]").astype(np.int64)
	by_day = np.argsort(number, kind="stable")
	base = int(number.min()) if len(number) else 0
	span = int(number.max()) - base + 2 if len(number) else 2
	return _KeyedVisits(
		key=key,
		checkin=checkin,
		day=day,
		repeat=repeat,
		previous=previous,
		previous_daily=previous_daily,
		first=np.searchsorted(key, np.arange(keys + 1)),
		by_day=by_day,
		days_in_order=day[by_day],
		position=key * span + (number - base),
		span=span,
		base=base,
	)


def _in_time_order(key: np.ndarray, checkin: np.ndarray) -> bool:
	"""Whether the check-ins of each key (keys sorted) come in time order."""
	return bool(np.all((key[1:] != key[:-1]) | (checkin[1:] >= checkin[:-1])))


def facts_on(
	history: MemberHistory, as_of, windows: list[int] | tuple[int, ...] = (), lapsed_horizon_days: int = 90
) -> pd.DataFrame:
	"""The facts of ``member_facts`` on one date, from a prepared history."""
	as_of = pd.Timestamp(as_of).normalize()
	every = history.cards
	key = every["_key"].to_numpy()
	begun = every["start_date"].to_numpy() <= as_of.to_datetime64()
	started = np.flatnonzero(begun)
	newest = np.ones(len(started), dtype=bool)
	newest[:-1] = key[started[1:]] != key[started[:-1]]
	horizon = (as_of - pd.Timedelta(days=lapsed_horizon_days)).to_datetime64()
	picked = started[newest]
	cards = every.iloc[picked[every["end_date"].to_numpy()[picked] >= horizon]]
	columns = ["_key", "member", "membership", "club", "department", "start_date", "end_date"]
	facts = cards[[*columns, "frozen_from", "frozen_until"]].reset_index(drop=True)
	facts["frozen"] = _frozen_on(cards, as_of)
	ahead = ~begun
	sold_ahead = pd.Series(every["end_date"].to_numpy()[ahead]).groupby(key[ahead]).max()
	paid_until = facts["_key"].map(sold_ahead)
	paid_until = paid_until.where(paid_until > facts["end_date"], facts["end_date"])
	facts["days_since_start"] = (as_of - facts["start_date"]).dt.days
	facts["days_to_end"] = (paid_until - as_of).dt.days
	facts["renewed"] = cards["renews"].fillna("").astype(str).ne("").to_numpy()

	seen = history.visits
	judged = facts["_key"].to_numpy(dtype=np.int64)
	facts["last_visit"] = _last_visits(seen, judged, as_of)
	anchor = facts["last_visit"].dt.normalize().fillna(facts["start_date"])
	away = (as_of - anchor).dt.days - _frozen_overlap(facts, anchor, as_of)
	# a member who has not come yet is judged from the start of the card
	facts["days_since_last_visit"] = away.fillna(NO_VISIT_DAYS).astype(int)

	gaps = _window_gaps(seen, facts, as_of, max(windows, default=0))
	for window in sorted(set(windows)):
		recent = gaps[gaps["day"] > as_of - pd.Timedelta(days=window)]
		at = recent["_key"].to_numpy()
		longest = np.zeros(len(seen.first), dtype=np.int64)
		np.maximum.at(longest, at, recent["gap"].to_numpy(dtype=np.int64))
		facts[f"visits_{window}"] = np.bincount(at, minlength=len(seen.first))[judged].astype(int)
		facts[f"returned_{window}"] = longest[judged].astype(int)

	if history.starter_done is not None:
		facts["starter_completed"] = facts["member"].map(history.starter_done).astype("boolean")
	else:
		facts["starter_completed"] = pd.array([pd.NA] * len(facts), dtype="boolean")
	return facts.drop(columns="_key")


def _last_visits(seen: _KeyedVisits, judged: np.ndarray, as_of: pd.Timestamp) -> np.ndarray:
	"""The last check-in of each judged key on or before the date (NaT: none)."""
	offset = (as_of.to_datetime64().astype("datetime64[D]").astype(np.int64)) - seen.base
	offset = min(max(offset, -1), seen.span - 1)
	upto = np.searchsorted(seen.position, judged * seen.span + offset, side="right")
	found = upto > seen.first[judged]
	last = np.full(len(judged), np.datetime64("NaT"), dtype="datetime64[ns]")
	last[found] = seen.checkin[upto[found] - 1]
	return last


def _window_gaps(seen: _KeyedVisits, facts: pd.DataFrame, as_of: pd.Timestamp, window: int) -> pd.DataFrame:
	"""The visit days of the last ``window`` days on each judged card (_key, day) with the days of
	absence before each (frozen days left out); only the card's own visits since its start count,
	one a day where the card takes visits from several clubs."""
	since = (as_of - pd.Timedelta(days=window)).to_datetime64()
	lo, hi = np.searchsorted(seen.days_in_order, [since, as_of.to_datetime64()], side="right")
	rows = seen.by_day[lo:hi]
	size = len(seen.first)
	judged = np.zeros(size, dtype=bool)
	judged[facts["_key"].to_numpy()] = True
	rows = rows[judged[seen.key[rows]]]
	# a card of no club, or a member's second card, takes visits from several clubs: one visit day each
	several = facts["member"].duplicated(keep=False).to_numpy()
	mixed = _by_key(facts, facts["club"].isna().to_numpy() | several, size, False)
	rows = rows[~(seen.repeat[rows] & mixed[seen.key[rows]])]
	key = seen.key[rows]
	start = _by_key(facts, facts["start_date"].to_numpy(dtype="datetime64[ns]"), size, np.datetime64("NaT"))
	start = start[key]
	keep = seen.day[rows] >= start
	rows, key, start = rows[keep], key[keep], start[keep]
	previous = np.where(mixed[key], seen.previous_daily[rows], seen.previous[rows])
	previous = np.where(np.isnat(previous) | (previous < start), start, previous)
	day = seen.day[rows]
	gap = (day - previous) // np.timedelta64(1, "D")
	if facts["frozen_from"].notna().any():
		freeze = pd.DataFrame(
			{
				column: _by_key(facts, facts[column].to_numpy(), size, np.datetime64("NaT"))[key]
				for column in ("frozen_from", "frozen_until")
			}
		)
		gap = gap - _frozen_overlap(freeze, pd.Series(previous), pd.Series(day)).to_numpy()
	return pd.DataFrame({"_key": key, "day": day, "gap": gap})


def _by_key(facts: pd.DataFrame, values: np.ndarray, size: int, missing) -> np.ndarray:
	"""A value of each judged card, looked up by card key (``missing`` for keys not judged)."""
	out = np.full(size, missing, dtype=values.dtype)
	out[facts["_key"].to_numpy()] = values
	return out


def _frozen_on(cards: pd.DataFrame, as_of: pd.Timestamp) -> np.ndarray:
	"""Cards frozen on the date: inside their freeze, or marked Frozen with no freeze dates."""
	inside = (cards["frozen_from"] <= as_of) & (cards["frozen_until"] > as_of)
	marked = (cards["status"] == "Frozen") & cards["frozen_from"].isna()
	return (inside | marked).fillna(False).to_numpy(dtype=bool)


def _frozen_overlap(facts: pd.DataFrame, since: pd.Series, until) -> pd.Series:
	"""Days of each card's freeze between ``since`` and ``until`` (a day or a Series of days)."""
	until = until if isinstance(until, pd.Series) else pd.Series(until, index=facts.index)
	start = since.where(since > facts["frozen_from"], facts["frozen_from"])
	end = until.where(until < facts["frozen_until"], facts["frozen_until"])
	return (end - start).dt.days.clip(lower=0).fillna(0).astype(int)


def _card_visits(seen: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
	"""Visit days of each card key (_key, member, checkin, day): the visits of the key's club.

	Most members hold cards in one club: their visits are mapped to it; the few with cards in two
	clubs are joined card by card."""
	several = facts["member"].duplicated(keep=False)
	merged = _single_card_visits(seen, facts[~several])
	if several.any():
		cards = facts.loc[several, ["_key", "member", "club"]].rename(columns={"club": "_card_club"})
		merged = pd.concat([merged, seen.merge(cards, on="member")], ignore_index=True)
	if "club" not in merged:
		return merged
	card_club, club = merged["_card_club"], merged["club"]
	same = (card_club.isna() | club.isna() | (club == card_club)).to_numpy()
	return merged[same] if not same.all() else merged


def _single_card_visits(seen: pd.DataFrame, one: pd.DataFrame) -> pd.DataFrame:
	"""Visits of members with one judged card, with its key and club (members coded as whole
	numbers, as the CLI does, are looked up by position, without copying the visits twice)."""
	if not (pd.api.types.is_integer_dtype(seen["member"]) and pd.api.types.is_integer_dtype(one["member"])):
		by_member = one.set_index("member")
		rows = seen[seen["member"].isin(by_member.index)]
		return rows.assign(
			_key=rows["member"].map(by_member["_key"]), _card_club=rows["member"].map(by_member["club"])
		)
	members = seen["member"].to_numpy()
	size = int(max(members.max(initial=-1), one["member"].to_numpy().max(initial=-1))) + 1
	key = np.full(size, -1, dtype=np.int64)
	key[one["member"].to_numpy()] = one["_key"].to_numpy()
	found = key[members] >= 0
	members = members[found]
	columns = {"_key": key[members], "member": members}
	columns.update({c: seen[c].to_numpy()[found] for c in seen.columns if c != "member"})
	if "club" in seen:
		numeric = pd.api.types.is_numeric_dtype(one["club"])
		club = np.full(size, np.nan, dtype=float if numeric else object)
		club[one["member"].to_numpy()] = one["club"].to_numpy(dtype=float if numeric else object)
		columns["_card_club"] = club[members]
	return pd.DataFrame(columns)


def _effective(memberships: pd.DataFrame) -> pd.DataFrame:
	"""Cards with the optional columns filled and their real end: frozen days added, cancellation cut."""
	cards = memberships.copy()
	for column in ("department", "renews", "status", "club"):
		if column not in cards:
			cards[column] = None
	frozen = pd.Series(pd.to_numeric(cards.get("frozen_days", 0), errors="coerce"), index=cards.index)
	end = pd.to_datetime(cards["end_date"]) + pd.to_timedelta(frozen.fillna(0), unit="D")
	if "cancelled_on" in cards:
		cancelled = pd.to_datetime(cards["cancelled_on"])
		end = end.where(cancelled.isna() | (cancelled > end), cancelled)
	cards["start_date"] = pd.to_datetime(cards["start_date"]).dt.normalize()
	cards["end_date"] = end.dt.normalize()
	# a freeze runs from its first day for the frozen days
	frozen_from = cards["frozen_from"] if "frozen_from" in cards else pd.Series(pd.NaT, index=cards.index)
	cards["frozen_from"] = pd.to_datetime(frozen_from).dt.normalize()
	cards["frozen_until"] = cards["frozen_from"] + pd.to_timedelta(frozen.fillna(0), unit="D")
	return cards


def visit_days(visits: pd.DataFrame) -> pd.DataFrame:
	"""Visits reduced to one row per member, club and day (member, [club,] checkin, day), sorted: read
	once, segment often."""
	keys = ["member", "club"] if "club" in visits else ["member"]
	frame = visits[[*keys, "checkin"]].copy()
	frame["checkin"] = pd.to_datetime(frame["checkin"])
	frame["day"] = frame["checkin"].dt.normalize()
	if not _in_member_order(frame):
		frame = frame.sort_values(["member", "checkin"])
	if frame["member"].hasnans or frame["day"].hasnans:
		return frame.drop_duplicates([*keys, "day"], keep="last").reset_index(drop=True)
	# visits repeat a day only within a member's day: the rest need no hashing
	member, day = frame["member"].to_numpy(), frame["day"].to_numpy()
	same_day = (member[1:] == member[:-1]) & (day[1:] == day[:-1])
	crowded = np.zeros(len(frame), dtype=bool)
	crowded[1:] |= same_day
	crowded[:-1] |= same_day
	keep = ~crowded
	keep[crowded] = ~frame[crowded].duplicated([*keys, "day"], keep="last").to_numpy()
	return frame[keep].reset_index(drop=True)


def _in_member_order(frame: pd.DataFrame) -> bool:
	"""Whether the visits come sorted by member and time already (exports usually do)."""
	member, checkin = frame["member"].to_numpy(), frame["checkin"].to_numpy()
	if member.dtype.kind not in "iu" or len(member) < 2:
		return False
	later = member[1:] > member[:-1]
	return bool(np.all(later | ((member[1:] == member[:-1]) & (checkin[1:] >= checkin[:-1]))))


def segment(facts: pd.DataFrame, rules: list[StageRule] | tuple[StageRule, ...]) -> pd.Series:
	"""The stage of each member (aligned with ``facts``): the first rule in order that matches."""
	problems = rule_problems(rules)
	if problems:
		raise RuleError("; ".join(problems))
	stage = pd.Series(OTHER, index=facts.index, dtype=object)
	undecided = np.ones(len(facts), dtype=bool)
	for rule in sorted(rules, key=lambda r: r.order):
		if rule.stage == OTHER:
			continue
		hit = undecided & _matches(facts, rule)
		stage[hit] = rule.stage
		undecided &= ~hit
	return stage


def _matches(facts: pd.DataFrame, rule: StageRule) -> np.ndarray:
	hit = np.ones(len(facts), dtype=bool)
	bounds = {
		"days_since_start": facts["days_since_start"],
		"days_to_end": facts["days_to_end"],
		"days_since_last_visit": facts["days_since_last_visit"],
	}
	if rule.visit_window_days:
		bounds["visits"] = _window_column(facts, "visits", rule.visit_window_days)
		bounds["returned_after_days"] = _window_column(facts, "returned", rule.visit_window_days)
	for name, values in bounds.items():
		low = getattr(rule, f"{name}_min", None)
		high = getattr(rule, f"{name}_max", None)
		if low is not None:
			hit &= (values >= low).to_numpy()
		if high is not None:
			hit &= (values <= high).to_numpy()
	if rule.starter_completed is not None:
		# a member who owes no starter package has nothing in progress
		completed = facts["starter_completed"].fillna(True).astype(bool)
		hit &= (completed == rule.starter_completed).to_numpy()
	if rule.renewed is not None:
		hit &= (facts["renewed"].astype(bool) == rule.renewed).to_numpy()
	if rule.days_since_last_visit_min is not None or rule.returned_after_days_min is not None:
		# a frozen card is not absence
		hit &= ~facts["frozen"].astype(bool).to_numpy() if "frozen" in facts else True
	return hit


def _window_column(facts: pd.DataFrame, kind: str, window: int) -> pd.Series:
	column = f"{kind}_{window}"
	if column not in facts:
		raise KeyError(f"member facts lack {column}: pass the window {window} to member_facts")
	return facts[column]


def windows_of(rules) -> list[int]:
	"""The visit windows the rules count over."""
	return sorted({r.visit_window_days for r in rules if r.visit_window_days})


def segment_members(
	memberships: pd.DataFrame,
	visits: pd.DataFrame,
	starter: pd.DataFrame | None,
	as_of,
	rules=PRESET_RULES,
	lapsed_horizon_days: int = 90,
) -> pd.DataFrame:
	"""Member facts with their stage; raises RuleError when the rules cannot decide."""
	problems = rule_problems(rules)
	if problems:
		raise RuleError("; ".join(problems))
	facts = member_facts(memberships, visits, starter, as_of, windows_of(rules), lapsed_horizon_days)
	facts["stage"] = segment(facts, rules)
	return facts


def stage_counts(
	segmented: pd.DataFrame, by: list[str] | None = None, stages: list[str] | None = None
) -> pd.DataFrame:
	"""Count and share of members per stage (and per ``by`` columns); ``stages`` fixes the row order."""
	by = list(by or [])
	counts = segmented.groupby([*by, "stage"], dropna=False).size().rename("members").reset_index()
	totals = counts.groupby(by, dropna=False)["members"].transform("sum") if by else counts["members"].sum()
	counts["share"] = counts["members"] / totals
	if stages:
		rank = {name: i for i, name in enumerate([*stages, OTHER])}
		counts["_rank"] = counts["stage"].map(rank).fillna(len(rank))
		counts = counts.sort_values([*by, "_rank"]).drop(columns="_rank")
	return counts.reset_index(drop=True)


def transitions(previous: pd.DataFrame, current: pd.DataFrame, on) -> pd.DataFrame:
	"""Members whose stage changed (or who are new to the base): member, from_stage, to_stage, date.

	``previous`` and ``current`` have columns member and stage, and club when a member's cards in
	each club have their own stage; a member new to the base comes from no stage (None).
	"""
	by_club = "club" in previous and "club" in current
	keys = _stage_keys(previous, by_club)
	before = pd.Series(previous["stage"].to_numpy(), index=keys)[~keys.duplicated(keep="last")]
	now = current[["member", "stage"]].copy()
	now["from_stage"] = before.reindex(_stage_keys(current, by_club)).to_numpy()
	changed = now[now["from_stage"].isna() | (now["from_stage"] != now["stage"])]
	out = changed.rename(columns={"stage": "to_stage"})[["member", "from_stage", "to_stage"]]
	out["from_stage"] = out["from_stage"].astype(object).where(out["from_stage"].notna(), None)
	out["date"] = pd.Timestamp(on).normalize()
	return out.reset_index(drop=True)


def _stage_keys(frame: pd.DataFrame, by_club: bool) -> pd.Index:
	"""A member's stage is kept per club when the frames say the club."""
	if not by_club:
		return pd.Index(frame["member"])
	club = frame["club"]
	club = club.fillna(-1) if pd.api.types.is_numeric_dtype(club) else club.fillna("")
	return pd.MultiIndex.from_arrays([frame["member"], club])


# at-risk dates


def at_risk_dates(facts: pd.DataFrame, as_of, days: int | pd.Series = DEFAULT_AT_RISK_DAYS) -> pd.DataFrame:
	"""PushPress's model: the at-risk date is the last visit (or the card's start) plus ``days``.

	Every visit pushes the date forward, and so does a freeze (by its days after the last visit); a
	card frozen on the date has no at-risk date. ``days`` may be a number for the club, a Series
	aligned with ``facts`` or a Series by member (a learned threshold). Returns member,
	at_risk_date, at_risk (the date has passed on a card that has not ended).
	"""
	as_of = pd.Timestamp(as_of).normalize()
	anchor = facts["last_visit"].dt.normalize().fillna(facts["start_date"])
	anchor = anchor.where(anchor >= facts["start_date"], facts["start_date"])
	if not isinstance(days, pd.Series):
		threshold = pd.Series(days, index=facts.index)
	elif days.index.equals(facts.index):
		threshold = days
	else:
		threshold = facts["member"].map(days)
	threshold = threshold.fillna(DEFAULT_AT_RISK_DAYS).astype(int)
	date = anchor + pd.to_timedelta(threshold, unit="D")
	if "frozen_from" in facts:
		starts_before = facts["frozen_from"] < date
		pushed = _frozen_overlap(facts, anchor, pd.Series(pd.Timestamp("2262-01-01"), index=facts.index))
		date = date + pd.to_timedelta(pushed.where(starts_before, 0), unit="D")
	frozen = facts["frozen"].astype(bool) if "frozen" in facts else pd.Series(False, index=facts.index)
	date = date.where(~frozen)
	live = facts["end_date"] >= as_of
	return pd.DataFrame(
		{"member": facts["member"], "at_risk_date": date, "at_risk": (date < as_of).fillna(False) & live}
	)


def learn_at_risk_days(
	memberships: pd.DataFrame,
	visits: pd.DataFrame,
	as_of,
	churn_odds: float = 0.5,
	min_days: int = 7,
	max_days: int = 60,
	min_absences: int = 30,
) -> int:
	"""The club's own threshold: the shortest absence after which most members never came back.

	From the history: every absence between two visits (the member came back) and every final
	absence from the last visit to the end of a card that was not renewed (the member left). For d
	days, the odds of leaving are final absences of at least d over all absences of at least d;
	the threshold is the smallest d at which they reach ``churn_odds``. With fewer than
	``min_absences`` final absences the default of 14 days stands.
	"""
	as_of = pd.Timestamp(as_of).normalize()
	cards = _effective(memberships)
	ended = cards[(cards["end_date"] < as_of) & ~_renewed_cards(cards)]
	seen = visits if "day" in visits else visit_days(visits)
	days = seen.loc[seen["day"] <= as_of, ["member", "day"]]
	returns = days.groupby("member")["day"].diff().dt.days.dropna().to_numpy()
	last = days.groupby("member")["day"].max()
	final_end = ended.groupby("member")["end_date"].max()
	still = set(cards.loc[cards["end_date"] >= as_of, "member"])
	final_end = final_end[~final_end.index.isin(still)]
	last_of = pd.to_datetime(pd.Series(final_end.index, index=final_end.index).map(last))
	finals = (final_end - last_of).dt.days.dropna()
	finals = finals[finals >= 0].to_numpy()
	if len(finals) < min_absences:
		return DEFAULT_AT_RISK_DAYS
	for d in range(min_days, max_days + 1):
		left = (finals >= d).sum()
		total = left + (returns >= d).sum()
		if total and left / total >= churn_odds:
			return d
	return max_days


def _renewed_cards(cards: pd.DataFrame) -> pd.Series:
	"""Cards that another card renews (ids compared as text)."""
	membership, renews = cards["membership"], cards["renews"].dropna()
	if _arrow_text(membership) and _arrow_text(renews):
		import pyarrow as pa
		import pyarrow.compute as pc

		# Arrow text as read: matched in Arrow, without a Python string per id
		found = pc.is_in(pa.array(membership.array), value_set=pa.array(renews.array))
		return pd.Series(found.to_numpy(zero_copy_only=False), index=cards.index)
	return membership.astype(str).isin(set(renews.astype(str)))


def _arrow_text(values: pd.Series) -> bool:
	return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


# statistics of passage


def period_of(dates: pd.Series, period: str) -> pd.Series:
	"""The period start (Monday of the week, first day of the month or quarter) of each date."""
	freq = PERIODS[period]
	return pd.to_datetime(dates).dt.to_period(freq).dt.start_time


def stage_flows(moves: pd.DataFrame, period: str, stages: list[str] | None = None) -> pd.DataFrame:
	"""Entries into and exits from each stage per period: period, stage, entries, exits, net."""
	moves = moves.assign(period=period_of(moves["date"], period))
	entries = moves.groupby(["period", "to_stage"]).size().rename("entries")
	entries.index = entries.index.set_names(["period", "stage"])
	left = moves[moves["from_stage"].notna()]
	exits = left.groupby(["period", "from_stage"]).size().rename("exits")
	exits.index = exits.index.set_names(["period", "stage"])
	flows = pd.concat([entries, exits], axis=1).fillna(0).astype(int).reset_index()
	flows["net"] = flows["entries"] - flows["exits"]
	if stages:
		rank = {name: i for i, name in enumerate([*stages, OTHER])}
		flows["_rank"] = flows["stage"].map(rank).fillna(len(rank))
		flows = flows.sort_values(["period", "_rank"]).drop(columns="_rank")
	return flows.reset_index(drop=True)


def path_passage(moves: pd.DataFrame, path: list[str], period: str) -> pd.DataFrame:
	"""Per period: moves between stages, those that follow the standard path, and their share.

	A move follows the path when it goes from a stage of the path to the next stage of the path.
	"""
	moves = moves[moves["from_stage"].notna()]
	following = dict(pairwise(path))
	on_path = moves["from_stage"].map(following).eq(moves["to_stage"])
	frame = moves.assign(period=period_of(moves["date"], period), on_path=on_path)
	out = frame.groupby("period").agg(moves=("on_path", "size"), on_path=("on_path", "sum")).reset_index()
	out["on_path"] = out["on_path"].astype(int)
	out["share"] = out["on_path"] / out["moves"]
	return out


def stage_stays(moves: pd.DataFrame, as_of) -> pd.DataFrame:
	"""Each stay of a member in a stage: member, stage, entered, left (NaT while in it), days, ended."""
	as_of = pd.Timestamp(as_of).normalize()
	moves = moves.sort_values(["member", "date"], kind="stable")
	left = moves.groupby("member")["date"].shift(-1)
	stays = pd.DataFrame(
		{
			"member": moves["member"].to_numpy(),
			"stage": moves["to_stage"].to_numpy(),
			"entered": pd.to_datetime(moves["date"]).to_numpy(),
			"left": pd.to_datetime(left).to_numpy(),
		}
	)
	stays["ended"] = stays["left"].notna()
	stays["days"] = (stays["left"].fillna(as_of) - stays["entered"]).dt.days
	return stays


def time_in_stage(moves: pd.DataFrame, as_of) -> pd.DataFrame:
	"""Per stage: finished stays, their mean and median days, and members in it now (open stays)."""
	stays = stage_stays(moves, as_of)
	done = stays[stays["ended"]]
	out = done.groupby("stage")["days"].agg(stays="size", mean_days="mean", median_days="median")
	out = out.reindex(sorted(set(stays["stage"])))
	out["in_stage_now"] = stays[~stays["ended"]].groupby("stage").size()
	out = out.fillna({"stays": 0, "in_stage_now": 0})
	return out.astype({"stays": int, "in_stage_now": int}).reset_index()


# goals


GOALS = (
	"renewal_share",
	"starter_completion_share",
	"starter_services_delivered_share",
	"starter_to_pt_conversion",
	"reactivated_share",
)


@dataclass
class GoalInputs:
	"""The records the goals count, all optional columns beyond those named.

	memberships: membership, member, end_date, renews (and cancelled_on, frozen_days);
	packages: member, start_date, completed (bool), pt_sale (bool: a PT sale followed);
	services: member, department, due_date, delivered (bool);
	moves: member, from_stage, to_stage, date (the lifecycle transitions).
	"""

	memberships: pd.DataFrame
	packages: pd.DataFrame = field(default_factory=pd.DataFrame)
	services: pd.DataFrame = field(default_factory=pd.DataFrame)
	moves: pd.DataFrame = field(default_factory=pd.DataFrame)
	inactive: str = "Inactive"
	reactivated: str = "Reactivated"


def goal_values(data: GoalInputs, period: str, until=None) -> pd.DataFrame:
	"""Per period (up to the one holding ``until``) and goal: numerator, denominator and value.

	The value is a share, None when there is nothing to count.

	* renewal_share: cards ending in the period that another card renews, over cards ending in it;
	* starter_completion_share: starter packages begun in the period and completed, over begun;
	* starter_services_delivered_share: services due in the period delivered, over due (also per
	  department in ``department_service_shares``);
	* starter_to_pt_conversion: packages begun in the period that led to a PT sale, over those with
	  a service delivered (or completed);
	* reactivated_share: moves Inactive -> Reactivated in the period, over entries into Inactive in it.
	"""
	parts = []
	cards = _effective(data.memberships)
	if len(cards):
		ending = cards.assign(period=period_of(cards["end_date"], period))
		ending["hit"] = _renewed_cards(cards).to_numpy()
		parts.append(_ratio(ending, "renewal_share"))
	packages = data.packages
	if len(packages):
		begun = packages.assign(period=period_of(packages["start_date"], period))
		parts.append(_ratio(begun.assign(hit=begun["completed"].astype(bool)), "starter_completion_share"))
		if "pt_sale" in begun:
			served = begun
			if len(data.services):
				delivered = set(data.services.loc[data.services["delivered"].astype(bool), "member"])
				served = begun[begun["member"].isin(delivered) | begun["completed"].astype(bool)]
			parts.append(
				_ratio(served.assign(hit=served["pt_sale"].astype(bool)), "starter_to_pt_conversion")
			)
	services = data.services
	if len(services):
		due = services.assign(period=period_of(services["due_date"], period))
		parts.append(
			_ratio(due.assign(hit=due["delivered"].astype(bool)), "starter_services_delivered_share")
		)
	moves = data.moves
	if len(moves):
		moved = moves.assign(period=period_of(moves["date"], period))
		entered = moved[moved["to_stage"] == data.inactive].groupby("period").size()
		back = moved[(moved["from_stage"] == data.inactive) & (moved["to_stage"] == data.reactivated)]
		back = back.groupby("period").size()
		frame = pd.concat([back.rename("numerator"), entered.rename("denominator")], axis=1).fillna(0)
		frame = frame.astype(int).reset_index().rename(columns={"index": "period"})
		frame["goal"] = "reactivated_share"
		parts.append(frame)
	if not parts:
		return pd.DataFrame(columns=["period", "goal", "numerator", "denominator", "value"])
	out = pd.concat(parts, ignore_index=True)
	if until is not None:
		out = out[out["period"] <= pd.Timestamp(until)]
	out["value"] = (out["numerator"] / out["denominator"].replace(0, np.nan)).astype(object)
	out["value"] = out["value"].where(pd.notna(out["value"]), None)
	return (
		out[["period", "goal", "numerator", "denominator", "value"]]
		.sort_values(["goal", "period"])
		.reset_index(drop=True)
	)


def _ratio(frame: pd.DataFrame, goal: str) -> pd.DataFrame:
	grouped = frame.groupby("period")["hit"].agg(numerator="sum", denominator="size").reset_index()
	grouped["numerator"] = grouped["numerator"].astype(int)
	grouped["goal"] = goal
	return grouped


def department_service_shares(services: pd.DataFrame, period: str) -> pd.DataFrame:
	"""Starter services due and delivered per period and department, with the delivered share."""
	due = services.assign(
		period=period_of(services["due_date"], period), hit=services["delivered"].astype(bool)
	)
	out = due.groupby(["period", "department"])["hit"].agg(delivered="sum", due="size").reset_index()
	out["delivered"] = out["delivered"].astype(int)
	out["share"] = out["delivered"] / out["due"]
	return out


def goals_against_targets(values: pd.DataFrame, targets: pd.DataFrame | None = None) -> pd.DataFrame:
	"""Goal values with their target, the gap, whether reached, the reference point and the trend.

	``targets`` has columns goal, target and optionally period (a target without a period holds for
	every period). The reference point is the goal's value in the previous period; the trend is
	the change from it.
	"""
	out = values.sort_values(["goal", "period"]).copy()
	numeric = pd.to_numeric(out["value"], errors="coerce")
	out["reference"] = numeric.groupby(out["goal"]).shift()
	out["trend"] = numeric - out["reference"]
	out["target"] = np.nan
	if targets is not None and len(targets):
		general = targets[targets.get("period", pd.Series(index=targets.index, dtype=object)).isna()]
		out["target"] = out["goal"].map(general.set_index("goal")["target"]) if len(general) else np.nan
		if "period" in targets:
			specific = targets[targets["period"].notna()].assign(period=lambda t: pd.to_datetime(t["period"]))
			keyed = specific.set_index(["goal", "period"])["target"]
			exact = pd.Series(
				[keyed.get((g, p), np.nan) for g, p in zip(out["goal"], out["period"], strict=True)],
				index=out.index,
			)
			out["target"] = exact.fillna(out["target"])
	out["gap"] = numeric - out["target"]
	out["reached"] = (numeric >= out["target"]).where(out["target"].notna() & numeric.notna())
	return out.reset_index(drop=True)


def days_away(last_visit: pd.Series, frozen_from: pd.Series, frozen_days: pd.Series, today) -> pd.Series:
	"""Days since the last visit less the days of a freeze in between (a card frozen today: NaN)."""
	today = pd.Timestamp(today).normalize()
	last = pd.to_datetime(last_visit).dt.normalize()
	freeze = pd.DataFrame({"frozen_from": pd.to_datetime(frozen_from).dt.normalize()})
	freeze["frozen_until"] = freeze["frozen_from"] + pd.to_timedelta(
		pd.to_numeric(frozen_days, errors="coerce").fillna(0), unit="D"
	)
	away = (today - last).dt.days - _frozen_overlap(freeze, last, today)
	frozen_now = (freeze["frozen_from"] <= today) & (freeze["frozen_until"] > today)
	return away.where(~frozen_now)
