# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A member's visit to a club (check-in and check-out), typed in or imported one by one.

Bulk loads from turnstiles and booking systems go through churn_management.clubs.api.club_visits,
which applies the same checks to a whole batch at once.
"""

import pandas as pd

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from churn_management.clubs.doctype.club_visit.club_visit_utils import (
	assign_cards,
	mark_starter_services,
	read_cards,
)


class VisitTimeError(frappe.ValidationError):
	pass


class VisitBeforeMembershipError(frappe.ValidationError):
	pass


class ClubVisit(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		checkin: DF.Datetime
		checkout: DF.Datetime | None
		club: DF.Link
		department: DF.Link | None
		external_id: DF.Data | None
		member: DF.Link
		membership: DF.Link | None
		source: DF.Data | None
	# end: auto-generated types

	def validate(self):
		self.validate_times()
		self.set_membership()

	def after_insert(self):
		frame = pd.DataFrame(
			[
				{
					"name": self.name,
					"membership": self.membership,
					"department": self.department,
					"checkin": pd.Timestamp(get_datetime(self.checkin)),
				}
			]
		)
		mark_starter_services(frame)

	def validate_times(self):
		checkin = get_datetime(self.checkin)
		if checkin > now_datetime():
			frappe.throw(_("A visit cannot be in the future."), VisitTimeError, title=_("Visit Time"))
		if self.checkout and get_datetime(self.checkout) < checkin:
			frappe.throw(_("The check-out is before the check-in."), VisitTimeError, title=_("Visit Time"))

	def set_membership(self):
		"""The card the visit was made on: the member's latest card in this club started by then."""
		visit = pd.DataFrame(
			[{"member": self.member, "club": self.club, "checkin": pd.Timestamp(get_datetime(self.checkin))}]
		)
		card = assign_cards(visit, read_cards([self.member])).iloc[0]
		if not card:
			frappe.throw(
				_("{0} holds no card in club {1} that started by {2}.").format(
					self.member, self.club, frappe.format(self.checkin, "Datetime")
				),
				VisitBeforeMembershipError,
				title=_("Visit Before The Card"),
			)
		self.membership = card
