# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The nightly lifecycle segmentation of club members (DOMAIN.md §8).

Read set-based: every card, the visit days of the longest window the stage rules count over,
each member's last visit in each club before that window, and starter-package completion. The
analytics core decides the stage of each member's newest card in each club, on that club's
visits, and the at-risk date (PushPress's model: the last visit plus the at-risk days, pushed
forward by every visit and by a freeze; a frozen card is not absence). Written in bulk: a
Lifecycle Transition only for cards whose stage changed, stage and at-risk fields only where
they changed (cards no longer judged lose theirs), statuses of cards that ended, froze or thawed,
so a second run the same night changes nothing.

A card cancelled, or ended and not renewed within the grace days, is churn: it gets a Churn
Record (voluntary: a prepaid card not bought again is the member's decision; the app's
involuntary churn means unpaid debt, which a prepaid card does not leave).
"""

import pandas as pd

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, nowdate

from churn_management.analytics.lifecycle.segmentation import (
	OTHER,
	at_risk_dates,
	segment_members,
	windows_of,
)
from churn_management.clubs.club_data import (
	LAPSED_HORIZON_DAYS,
	read_cards,
	read_starter,
	read_visits,
)
from churn_management.clubs.doctype.lifecycle_stage.lifecycle_stage import (
	catch_all_stage,
	get_rules,
)
from churn_management.clubs.doctype.lifecycle_standard.lifecycle_standard import (
	at_risk_days_by_club,
)
from churn_management.utils.bulk import insert_rows

CHUNK = 1000
RENEWAL_GRACE_DAYS = 14


def run_nightly() -> None:
	"""Scheduler entry point."""
	segment_clubs()


def segment_clubs(as_of=None, at_risk_days: int | None = None) -> dict:
	"""Bring every member's stage, at-risk date and card status up to date; return what changed."""
	as_of = pd.Timestamp(getdate(as_of or nowdate()))
	other = catch_all_stage()
	rules = get_rules()
	cards = read_cards()
	statuses = update_statuses(cards, as_of)
	if cards.empty:
		frappe.db.commit()  # nosemgrep: a scheduled job ends its own transaction
		return {"members": 0, "transitions": 0, "updated": 0, "statuses": statuses, "churn_records": 0}
	window = max(windows_of(rules) or [1])
	visits = read_visits(as_of, window)
	facts = segment_members(cards, visits, read_starter(), as_of, rules, LAPSED_HORIZON_DAYS)
	facts["stage"] = facts["stage"].replace(OTHER, other)
	risk = at_risk_dates(facts, as_of, at_risk_days or club_at_risk_days(facts))
	facts["at_risk_date"] = risk["at_risk_date"].to_numpy()
	facts["at_risk"] = risk["at_risk"].to_numpy()
	moves = write_transitions(facts, cards, as_of)
	updated = write_member_fields(facts, cards, as_of) + clear_former_cards(facts, cards)
	created = create_churn_records(cards, as_of)
	link_pt_sales()
	frappe.db.commit()  # nosemgrep: a scheduled job ends its own transaction
	return {
		"members": len(facts),
		"transitions": moves,
		"updated": updated,
		"statuses": statuses,
		"churn_records": created,
	}


def club_at_risk_days(facts: pd.DataFrame) -> pd.Series:
	"""Each card's at-risk days (aligned with the facts): its club's standard's, else the default's."""
	own, default = at_risk_days_by_club()
	return facts["club"].map(own).fillna(default).astype(int)


def write_transitions(facts: pd.DataFrame, cards: pd.DataFrame, as_of: pd.Timestamp) -> int:
	"""A Lifecycle Transition for each judged card whose stage differs from the stage the member had
	in its club (on it, or on the card it follows)."""
	staged = cards[cards["lifecycle_stage"].notna()].sort_values(["member", "stage_since", "start_date"])
	staged = staged.assign(_key=_club_keys(staged))
	previous = staged.drop_duplicates("_key", keep="last").set_index("_key")["lifecycle_stage"]
	before = _club_keys(facts).map(previous)
	mask = before.isna() | (before != facts["stage"])
	if not mask.any():
		return 0
	changed = facts[mask].assign(from_stage=before[mask])
	now = now_datetime()
	user = frappe.session.user
	insert_rows(
		"Lifecycle Transition",
		[
			"name",
			"member",
			"membership",
			"club",
			"from_stage",
			"to_stage",
			"transition_date",
			"owner",
			"modified_by",
			"creation",
			"modified",
			"docstatus",
		],
		(
			(
				frappe.generate_hash(length=12),
				row.member,
				row.membership,
				row.club,
				None if pd.isna(row.from_stage) else row.from_stage,
				row.stage,
				as_of.date(),
				user,
				user,
				now,
				now,
				0,
			)
			for row in changed.itertuples(index=False)
		),
		chunk_size=CHUNK * 5,
	)
	return len(changed)


