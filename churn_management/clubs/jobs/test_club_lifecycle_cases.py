# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Club lifecycle cases seen going wrong (issue 14), met as the Club Manager of the club."""

from unittest.mock import patch

import frappe
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, nowdate

from churn_management.clubs.doctype.club_membership.club_membership import get_due_now
from churn_management.clubs.jobs.lifecycle_segmentation import segment_clubs
from churn_management.clubs.report.lifecycle_segmentation.lifecycle_segmentation import (
	execute as segmentation,
)
from churn_management.retention.jobs.retention_tasks import make_tasks_for_rule
from churn_management.tests.club_utils import make_club, make_club_user, make_membership, make_visit
from churn_management.tests.retention_utils import make_retention_users
from churn_management.tests.utils import TEST_IGNORE, make_user

test_ignore = TEST_IGNORE

NORTH, SOUTH = "_Test Club North", "_Test Club South"


def run():
	"""The job, without its commits, so that the test's rollback undoes it."""
	with patch.object(frappe.db, "commit"):
		return segment_clubs()


def make_task_rule(trigger: str, task_type: str, days: int) -> frappe._dict:
	return frappe.get_doc(
		{
			"doctype": "Retention Task Rule",
			"rule_name": f"_Test club {task_type} {frappe.generate_hash(length=6)}",
			"trigger": trigger,
			"days": days,
			"task_type": task_type,
			"due_days": 3,
			"max_attempts": 3,
		}
	).insert(ignore_permissions=True)


def make_tasks(trigger: str, task_type: str, days: int) -> None:
	with patch.object(frappe.db, "commit"):
		make_tasks_for_rule(make_task_rule(trigger, task_type, days), nowdate())


def tasks_of(member: str, task_type: str) -> list[str]:
	return frappe.get_all("Retention Task", {"customer": member, "task_type": task_type}, pluck="name")


