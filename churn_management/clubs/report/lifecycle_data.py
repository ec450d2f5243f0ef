# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What the lifecycle reports read, set-based, limited to the clubs the user may see."""

import pandas as pd

import frappe
from frappe.utils import getdate

from churn_management.analytics.lifecycle.segmentation import (
	STANDARD_PATH_DEFAULT,
	segment_members,
	windows_of,
)
from churn_management.clubs.api.club_visits import permitted_clubs
from churn_management.clubs.club_data import (
	LAPSED_HORIZON_DAYS,
	read_cards,
	read_starter,
	read_visits,
)
from churn_management.clubs.doctype.club_membership.club_membership import default_standard
from churn_management.clubs.doctype.lifecycle_goal_target.lifecycle_goal_target import GOAL_KEYS
from churn_management.clubs.doctype.lifecycle_stage.lifecycle_stage import get_rules

PERIODICITIES = ("Weekly", "Monthly", "Quarterly")


def visible_clubs(filters) -> set[str] | None:
	"""The clubs the report may show: the filter's club within the user's permitted clubs."""
	allowed = permitted_clubs()
	if filters.get("club"):
		return {filters.club} & allowed if allowed is not None else {filters.club}
	return allowed


def cards_for(filters) -> pd.DataFrame:
	cards = read_cards()
	clubs = visible_clubs(filters)
	if clubs is not None:
		cards = cards[cards["club"].isin(clubs)]
	if filters.get("department"):
		cards = cards[cards["department"] == filters.department]
	return cards


def segment_on(as_of, filters) -> pd.DataFrame:
	"""Every visible member's stage on a date, as the nightly job would set it."""
	as_of = pd.Timestamp(getdate(as_of))
	rules = get_rules()
	cards = cards_for(filters)
	if cards.empty:
		return pd.DataFrame(columns=["member", "membership", "club", "department", "stage"])
	visits = read_visits(as_of, max(windows_of(rules) or [1]))
	return segment_members(cards, visits, read_starter(), as_of, rules, LAPSED_HORIZON_DAYS)


def stage_order() -> list[str]:
	stage = frappe.qb.DocType("Lifecycle Stage")
	return [r[0] for r in frappe.qb.from_(stage).select(stage.name).orderby(stage.stage_order).run()]


def read_transitions(filters, until=None) -> pd.DataFrame:
	"""Lifecycle Transitions of visible clubs up to a date: member, from_stage, to_stage, date."""
	move = frappe.qb.DocType("Lifecycle Transition")
	query = frappe.qb.from_(move).select(move.member, move.from_stage, move.to_stage, move.transition_date)
	if until:
		query = query.where(move.transition_date <= getdate(until))
	clubs = visible_clubs(filters)
	if clubs is not None:
		query = query.where(move.club.isin(sorted(clubs) or [""]))
	frame = pd.DataFrame(query.run(), columns=["member", "from_stage", "to_stage", "date"])
	frame["date"] = pd.to_datetime(frame["date"])
	frame["from_stage"] = frame["from_stage"].astype(object).where(frame["from_stage"].notna(), None)
	return frame


def standard_path(club: str | None = None) -> list[str]:
	"""The stages of the standard in the order of its steps (the ideal path)."""
	name = default_standard(club)
	if not name:
		return list(STANDARD_PATH_DEFAULT)
	step = frappe.qb.DocType("Lifecycle Standard Step")
	stages = [
		r[0]
		for r in frappe.qb.from_(step)
		.select(step.stage)
		.where((step.parent == name) & (step.off_path == 0))
		.orderby(step.idx)
		.run()
	]
	return list(dict.fromkeys(stages))


def read_starter_services(filters) -> pd.DataFrame:
	"""Starter services of visible clubs: member, membership, start_date, department, due_date, delivered, pt_sale."""
	completion = frappe.qb.DocType("Starter Package Completion")
	card = frappe.qb.DocType("Club Membership")
	query = (
		frappe.qb.from_(completion)
		.join(card)
		.on(card.name == completion.membership)
		.select(
			completion.member,
			completion.membership,
			card.start_date,
			completion.department,
			completion.due_date,
			completion.status,
			completion.pt_invoice,
		)
	)
	clubs = visible_clubs(filters)
	if clubs is not None:
		query = query.where(card.club.isin(sorted(clubs) or [""]))
	columns = ["member", "membership", "start_date", "department", "due_date", "status", "pt_invoice"]
	frame = pd.DataFrame(query.run(), columns=columns)
	frame["start_date"] = pd.to_datetime(frame["start_date"])
	frame["due_date"] = pd.to_datetime(frame["due_date"])
	frame["delivered"] = frame["status"] == "Delivered"
	frame["pt_sale"] = frame["pt_invoice"].notna()
	return frame


def packages_of(services: pd.DataFrame) -> pd.DataFrame:
	"""One starter package per card: begun on the card's start, completed when all delivered."""
	if services.empty:
		return pd.DataFrame()
	grouped = services.groupby("membership")
	return pd.DataFrame(
		{
			"member": grouped["member"].first(),
			"start_date": grouped["start_date"].first(),
			"completed": grouped["delivered"].all(),
			"pt_sale": grouped["pt_sale"].any(),
		}
	).reset_index(drop=True)


def read_targets(club: str | None = None) -> pd.DataFrame:
	"""The goal targets of the club's standard (shares 0-1, by goal and optional month)."""
	name = default_standard(club)
	columns = ["goal", "target", "period"]
	if not name:
		return pd.DataFrame(columns=columns)
	target = frappe.qb.DocType("Lifecycle Goal Target")
	rows = (
		frappe.qb.from_(target)
		.select(target.goal, target.target, target.period_start)
		.where(target.parent == name)
		.run()
	)
	frame = pd.DataFrame(rows, columns=columns)
	frame["goal"] = frame["goal"].map(GOAL_KEYS)
	frame["target"] = frame["target"].astype(float) / 100
	frame["period"] = pd.to_datetime(frame["period"]).dt.to_period("M").dt.start_time
	return frame