def write_member_fields(facts: pd.DataFrame, cards: pd.DataFrame, as_of: pd.Timestamp) -> int:
	"""Stage, stage date, last visit and at-risk fields on the segmented card, only where they changed."""
	stored = cards.set_index("membership")
	current = facts.set_index("membership")
	old = stored.loc[current.index]
	stage_changed = old["lifecycle_stage"].ne(current["stage"])
	current = current.assign(
		stage_since=old["stage_since"].where(~stage_changed, as_of),
		last_day=current["last_visit"].dt.normalize(),
	)
	differs = (
		stage_changed
		| ~_same(old["last_visit"], current["last_day"])
		| ~_same(old["at_risk_date"], current["at_risk_date"])
		| old["at_risk"].fillna(0).astype(bool).ne(current["at_risk"].astype(bool))
		| ~_same(old["stage_since"], current["stage_since"])
	)
	todo = current[differs].reset_index()
	if todo.empty:
		return 0
	card = frappe.qb.DocType("Club Membership")
	keys = ["stage", "stage_since", "last_day", "at_risk_date", "at_risk"]
	for values, group in todo.groupby(keys, dropna=False):
		stage, since, last, risk_date, at_risk = (None if _missing(v) else v for v in values)
		names = group["membership"].tolist()
		for start in range(0, len(names), CHUNK):
			(
				frappe.qb.update(card)
				.set(card.lifecycle_stage, stage)
				.set(card.stage_since, _date(since))
				.set(card.last_visit, _date(last))
				.set(card.at_risk_date, _date(risk_date))
				.set(card.at_risk, int(bool(at_risk)))
				.where(card.name.isin(names[start : start + CHUNK]))
				.run()
			)
	write_customer_last_visits(todo.assign(member=stored.loc[todo["membership"], "member"].to_numpy()))
	return len(todo)


def write_customer_last_visits(todo: pd.DataFrame) -> None:
	"""The member's latest visit on the Customer, where retention's "member inactive" rules read it."""
	if not frappe.db.has_column("Customer", "last_visit_date"):
		return
	latest = todo.dropna(subset=["last_day"]).groupby("member")["last_day"].max()
	customer = frappe.qb.DocType("Customer")
	for day, members in latest.groupby(latest):
		names = members.index.tolist()
		for start in range(0, len(names), CHUNK):
			(
				frappe.qb.update(customer)
				.set(customer.last_visit_date, _date(day))
				.where(customer.name.isin(names[start : start + CHUNK]))
				.run()
			)


def _club_keys(frame: pd.DataFrame) -> pd.Series:
	return frame["member"].astype(str) + "\x1f" + frame["club"].fillna("").astype(str)


def clear_former_cards(facts: pd.DataFrame, cards: pd.DataFrame) -> int:
	"""Cards no longer judged (followed by a newer card in the club, or out of the base) keep no
	stage nor at-risk mark, so the number cards count what the segmentation report shows."""
	former = cards[
		~cards["membership"].isin(facts["membership"])
		& (cards["lifecycle_stage"].notna() | cards["at_risk"].fillna(0).astype(bool))
	]
	names = former["membership"].tolist()
	card = frappe.qb.DocType("Club Membership")
	for start in range(0, len(names), CHUNK):
		(
			frappe.qb.update(card)
			.set(card.lifecycle_stage, None)
			.set(card.at_risk_date, None)
			.set(card.at_risk, 0)
			.where(card.name.isin(names[start : start + CHUNK]))
			.run()
		)
	return len(names)


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
	a, b = pd.to_datetime(a), pd.to_datetime(b)
	return (a == b) | (a.isna() & b.isna())


def _missing(value) -> bool:
	return value is None or (not isinstance(value, str) and pd.isna(value))


def _date(value):
	return None if _missing(value) else pd.Timestamp(value).date()


def update_statuses(cards: pd.DataFrame, as_of: pd.Timestamp) -> int:
	"""Cards past their end: Renewed when another card renews them, else Expired."""
	end = cards["end_date"] + pd.to_timedelta(cards["frozen_days"], unit="D")
	renewed = set(cards["renews"].dropna())
	live = cards["status"].isin(["Active", "Frozen"])
	is_renewed = cards["membership"].isin(renewed)
	to_renewed = cards[(live | (cards["status"] == "Expired")) & is_renewed]
	to_expired = cards[live & ~is_renewed & (end < as_of)]
	frozen_until = cards["frozen_from"] + pd.to_timedelta(cards["frozen_days"], unit="D")
	in_freeze = (cards["frozen_from"] <= as_of) & (frozen_until > as_of)
	to_frozen = cards[(cards["status"] == "Active") & in_freeze & ~is_renewed & (end >= as_of)]
	to_active = cards[(cards["status"] == "Frozen") & (frozen_until <= as_of) & ~is_renewed & (end >= as_of)]
	card = frappe.qb.DocType("Club Membership")
	moves = (("Renewed", to_renewed), ("Expired", to_expired), ("Frozen", to_frozen), ("Active", to_active))
	for status, group in moves:
		names = group["membership"].tolist()
		for start in range(0, len(names), CHUNK):
			frappe.qb.update(card).set(card.status, status).where(
				card.name.isin(names[start : start + CHUNK])
			).run()
		cards.loc[group.index, "status"] = status
	return sum(len(group) for _status, group in moves)