class TestClubLifecycleCases(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_club(NORTH)
		make_club(SOUTH)
		make_retention_users()
		cls.manager = make_club_user("north.manager@example.com", ["Club Manager"], club=NORTH)

	def tearDown(self):
		frappe.set_user("Administrator")

	def card(self, card) -> frappe._dict:
		"""The card as the club's manager reads it."""
		frappe.set_user(self.manager)
		try:
			return frappe.get_doc("Club Membership", card.name)
		finally:
			frappe.set_user("Administrator")

	def test_a_member_of_two_clubs_has_a_stage_in_each_club(self):
		north = make_membership(start=-200, club=NORTH)
		south = make_membership(member=north.member, start=-200, club=SOUTH)
		for days_ago in (54, 47, 40, 33, 26, 19, 12, 5, 2):
			make_visit(north, days_ago=days_ago)
		make_visit(south, days_ago=60)
		run()
		self.assertEqual(self.card(north).lifecycle_stage, "Engaged")
		self.assertEqual(frappe.db.get_value("Club Membership", south.name, "lifecycle_stage"), "Inactive")
		self.assertEqual(
			getdate(frappe.db.get_value("Club Membership", south.name, "last_visit")),
			getdate(add_days(nowdate(), -60)),
		)

	def test_a_frozen_card_is_not_absence(self):
		frozen = make_membership(start=-200, club=NORTH, frozen_from=add_days(nowdate(), -25), frozen_days=60)
		make_visit(frozen, days_ago=30)
		# back from a 30-day freeze: 40 days since the visit, 10 of them away
		thawed = make_membership(start=-200, club=NORTH, frozen_from=add_days(nowdate(), -38), frozen_days=30)
		make_visit(thawed, days_ago=40)
		run()
		card = self.card(frozen)
		self.assertEqual(card.status, "Frozen")
		self.assertNotEqual(card.lifecycle_stage, "Inactive")
		self.assertFalse(card.at_risk_date)
		self.assertFalse(card.at_risk)
		back = self.card(thawed)
		self.assertEqual(back.status, "Active")
		self.assertNotEqual(back.lifecycle_stage, "Inactive")
		self.assertEqual(getdate(back.at_risk_date), getdate(add_days(nowdate(), -40 + 14 + 30)))
		self.assertFalse(back.at_risk)
		make_tasks("Member inactive N days", "Reactivation", 14)
		self.assertEqual(tasks_of(frozen.member, "Reactivation"), [])
		self.assertEqual(tasks_of(thawed.member, "Reactivation"), [])

	def test_a_card_renewed_in_advance_is_not_up_for_renewal(self):
		current = make_membership(start=-355, days=365, club=NORTH)
		make_membership(member=current.member, start=10, days=365, club=NORTH, renews=current.name)
		sold = make_membership(start=-355, days=365, club=NORTH)
		make_membership(member=sold.member, start=10, days=365, club=NORTH)  # sold as a new card
		for card in (current, sold):
			for days_ago in (54, 47, 40, 33, 26, 19, 12, 5):
				make_visit(card, days_ago=days_ago)
		run()
		self.assertNotEqual(self.card(current).lifecycle_stage, "Renewal window")
		self.assertNotEqual(self.card(sold).lifecycle_stage, "Renewal window")
		make_tasks("Membership ends in N days", "Renewal", 30)
		self.assertEqual(tasks_of(current.member, "Renewal"), [])
		self.assertEqual(tasks_of(sold.member, "Renewal"), [])

	def test_a_disabled_customer_gets_no_renewal_or_reactivation_task(self):
		ending = make_membership(start=-355, days=365, club=NORTH)
		idle = make_membership(start=-200, club=NORTH)
		make_visit(idle, days_ago=40)
		run()
		for card in (ending, idle):
			frappe.db.set_value("Customer", card.member, "disabled", 1)
		make_tasks("Membership ends in N days", "Renewal", 30)
		make_tasks("Member inactive N days", "Reactivation", 21)
		self.assertEqual(tasks_of(ending.member, "Renewal"), [])
		self.assertEqual(tasks_of(idle.member, "Reactivation"), [])

	def test_the_lapsed_card_and_the_report_agree(self):
		old = make_membership(start=-200, days=150, club=NORTH)
		run()
		self.assertEqual(self.card(old).lifecycle_stage, "Lapsed")
		make_membership(member=old.member, start=-2, club=NORTH)  # won back
		run()
		frappe.set_user(self.manager)
		card = frappe.get_doc("Number Card", "Lapsed Members")
		lapsed_card = get_result(card, card.filters_json)
		_columns, data, *_rest = segmentation({"date": nowdate(), "club": NORTH})
		lapsed_report = sum(row["members"] for row in data if row["stage"] == "Lapsed")
		self.assertEqual(lapsed_card, lapsed_report)
		self.assertNotEqual(frappe.get_doc("Club Membership", old.name).lifecycle_stage, "Lapsed")

	def test_a_reactivated_member_has_steps_due(self):
		card = make_membership(start=-200, club=NORTH)
		card.db_set({"lifecycle_stage": "Reactivated", "stage_since": add_days(nowdate(), -1)})
		frappe.set_user(self.manager)
		due = get_due_now(card.name)
		self.assertTrue(due["steps"])
		self.assertEqual(due["steps"][0]["task_type"], "Reactivation")

	def test_the_russian_preset_brings_the_standard_in_russian(self):
		from churn_management.clubs.doctype.lifecycle_stage.lifecycle_stage import stage_label

		reason = frappe.qb.DocType("Churn Reason")
		frappe.qb.update(reason).set(reason.preset_key, None).run()  # a site keeps one classifier
		frappe.set_user(make_user("club.head@example.com", ["Retention Head"]))
		frappe.get_single("Churn Settings").load_classifier_preset("Fitness club", "Russian")
		frappe.set_user(self.manager)
		standard = frappe.get_doc("Lifecycle Standard", "Стандарт фитнес-клуба")
		steps = {step.stage: step for step in standard.steps}
		self.assertTrue(steps["Newcomer"].actions.startswith("Встреча при первом визите"))
		self.assertEqual(steps["Reactivated"].emotion, "Я снова в строю")
		frappe.translate.clear_cache()
		frappe.local.lang = "ru"
		try:
			self.assertEqual(stage_label("Lapsed"), "Не продлил")
			self.assertEqual(stage_label("Renewal window"), "Окно продления")
		finally:
			frappe.local.lang = "en"
