"""The three lifecycle reports from club exports: segmentation, statistics of passage and goals.

Without a history of transitions (exports rarely have one) the statistics replay the segmentation
week by week over the last ``weeks`` weeks and take the changes between two nights as the moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from churn_management.analytics.exports.club_input import starter_frames
from churn_management.analytics.lifecycle.segmentation import (
	PRESET_RULES,
	STANDARD_PATH_DEFAULT,
	GoalInputs,
	at_risk_dates,
	department_service_shares,
	facts_on,
	goal_values,
	goals_against_targets,
	learn_at_risk_days,
	member_history,
	path_passage,
	segment,
	stage_counts,
	stage_flows,
	time_in_stage,
	transitions,
	visit_days,
	windows_of,
)

GOAL_MONTHS = 12
STANDARD_PATH = STANDARD_PATH_DEFAULT


@dataclass
class LifecycleResult:
	"""Everything the three reports show."""

	as_of: pd.Timestamp
	segmented: pd.DataFrame  # member facts with stage, at_risk_date, at_risk
	segmentation: pd.DataFrame  # stage, members, share
	by_club: pd.DataFrame  # club, stage, members, share
	moves: pd.DataFrame
	flows: dict[str, pd.DataFrame] = field(default_factory=dict)
	passage: dict[str, pd.DataFrame] = field(default_factory=dict)
	stays: pd.DataFrame = field(default_factory=pd.DataFrame)
	goals: pd.DataFrame = field(default_factory=pd.DataFrame)
	departments: pd.DataFrame = field(default_factory=pd.DataFrame)
	at_risk_days: int = 14


def replay_moves(history, rules, dates) -> pd.DataFrame:
	"""Stage changes between consecutive dates; the first date sets where members start."""
	moves = []
	previous = None
	for date in dates:
		current = _segmented(history, date, rules)[["member", "club", "stage"]]
		if previous is not None:
			moves.append(transitions(previous, current, date))
		previous = current
	if not moves:
		return pd.DataFrame(columns=["member", "from_stage", "to_stage", "date"])
	return pd.concat(moves, ignore_index=True)


def _segmented(history, date, rules) -> pd.DataFrame:
	"""The member facts on the date with their stage."""
	facts = facts_on(history, date, windows_of(rules))
	facts["stage"] = segment(facts, rules)
	return facts


def lifecycle_report(
	tables: dict[str, pd.DataFrame],
	as_of,
	rules=PRESET_RULES,
	weeks: int = 13,
	learn: bool = True,
	path=STANDARD_PATH,
	progress=None,
) -> LifecycleResult:
	"""Segment on ``as_of``, replay ``weeks`` weeks for the statistics and count the goals."""
	step = progress or (lambda message: None)
	as_of = pd.Timestamp(as_of).normalize()
	# members as whole numbers while segmenting: grouping and sorting text ids costs most of the time
	ids, tables = _encoded(tables)
	clubs, tables = _encoded_clubs(tables)
	memberships = tables["memberships"]
	days = visit_days(tables.pop("visits"))  # the coded check-ins are not needed once reduced to days
	completion, packages, services = starter_frames(tables.get("starter"))
	step("Segmenting the members")
	history = member_history(memberships, days, completion)
	segmented = _segmented(history, as_of, rules)
	threshold = learn_at_risk_days(memberships, days, as_of) if learn else 14
	risk = at_risk_dates(segmented, as_of, threshold)
	segmented = segmented.assign(
		at_risk_date=risk["at_risk_date"].to_numpy(), at_risk=risk["at_risk"].to_numpy()
	)
	stages = [r.stage for r in sorted(rules, key=lambda r: r.order)]
	step(f"Replaying {weeks} weeks of stages")
	dates = [as_of - pd.Timedelta(weeks=k) for k in range(weeks, -1, -1)]
	moves = replay_moves(history, rules, dates)
	flows = {period: stage_flows(moves, period, stages) for period in ("Weekly", "Monthly", "Quarterly")}
	passage = {
		period: path_passage(moves, list(path), period) for period in ("Weekly", "Monthly", "Quarterly")
	}
	step("Counting the goals")
	goals = goal_values(GoalInputs(memberships, packages, services, moves), "Monthly", until=as_of)
	goals = goals[goals["period"] > as_of - pd.DateOffset(months=GOAL_MONTHS)]
	goals = goals_against_targets(goals, tables.get("targets"))
	departments = department_service_shares(services, "Monthly") if len(services) else pd.DataFrame()
	segmented["member"] = ids[segmented["member"].to_numpy()]
	segmented["club"] = _decoded(clubs, segmented["club"])
	moves["member"] = ids[moves["member"].to_numpy(dtype=int)] if len(moves) else moves["member"]
	return LifecycleResult(
		as_of=as_of,
		segmented=segmented,
		segmentation=stage_counts(segmented, stages=stages),
		by_club=stage_counts(segmented, by=["club"], stages=stages),
		moves=moves,
		flows=flows,
		passage=passage,
		stays=time_in_stage(moves, as_of),
		goals=goals,
		departments=departments,
		at_risk_days=threshold,
	)


def _encoded_clubs(tables: dict) -> tuple[np.ndarray, dict]:
	"""Clubs of cards and visits as codes (a missing club stays missing), and the clubs by code:
	each member's cards are judged on their club's visits, matched millions of times."""
	names = [n for n in ("memberships", "visits") if tables.get(n) is not None and "club" in tables[n]]
	if not names:
		return np.array([], dtype=object), tables
	codes, ids = pd.factorize(pd.concat([tables[n]["club"] for n in names], ignore_index=True))
	out, start = dict(tables), 0
	for name in names:
		part = codes[start : start + len(tables[name])]
		start += len(tables[name])
		coded = pd.Series(part, index=tables[name].index, dtype="float64")
		out[name] = tables[name].assign(club=coded.where(coded >= 0))
	return np.asarray(ids, dtype=object), out


def _decoded(ids: np.ndarray, codes: pd.Series) -> pd.Series:
	known = codes.notna()
	out = pd.Series(None, index=codes.index, dtype=object)
	out[known] = ids[codes[known].to_numpy(dtype=int)]
	return out


def _encoded(tables: dict) -> tuple[np.ndarray, dict]:
	"""The tables with member ids replaced by codes, and the ids by code."""
	names = [n for n in ("memberships", "visits", "starter") if tables.get(n) is not None]
	members = pd.concat([tables[n]["member"] for n in names if len(tables[n])], ignore_index=True)
	if not pd.api.types.is_string_dtype(members) or members.hasnans:
		members = members.astype(str)  # ids of several types (or missing) are compared as text
	codes, ids = pd.factorize(members)
	out, start = dict(tables), 0
	for name in names:
		out[name] = tables[name].assign(member=codes[start : start + len(tables[name])])
		start += len(tables[name])
	return np.asarray(ids, dtype=object), out
