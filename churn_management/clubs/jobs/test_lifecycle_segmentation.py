# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, nowdate

from churn_management.clubs.jobs.lifecycle_segmentation import segment_clubs
from churn_management.tests.club_utils import make_membership, make_visit
from churn_management.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


def run():
	"""The job, without its commits, so that the test's rollback undoes it."""
	with patch.object(frappe.db, "commit"):
		return segment_clubs()


def card_value(card, field):
	return frappe.db.get_value("Club Membership", card.name, field)


class TestLifecycleSegmentation(FrappeTestCase):
	def test_stages_transitions_at_risk_and_churn(self):
		newcomer = make_membership(start=-3)
		inactive = make_membership(start=-200)
		make_visit(inactive, days_ago=40)
		engaged = make_membership(start=-200)
		for days_ago in (35, 28, 24, 20, 16, 12, 8, 4, 1):
			make_visit(engaged, days_ago=days_ago)
		cancelled = make_membership(start=-100, status="Cancelled", cancelled_on=add_days(nowdate(), -5))
		expired = make_membership(start=-400, days=365)
		renewed = make_membership(start=-400, days=365)
		make_membership(member=renewed.member, start=-35, days=365, renews=renewed.name)

		first = run()
		self.assertEqual(card_value(newcomer, "lifecycle_stage"), "Newcomer")
		self.assertEqual(card_value(inactive, "lifecycle_stage"), "Inactive")
		self.assertEqual(card_value(engaged, "lifecycle_stage"), "Engaged")
		self.assertEqual(card_value(cancelled, "lifecycle_stage"), "Lapsed")
		self.assertEqual(card_value(expired, "lifecycle_stage"), "Lapsed")
		self.assertEqual(card_value(expired, "status"), "Expired")
		self.assertEqual(card_value(renewed, "status"), "Renewed")
		self.assertGreaterEqual(first["transitions"], 6)

		# at risk: 14 days after the last visit, only while the card runs
		self.assertEqual(getdate(card_value(inactive, "at_risk_date")), getdate(add_days(nowdate(), -26)))
		self.assertEqual(card_value(inactive, "at_risk"), 1)
		self.assertEqual(card_value(engaged, "at_risk"), 0)
		self.assertEqual(getdate(card_value(engaged, "last_visit")), getdate(add_days(nowdate(), -1)))
		self.assertEqual(card_value(cancelled, "at_risk"), 0)

		# churn in the register: the cancelled card and the expired one, not the renewed one
		for card, churn_date in ((cancelled, add_days(nowdate(), -5)), (expired, expired.end_date)):
			record = frappe.get_doc("Churn Record", card_value(card, "churn_record"))
			self.assertEqual(record.customer, card.member)
			self.assertEqual(record.churn_kind, "Voluntary")
			self.assertEqual(getdate(record.churn_date), getdate(churn_date))
			self.assertEqual((record.source_doctype, record.source_name), ("Club Membership", card.name))
		self.assertFalse(card_value(renewed, "churn_record"))

		# nothing changed: nothing written
		second = run()
		self.assertEqual((second["transitions"], second["updated"], second["churn_records"]), (0, 0, 0))
		self.assertEqual(frappe.db.count("Lifecycle Transition", {"member": inactive.member}), 1)

		# the inactive member comes back: one transition, and the at-risk date moves forward
		make_visit(inactive, days_ago=1)
		third = run()
		self.assertEqual(third["transitions"], 1)
		move = frappe.get_all(
			"Lifecycle Transition",
			filters={"member": inactive.member},
			fields=["from_stage", "to_stage", "transition_date"],
			order_by="creation desc",
			limit=1,
		)[0]
		self.assertEqual((move.from_stage, move.to_stage), ("Inactive", "Reactivated"))
		self.assertEqual(getdate(move.transition_date), getdate(nowdate()))
		self.assertEqual(getdate(card_value(inactive, "at_risk_date")), getdate(add_days(nowdate(), 13)))
		self.assertEqual(card_value(inactive, "at_risk"), 0)
		self.assertEqual(getdate(card_value(inactive, "stage_since")), getdate(nowdate()))

	def test_a_lapsed_member_buying_a_new_card_is_won_back(self):
		from churn_management.tests.club_utils import make_club_user

		lapsed = make_membership(start=-400, days=365)
		run()
		record = card_value(lapsed, "churn_record")
		self.assertEqual(frappe.db.get_value("Churn Record", record, "status"), "Open")

		manager = make_club_user("club.manager@example.com", ["Club Manager"], club=lapsed.club)
		frappe.set_user(manager)
		comeback = make_membership(member=lapsed.member, club=lapsed.club, start=-2, save=False)
		comeback.insert()
		frappe.set_user("Administrator")

		closed = frappe.db.get_value(
			"Churn Record", record, ["status", "won_back_date", "won_back_by"], as_dict=True
		)
		self.assertEqual(closed.status, "Won Back")
		self.assertEqual(getdate(closed.won_back_date), getdate(comeback.start_date))
		self.assertEqual(closed.won_back_by, manager)
		self.assertEqual(frappe.db.get_value("Customer", lapsed.member, "churn_status"), "Won back")
		self.assertEqual(run()["churn_records"], 0)
		self.assertEqual(frappe.db.count("Churn Record", {"customer": lapsed.member}), 1)

	def test_the_club_standard_sets_the_at_risk_days(self):
		from churn_management.clubs.doctype.lifecycle_standard.lifecycle_standard import (
			learned_at_risk_days,
		)
		from churn_management.tests.club_utils import make_club

		far = make_club("_Test Club Far")
		frappe.get_doc(
			{
				"doctype": "Lifecycle Standard",
				"standard_name": "_Test Far standard",
				"club": far,
				"at_risk_days": 45,
				"steps": [{"stage": "Inactive", "from_day": 0, "to_day": 30, "actions": "Call"}],
			}
		).insert()
		card = make_membership(start=-200, club=far)
		make_visit(card, days_ago=40)
		run()
		self.assertEqual(card_value(card, "lifecycle_stage"), "Inactive")
		self.assertEqual(getdate(card_value(card, "at_risk_date")), getdate(add_days(nowdate(), 5)))
		self.assertEqual(card_value(card, "at_risk"), 0)
		self.assertEqual(learned_at_risk_days(far), 14)  # too little history: the default stands

	def test_club_members_reach_retention_tasks(self):
		"""Lapsing cards and idle members become Renewal and Reactivation tasks through the task rules."""
		from churn_management.retention.jobs.retention_tasks import make_tasks_for_rule
		from churn_management.tests.retention_utils import make_retention_users

		make_retention_users()
		ending = make_membership(start=-340, days=360)
		idle = make_membership(start=-100)
		make_visit(idle, days_ago=40)
		run()
		self.assertEqual(
			str(frappe.db.get_value("Customer", idle.member, "last_visit_date")), add_days(nowdate(), -40)
		)
		renewal = frappe.get_doc(
			{
				"doctype": "Retention Task Rule",
				"rule_name": "_Test club renewal",
				"trigger": "Membership ends in N days",
				"days": 30,
				"task_type": "Renewal",
				"due_days": 7,
				"max_attempts": 3,
			}
		).insert(ignore_permissions=True)
		reactivation = frappe.get_doc(
			{
				"doctype": "Retention Task Rule",
				"rule_name": "_Test club reactivation",
				"trigger": "Member inactive N days",
				"days": 21,
				"task_type": "Reactivation",
				"due_days": 3,
				"max_attempts": 3,
			}
		).insert(ignore_permissions=True)
		with patch.object(frappe.db, "commit"):
			make_tasks_for_rule(renewal, nowdate())
			make_tasks_for_rule(reactivation, nowdate())
		tasks = lambda member: frappe.get_all("Retention Task", {"customer": member}, pluck="task_type")  # noqa: E731
		self.assertIn("Renewal", tasks(ending.member))
		self.assertIn("Reactivation", tasks(idle.member))
