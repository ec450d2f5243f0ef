# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A Club Manager loads visits from the desk, and turnstile times with a UTC offset (issue 14)."""

from datetime import datetime
from unittest.mock import patch

import pandas as pd

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_datetime, get_system_timezone, nowdate

from churn_management.clubs.api.club_visits import VisitBatchError, load_visits
from churn_management.tests.club_utils import make_club, make_club_user, make_membership
from churn_management.tests.utils import TEST_IGNORE

test_ignore = TEST_IGNORE

CLUB = "_Test Club Upload"


def upload(content: str, file_name: str = "visits.csv") -> str:
	"""A file attached as the desk's uploader does (by the user logged in)."""
	file = frappe.get_doc(
		{"doctype": "File", "file_name": file_name, "content": content.encode(), "is_private": 1}
	).insert()
	return file.file_url


class TestClubVisitUpload(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_club(CLUB)
		cls.manager = make_club_user("upload.manager@example.com", ["Club Manager"], club=CLUB)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_club_manager_loads_a_file_of_visits_from_the_list(self):
		from churn_management.clubs.api import club_visits

		card = make_membership(start=-20, club=CLUB)
		yesterday = add_days(nowdate(), -1)
		rows = [
			"External ID,Member,Club,Check-in,Check-out",
			f"_T-U-1,{card.member},{CLUB},{yesterday} 09:00:00,{yesterday} 10:30:00",
			f"_T-U-2,{card.member},{CLUB},{yesterday} 18:00:00,",
			f"_T-U-2,{card.member},{CLUB},{yesterday} 18:00:00,",
		]
		frappe.set_user(self.manager)
		url = upload("\n".join(rows))
		result = club_visits.load_visit_file(url)
		self.assertEqual((result["received"], result["inserted"], result["duplicates_in_batch"]), (3, 2, 1))
		self.assertEqual(
			frappe.db.get_value("Club Visit", {"external_id": "_T-U-1"}, "membership"), card.name
		)
		# the same checks as the API: a visit before the card is refused, nothing loaded
		bad = upload(
			f"member,club,checkin,external_id\n{card.member},{CLUB},{add_days(nowdate(), -30)} 09:00,_T-U-3"
		)
		with self.assertRaises(VisitBatchError) as caught:
			club_visits.load_visit_file(bad)
		self.assertIn(
			"Row 1: the visit is before the member's card in this club starts", str(caught.exception)
		)
		self.assertFalse(frappe.db.exists("Club Visit", {"external_id": "_T-U-3"}))

	def test_a_checkin_with_a_utc_offset_loads_as_local_time(self):
		card = make_membership(start=-20, club=CLUB)
		moment = pd.Timestamp(f"{add_days(nowdate(), -2)} 07:15:00", tz="UTC")
		local = moment.tz_convert(get_system_timezone()).tz_localize(None).to_pydatetime()
		batch = [
			{
				"external_id": "_T-Z-1",
				"member": card.member,
				"club": CLUB,
				"checkin": moment.isoformat(),  # 2026-12-05T07:15:00+00:00
				"checkout": moment.strftime("%Y-%m-%dT%H:%M:%SZ").replace("07:15", "08:15"),
			},
			{
				"external_id": "_T-Z-2",
				"member": card.member,
				"club": CLUB,
				"checkin": f"{add_days(nowdate(), -3)} 19:00:00",
			},
		]
		frappe.set_user(self.manager)
		self.assertEqual(load_visits(batch)["inserted"], 2)
		loaded = frappe.db.get_value("Club Visit", {"external_id": "_T-Z-1"}, ["checkin", "checkout"])
		self.assertEqual(get_datetime(loaded[0]), local)
		self.assertEqual((get_datetime(loaded[1]) - get_datetime(loaded[0])).seconds, 3600)
		naive = frappe.db.get_value("Club Visit", {"external_id": "_T-Z-2"}, "checkin")
		self.assertEqual(get_datetime(naive), datetime.fromisoformat(f"{add_days(nowdate(), -3)} 19:00:00"))

	def test_every_bad_row_of_a_batch_in_one_answer(self):
		card = make_membership(start=-10, club=CLUB)
		batch = [
			{
				"external_id": "_T-E-1",
				"member": card.member,
				"club": CLUB,
				"checkin": "2026-13-45T25:00+03:00",
			},
			{"external_id": "_T-E-2", "member": None, "club": CLUB, "checkin": f"{nowdate()} 00:00:00"},
			{
				"external_id": "_T-E-3",
				"member": card.member,
				"club": CLUB,
				"checkin": f"{add_days(nowdate(), -30)}T09:00:00+03:00",
			},
		]
		frappe.set_user(self.manager)
		with self.assertRaises(VisitBatchError) as caught:
			load_visits(batch)
		message = str(caught.exception)
		self.assertIn("Row 1: the check-in is not a date and time", message)
		self.assertIn("Row 2: member is missing", message)
		self.assertIn("Row 3: the visit is before the member's card in this club starts", message)
		self.assertEqual(frappe.db.count("Club Visit", {"external_id": ("like", "_T-E-%")}), 0)

	def test_a_club_manager_imports_visits_with_data_import(self):
		card = make_membership(start=-20, club=CLUB)
		yesterday = add_days(nowdate(), -1)
		rows = [
			"Member,Club,Check-in,External ID",
			f"{card.member},{CLUB},{yesterday} 09:00:00,_T-D-1",
			f"{card.member},{CLUB},{add_days(nowdate(), -30)} 09:00:00,_T-D-2",
		]
		frappe.set_user(self.manager)
		self.assertTrue(frappe.has_permission("Data Import", "create"))
		data_import = frappe.get_doc(
			{
				"doctype": "Data Import",
				"reference_doctype": "Club Visit",
				"import_type": "Insert New Records",
				"import_file": upload("\n".join(rows), "visits-import.csv"),
			}
		).insert()
		# the importer commits each good row and rolls back each bad one: the test keeps its own
		with patch.object(frappe.db, "commit"), patch.object(frappe.db, "rollback"):
			data_import.start_import()
		self.assertEqual(
			frappe.db.get_value("Club Visit", {"external_id": "_T-D-1"}, "membership"), card.name
		)
		self.assertFalse(frappe.db.exists("Club Visit", {"external_id": "_T-D-2"}))
		failed = frappe.get_all(
			"Data Import Log", {"data_import": data_import.name, "success": 0}, pluck="messages"
		)
		self.assertIn("holds no card", "".join(failed))
