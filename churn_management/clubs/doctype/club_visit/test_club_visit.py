# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from churn_management.clubs.doctype.club_visit.club_visit import (
	VisitBeforeMembershipError,
	VisitTimeError,
)
from churn_management.tests.club_utils import (
	make_club,
	make_club_user,
	make_department,
	make_membership,
	make_starter_package,
	make_visit,
)
from churn_management.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


class TestClubVisit(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_visit_finds_its_card(self):
		old = make_membership(start=-400, days=365)
		new = make_membership(member=old.member, start=-35, days=365, renews=old.name)
		self.assertEqual(make_visit(new, days_ago=2).membership, new.name)
		self.assertEqual(make_visit(new, days_ago=100).membership, old.name)

	def test_a_visit_before_the_card_or_in_the_future_is_refused(self):
		card = make_membership(start=-10)
		self.assertRaises(VisitBeforeMembershipError, make_visit, card, days_ago=20)
		self.assertRaises(VisitTimeError, make_visit, card, days_ago=-2)
		self.assertRaises(
			VisitTimeError, make_visit, card, days_ago=1, checkout=f"{add_days(nowdate(), -2)} 10:00:00"
		)

	def test_a_visit_to_the_department_delivers_the_starter_service(self):
		gym = make_department()
		card = make_membership(start=-5, starter_package=make_starter_package(department=gym))
		make_visit(card, days_ago=3, department=make_department("_Test Pool"))
		status = lambda service: frappe.db.get_value(  # noqa: E731
			"Starter Package Completion", {"membership": card.name, "service": service}, "status"
		)
		self.assertEqual(status("Intro session"), "Pending")
		visit = make_visit(card, days_ago=2, department=gym)
		self.assertEqual(status("Intro session"), "Delivered")
		self.assertEqual(status("Fitness test"), "Pending")  # marked by the trainer, not by a visit
		self.assertEqual(
			frappe.db.get_value(
				"Starter Package Completion", {"membership": card.name, "service": "Intro session"}, "visit"
			),
			visit.name,
		)

	def test_a_duplicate_external_id_is_refused(self):
		card = make_membership()
		make_visit(card, external_id="_T-EXT-1")
		self.assertRaises(frappe.UniqueValidationError, make_visit, card, external_id="_T-EXT-1")
		make_visit(card, days_ago=2)
		make_visit(card, days_ago=3)  # visits without an external id do not collide

	def test_trainer_marks_only_their_department(self):
		gym = make_department()
		pool = make_department("_Test Pool")
		package = "_Test Starter Two"
		if not frappe.db.exists("Starter Package", package):
			frappe.get_doc(
				{
					"doctype": "Starter Package",
					"package_name": package,
					"items": [
						{"service": "Gym intro", "department": gym, "due_days": 3},
						{"service": "Pool intro", "department": pool, "due_days": 3},
					],
				}
			).insert()
		card = make_membership(start=-2, starter_package=package, club=make_club())
		trainer = make_club_user("gym.trainer@example.com", ["Club Trainer"], department=gym)
		frappe.set_user(trainer)
		services = {
			r.service: r.name
			for r in frappe.get_list(
				"Starter Package Completion", fields=["name", "service"], filters={"membership": card.name}
			)
		}
		self.assertEqual(set(services), {"Gym intro"})
		doc = frappe.get_doc("Starter Package Completion", services["Gym intro"])
		doc.status = "Delivered"
		doc.save()
		self.assertEqual(str(doc.delivered_on), nowdate())
		pool_row = frappe.db.get_value(
			"Starter Package Completion", {"membership": card.name, "service": "Pool intro"}
		)
		self.assertFalse(frappe.has_permission("Starter Package Completion", "write", pool_row))
