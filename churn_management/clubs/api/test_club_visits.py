# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

from types import SimpleNamespace
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from churn_management.clubs.api.club_visits import TokenRequiredError, VisitBatchError, load_visits
from churn_management.tests.club_utils import (
	make_club,
	make_club_user,
	make_department,
	make_membership,
	make_starter_package,
)
from churn_management.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE


def visit(card, external_id, days_ago=1, **values):
	return {
		"external_id": external_id,
		"member": card.member,
		"club": card.club,
		"checkin": f"{add_days(nowdate(), -days_ago)} 18:05:00",
		**values,
	}


class TestClubVisitBatch(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_batch_loads_once_and_skips_duplicates(self):
		gym = make_department()
		card = make_membership(start=-20, starter_package=make_starter_package(department=gym))
		batch = [visit(card, f"_T-B-{i}", days_ago=i, department=gym) for i in range(1, 6)]
		batch.append(dict(batch[0]))  # the turnstile sent one visit twice
		first = load_visits(batch, source="turnstile")
		self.assertEqual(
			first,
			{
				"received": 6,
				"inserted": 5,
				"duplicates_in_batch": 1,
				"already_loaded": 0,
				"starter_services_marked": 1,
			},
		)
		self.assertEqual(frappe.db.count("Club Visit", {"member": card.member}), 5)
		self.assertEqual(
			frappe.db.get_value("Club Visit", {"external_id": "_T-B-3"}, "membership"), card.name
		)
		delivered = frappe.db.get_value(
			"Starter Package Completion",
			{"membership": card.name, "service": "Intro session"},
			"delivered_on",
		)
		self.assertEqual(str(delivered), add_days(nowdate(), -5))  # the first gym visit
		again = load_visits([*batch, visit(card, "_T-B-new", days_ago=6)])
		self.assertEqual((again["inserted"], again["already_loaded"]), (1, 5))
		self.assertEqual(frappe.db.count("Club Visit", {"member": card.member}), 6)

	def test_a_malformed_batch_is_refused_whole(self):
		card = make_membership(start=-10)
		batch = [
			visit(card, "_T-M-1"),
			visit(card, "_T-M-2", days_ago=30),  # before the card
			visit(card, "_T-M-3", days_ago=-1),  # in the future
			{**visit(card, "_T-M-4"), "checkin": "yesterday"},
			{**visit(card, "_T-M-5"), "member": None},
			visit(card, "_T-M-6", club="_Test No Such Club"),
		]
		with self.assertRaises(VisitBatchError) as caught:
			load_visits(batch)
		message = str(caught.exception)
		self.assertIn("nothing was loaded", message)
		self.assertIn("Row 3: the check-in is in the future", message)
		self.assertIn("Row 4: the check-in is not a date and time", message)
		self.assertIn("Row 5: member is missing", message)
		self.assertIn("Row 6: unknown club", message)
		self.assertEqual(frappe.db.count("Club Visit", {"external_id": ("like", "_T-M-%")}), 0)
		with self.assertRaises(VisitBatchError) as caught:
			load_visits(batch[:2])
		self.assertIn(
			"Row 2: the visit is before the member's card in this club starts", str(caught.exception)
		)
		self.assertRaises(VisitBatchError, load_visits, '{"not": "a list"}')
		self.assertRaises(VisitBatchError, load_visits, "[{]")
		self.assertRaises(frappe.FrappeTypeError, load_visits, {"not": "a list"})
		self.assertRaises(VisitBatchError, load_visits, "[]")

	def test_only_users_who_may_create_visits_load_them(self):
		card = make_membership(start=-10, club=make_club("_Test Club Center"))
		analyst = make_club_user("analyst.batch@example.com", ["Churn Analyst"])
		frappe.set_user(analyst)
		self.assertRaises(frappe.PermissionError, load_visits, [visit(card, "_T-P-1")])
		make_club("_Test Club Park")
		manager = make_club_user("manager.batch@example.com", ["Club Manager"], club="_Test Club Park")
		frappe.set_user(manager)
		with self.assertRaises(VisitBatchError) as caught:
			load_visits([visit(card, "_T-P-2")])
		self.assertIn("you may not load visits of this club", str(caught.exception))

	def test_over_http_a_token_is_required(self):
		card = make_membership(start=-10)
		session = SimpleNamespace(headers={"Authorization": ""})
		with patch.object(frappe.local, "request", session, create=True):
			self.assertRaises(TokenRequiredError, load_visits, [visit(card, "_T-T-1")])
			session.headers["Authorization"] = "token abc:def"
			self.assertEqual(load_visits([visit(card, "_T-T-1")])["inserted"], 1)
