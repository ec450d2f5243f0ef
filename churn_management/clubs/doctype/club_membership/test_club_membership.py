# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from churn_management.clubs.doctype.club_membership.club_membership import (
	MembershipDatesError,
	MembershipOverlapError,
	MembershipSaleError,
	get_due_now,
)
from churn_management.tests.club_utils import (
	make_club,
	make_club_user,
	make_membership,
	make_starter_package,
)
from churn_management.tests.utils import TEST_IGNORE, make_customer, make_sales_invoice

test_ignore = TEST_IGNORE


class TestClubMembership(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_end_before_start_is_refused(self):
		doc = make_membership(save=False, start=0, days=1)
		doc.end_date = add_days(doc.start_date, -1)
		self.assertRaises(MembershipDatesError, doc.insert)

	def test_overlapping_cards_in_one_club_are_refused(self):
		first = make_membership(start=-100, days=365)
		overlapping = make_membership(member=first.member, start=-10, days=30, save=False)
		self.assertRaises(MembershipOverlapError, overlapping.insert)
		other_club = make_membership(
			member=first.member, start=-10, days=30, club=make_club("_Test Club Park")
		)
		self.assertTrue(other_club.name)

	def test_a_cancelled_card_frees_the_club_from_its_cancellation(self):
		first = make_membership(
			start=-100, days=365, status="Cancelled", cancelled_on=add_days(nowdate(), -50)
		)
		again = make_membership(member=first.member, start=-20, days=30)
		self.assertTrue(again.name)

	def test_renewal_marks_the_renewed_card_and_owes_no_starter_package(self):
		package = make_starter_package()
		first = make_membership(start=-380, days=365, starter_package=package)
		self.assertEqual(frappe.db.count("Starter Package Completion", {"membership": first.name}), 2)
		renewal = make_membership(
			member=first.member, start=-15, days=365, renews=first.name, starter_package=package
		)
		self.assertEqual(frappe.db.get_value("Club Membership", first.name, "status"), "Renewed")
		self.assertEqual(frappe.db.count("Starter Package Completion", {"membership": renewal.name}), 0)
		due = frappe.db.get_value(
			"Starter Package Completion", {"membership": first.name, "service": "Intro session"}, "due_date"
		)
		self.assertEqual(str(due), str(add_days(first.start_date, 3)))

	def test_renewal_of_another_members_card_is_refused(self):
		first = make_membership(start=-380, days=365)
		foreign = make_membership(start=-10, days=30, renews=first.name, save=False)
		self.assertRaises(MembershipDatesError, foreign.insert)

	def test_price_comes_from_the_sales_invoice(self):
		member = make_customer()
		invoice = make_sales_invoice(member, days_past_due=0, amount=4900)
		card = make_membership(member=member, sales_invoice=invoice)
		self.assertEqual(card.price, 4900)
		card.price = 1
		card.save()
		self.assertEqual(card.price, 4900)  # never typed a second time
		foreign = make_membership(sales_invoice=invoice, save=False)
		self.assertRaises(MembershipSaleError, foreign.insert)

	def test_due_now_shows_the_standard_steps_of_the_stage(self):
		card = make_membership(start=-3)
		card.db_set({"lifecycle_stage": "Newcomer", "stage_since": add_days(nowdate(), -2)})
		due = get_due_now(card.name)
		self.assertEqual(due["stage"], "Newcomer")
		self.assertEqual(due["days_in_stage"], 2)
		self.assertTrue(due["steps"] and "Welcome" in due["steps"][0]["actions"])

	def test_club_manager_sees_only_their_club(self):
		own = make_membership(club=make_club("_Test Club Center"))
		other = make_membership(club=make_club("_Test Club Park"))
		manager = make_club_user("club.manager@example.com", ["Club Manager"], club="_Test Club Center")
		frappe.set_user(manager)
		visible = {
			r.name
			for r in frappe.get_list("Club Membership", filters={"name": ("in", [own.name, other.name])})
		}
		self.assertEqual(visible, {own.name})
		self.assertTrue(frappe.has_permission("Club Membership", "write", own.name))
		self.assertFalse(frappe.has_permission("Club Membership", "read", other.name))
		card = make_membership(club="_Test Club Center", save=False)
		card.insert()  # a Club Manager sells cards in their club
		foreign = make_membership(club="_Test Club Park", save=False)
		self.assertRaises(frappe.PermissionError, foreign.insert)

	def test_role_matrix(self):
		card = make_membership()
		expected = {
			"Club Manager": (True, True, True),
			"Club Trainer": (True, False, False),
			"Retention Head": (True, True, False),
			"Retention Manager": (True, False, False),
			"Churn Analyst": (True, False, False),
			"Termination Desk": (True, False, False),
		}
		for role, (read, write, create) in expected.items():
			user = make_club_user(f"{role.lower().replace(' ', '.')}.club@example.com", [role])
			frappe.set_user(user)
			self.assertEqual(frappe.has_permission("Club Membership", "read", card.name), read, role)
			self.assertEqual(frappe.has_permission("Club Membership", "write", card.name), write, role)
			self.assertEqual(frappe.has_permission("Club Membership", "create"), create, role)
			frappe.set_user("Administrator")