def churned_cards(cards: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
	"""Cards that are churn and have no churn record yet: cancelled, or expired past the grace days
	with no later card of the member in the club."""
	later = cards.groupby(["member", "club"])["start_date"].transform("max")
	end = cards["end_date"] + pd.to_timedelta(cards["frozen_days"], unit="D")
	cancelled = cards["status"] == "Cancelled"
	expired = (cards["status"] == "Expired") & (end < as_of - pd.Timedelta(days=RENEWAL_GRACE_DAYS))
	newest = cards["start_date"] >= later
	churned = cards[(cancelled | expired) & newest & cards["churn_record"].isna()].copy()
	churned["churn_date"] = churned["cancelled_on"].where(churned["status"] == "Cancelled", end)
	churned["churn_date"] = churned["churn_date"].fillna(end)
	return churned


def create_churn_records(cards: pd.DataFrame, as_of: pd.Timestamp) -> int:
	"""A voluntary Churn Record per churned card, each committed on its own; an open record of the
	member is linked instead of making a second one."""
	churned = churned_cards(cards, as_of)
	if churned.empty:
		return 0
	record = frappe.qb.DocType("Churn Record")
	open_records = dict(
		frappe.qb.from_(record)
		.select(record.customer, record.name)
		.where((record.status == "Open") & record.customer.isin(sorted(set(churned["member"]))))
		.run()
	)
	company = frappe.db.get_single_value("Churn Settings", "default_company")
	created = 0
	for row in churned.itertuples(index=False):
		existing = open_records.get(row.member)
		if existing:
			frappe.db.set_value(
				"Club Membership", row.membership, "churn_record", existing, update_modified=False
			)
			continue
		tenure = (row.churn_date - row.start_date).days / 30.44
		try:
			frappe.db.savepoint("club_churn_record")
			doc = frappe.get_doc(
				{
					"doctype": "Churn Record",
					"customer": row.member,
					"company": row.company or company,
					"churn_date": row.churn_date.date(),
					"churn_kind": "Voluntary",
					"tenure_months": round(max(tenure, 0), 1),
					"tariff": row.card_type,
					"source_doctype": "Club Membership",
					"source_name": row.membership,
				}
			)
			doc.flags.ignore_permissions = True
			doc.insert()
			frappe.db.set_value(
				"Club Membership", row.membership, "churn_record", doc.name, update_modified=False
			)
			open_records[row.member] = doc.name
			frappe.db.commit()  # nosemgrep: one transaction per record
			created += 1
		except frappe.ValidationError:
			frappe.db.rollback(save_point="club_churn_record")
			frappe.log_error(title=_("Churn record for club card {0} failed").format(row.membership))
	return created


def link_pt_sales() -> int:
	"""Delivered starter services followed by a sale of a personal-training item get that invoice."""
	completion = frappe.qb.DocType("Starter Package Completion")
	invoice = frappe.qb.DocType("Sales Invoice")
	line = frappe.qb.DocType("Sales Invoice Item")
	item = frappe.qb.DocType("Item")
	rows = (
		frappe.qb.from_(completion)
		.join(invoice)
		.on(invoice.customer == completion.member)
		.join(line)
		.on(line.parent == invoice.name)
		.join(item)
		.on(item.name == line.item_code)
		.select(completion.name, invoice.name, invoice.posting_date)
		.where(
			(completion.status == "Delivered")
			& completion.pt_invoice.isnull()
			& (invoice.docstatus == 1)
			& (item.is_personal_training == 1)
			& (invoice.posting_date >= completion.delivered_on)
		)
		.run()
	)
	if not rows:
		return 0
	sales = pd.DataFrame(rows, columns=["completion", "invoice", "posting_date"])
	first = sales.sort_values(["posting_date", "invoice"]).drop_duplicates("completion")
	for row in first.itertuples(index=False):
		frappe.qb.update(completion).set(completion.pt_invoice, row.invoice).where(
			completion.name == row.completion
		).run()
	return len(first)
