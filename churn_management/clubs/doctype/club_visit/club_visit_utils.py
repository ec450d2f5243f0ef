# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Set-based helpers for visits: which card a visit belongs to, and starter services a visit delivers."""

import pandas as pd

import frappe
from frappe.utils import now_datetime

from churn_management.utils.bulk import select_where_in

CHUNK = 1000


def read_cards(members: list[str]) -> pd.DataFrame:
	"""The cards of these members: membership, member, club, start_date, end (frozen days and cancellation)."""
	columns = ["name", "member", "club", "start_date", "end_date", "frozen_days", "status", "cancelled_on"]
	rows = select_where_in("Club Membership", columns, "member", members)
	frame = pd.DataFrame(
		rows,
		columns=[
			"membership",
			"member",
			"club",
			"start_date",
			"end_date",
			"frozen_days",
			"status",
			"cancelled_on",
		],
	)
	frame["start_date"] = pd.to_datetime(frame["start_date"])
	end = pd.to_datetime(frame["end_date"]) + pd.to_timedelta(
		frame["frozen_days"].fillna(0).astype(int), unit="D"
	)
	cancelled = pd.to_datetime(frame["cancelled_on"]).where(frame["status"] == "Cancelled")
	frame["end"] = end.where(cancelled.isna() | (cancelled > end), cancelled)
	return frame


def assign_cards(visits: pd.DataFrame, cards: pd.DataFrame) -> pd.Series:
	"""For each visit (member, club, checkin), the latest card in that club started by the visit's day."""
	if visits.empty or cards.empty:
		return pd.Series([None] * len(visits), index=visits.index, dtype=object)
	left = visits.assign(_day=visits["checkin"].dt.normalize(), _row=range(len(visits))).sort_values("_day")
	right = cards[["membership", "member", "club", "start_date"]].sort_values("start_date")
	merged = pd.merge_asof(
		left, right, left_on="_day", right_on="start_date", by=["member", "club"], direction="backward"
	)
	cards_of = merged.sort_values("_row")["membership"]
	return pd.Series(cards_of.where(cards_of.notna(), None).to_numpy(), index=visits.index, dtype=object)


def mark_starter_services(visits: pd.DataFrame) -> int:
	"""Pending starter services delivered by a visit: the first visit to the service's department.

	``visits`` has name, membership, department, checkin. Returns how many services were marked.
	"""
	visits = visits[visits["membership"].notna() & visits["department"].notna()]
	if visits.empty:
		return 0
	completion = frappe.qb.DocType("Starter Package Completion")
	memberships = sorted(set(visits["membership"]))
	pending = []
	for start in range(0, len(memberships), CHUNK):
		pending += (
			frappe.qb.from_(completion)
			.select(completion.name, completion.membership, completion.department)
			.where(
				completion.membership.isin(memberships[start : start + CHUNK])
				& (completion.status == "Pending")
				& (completion.marked_by_visit == 1)
			)
			.run()
		)
	if not pending:
		return 0
	owed = pd.DataFrame(pending, columns=["completion", "membership", "department"])
	first = visits.sort_values("checkin").drop_duplicates(["membership", "department"])
	matched = owed.merge(first, on=["membership", "department"])
	now = now_datetime()
	for row in matched.itertuples(index=False):
		(
			frappe.qb.update(completion)
			.set(completion.status, "Delivered")
			.set(completion.delivered_on, row.checkin.date())
			.set(completion.visit, row.name)
			.set(completion.modified, now)
			.where((completion.name == row.completion) & (completion.status == "Pending"))
			.run()
		)
	return len(matched)
