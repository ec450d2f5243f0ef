# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Who the club task rules call (DOMAIN.md §8): members whose card ends soon, and idle members.

A card with the member's next card in the club already sold is not up for renewal; a disabled
customer gets no call; a frozen card is not absence: nobody is called to come back during a
freeze, and the days frozen do not count as days away.
"""

import pandas as pd

import frappe
from frappe.utils import add_days, cint

from churn_management.analytics.lifecycle.segmentation import days_away
from churn_management.retention.doctype.retention_task.retention_task_utils import to_frame


def renewal_candidates(rule, today) -> pd.DataFrame:
	"""Running cards ending within the rule's days, not renewed in advance, of enabled customers."""
	card = frappe.qb.DocType("Club Membership")
	later = frappe.qb.DocType("Club Membership").as_("later")
	customer = frappe.qb.DocType("Customer")
	rows = (
		frappe.qb.from_(card)
		.join(customer)
		.on(customer.name == card.member)
		.left_join(later)
		.on(
			(later.member == card.member)
			& (later.club == card.club)
			& (later.start_date > card.start_date)
			& (later.status != "Cancelled")
		)
		.select(card.member.as_("customer"), card.company, card.subscription)
		.where(
			(card.status == "Active")
			& (card.end_date >= today)
			& (card.end_date <= add_days(today, cint(rule.days)))
			& (customer.disabled == 0)
			& later.name.isnull()
		)
		.run(as_dict=True)
	)
	return to_frame(rows, ["customer", "company", "subscription"])


def reactivation_candidates(rule, today) -> pd.DataFrame:
	"""Enabled customers away longer than the rule's days, frozen days left out, not frozen today."""
	customer = frappe.qb.DocType("Customer")
	card = frappe.qb.DocType("Club Membership")
	rows = (
		frappe.qb.from_(customer)
		.left_join(card)
		.on((card.member == customer.name) & (card.frozen_from.isnotnull() | (card.status == "Frozen")))
		.select(
			customer.name.as_("customer"),
			customer.last_visit_date,
			card.status,
			card.frozen_from,
			card.frozen_days,
		)
		.where(
			(customer.last_visit_date < add_days(today, -cint(rule.days)))
			& (customer.churn_status.notin(["Churned"]))
			& (customer.disabled == 0)
		)
		.run(as_dict=True)
	)
	frame = to_frame(rows, ["customer", "last_visit_date", "status", "frozen_from", "frozen_days"])
	away = days_away(frame["last_visit_date"], frame["frozen_from"], frame["frozen_days"], today)
	frame["away"] = away.where(frame["status"] != "Frozen")
	# a card frozen today rules the call out; otherwise the longest freeze since the visit counts
	by_customer = frame.groupby("customer")["away"]
	fewest = by_customer.min().where(~frame["away"].isna().groupby(frame["customer"]).any())
	idle = fewest[pd.to_numeric(fewest, errors="coerce") > cint(rule.days)]
	return pd.DataFrame({"customer": idle.index.tolist()})
