# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""What the clubs' members did, read set-based: their cards, their visits and their starter packages.

The nightly segmentation, the lifecycle standard (which learns its at-risk days from the cards) and
the lifecycle reports all read through here.
"""

import pandas as pd

import frappe
from frappe.query_builder.functions import Max

LAST_VISIT_INDEX = "member_club_checkin"  # made by install.setup_lifecycle
LAPSED_HORIZON_DAYS = 90
CARD_COLUMNS = [
	"membership",
	"member",
	"club",
	"department",
	"company",
	"start_date",
	"end_date",
	"frozen_days",
	"frozen_from",
	"status",
	"renews",
	"cancelled_on",
	"lifecycle_stage",
	"stage_since",
	"last_visit",
	"at_risk_date",
	"at_risk",
	"churn_record",
	"price",
	"card_type",
]


def read_cards() -> pd.DataFrame:
	card = frappe.qb.DocType("Club Membership")
	fields = [card.name if c == "membership" else card[c] for c in CARD_COLUMNS]
	frame = pd.DataFrame(frappe.qb.from_(card).select(*fields).run(), columns=CARD_COLUMNS)
	for column in (
		"start_date",
		"end_date",
		"frozen_from",
		"cancelled_on",
		"stage_since",
		"last_visit",
		"at_risk_date",
	):
		frame[column] = pd.to_datetime(frame[column])
	frame["frozen_days"] = frame["frozen_days"].fillna(0).astype(int)
	# a cancellation date counts only on a cancelled card
	frame["cancelled_on"] = frame["cancelled_on"].where(frame["status"] == "Cancelled")
	return frame


def read_visits(as_of: pd.Timestamp, window: int) -> pd.DataFrame:
	"""Visit days in the rules' window, and each member's last visit in each club before it
	(member, club, checkin)."""
	visit = frappe.qb.DocType("Club Visit")
	since = as_of - pd.Timedelta(days=window)
	until = as_of + pd.Timedelta(days=1)
	recent = (
		frappe.qb.from_(visit)
		.select(visit.member, visit.club, visit.checkin)
		.where((visit.checkin >= since.to_pydatetime()) & (visit.checkin < until.to_pydatetime()))
		.run()
	)
	earlier = (
		frappe.qb.from_(visit)
		.select(visit.member, visit.club, Max(visit.checkin))
		.where(visit.checkin < since.to_pydatetime())
		.groupby(visit.member, visit.club)
	)
	if frappe.db.has_index("tabClub Visit", LAST_VISIT_INDEX):
		# a loose scan of the index reads one entry per member and club, not every earlier visit
		earlier = earlier.force_index(LAST_VISIT_INDEX)
	earlier = earlier.run()
	frame = pd.DataFrame(list(recent) + list(earlier), columns=["member", "club", "checkin"])
	frame["checkin"] = pd.to_datetime(frame["checkin"])
	return frame


def read_starter() -> pd.DataFrame:
	"""Per member with a starter package: whether every service was delivered."""
	completion = frappe.qb.DocType("Starter Package Completion")
	rows = frappe.qb.from_(completion).select(completion.member, completion.status).run()
	frame = pd.DataFrame(rows, columns=["member", "status"])
	frame["completed"] = frame["status"] == "Delivered"
	return frame[["member", "completed"]]
