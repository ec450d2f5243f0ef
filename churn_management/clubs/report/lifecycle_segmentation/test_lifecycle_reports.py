# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The three lifecycle reports' figures, and what a Club Manager of one club sees in them."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, get_first_day, nowdate

from churn_management.clubs.report.lifecycle_goals.lifecycle_goals import execute as goals
from churn_management.clubs.report.lifecycle_segmentation.lifecycle_segmentation import (
	execute as segmentation,
)
from churn_management.clubs.report.lifecycle_statistics.lifecycle_statistics import (
	execute as statistics,
)
from churn_management.tests.club_utils import make_club, make_club_user, make_membership, make_visit
from churn_management.tests.utils import TEST_IGNORE, make_customer

test_ignore = TEST_IGNORE


def move(member, from_stage, to_stage, days_ago, club="_Test Club Center"):
	frappe.get_doc(
		{
			"doctype": "Lifecycle Transition",
			"member": member,
			"club": club,
			"from_stage": from_stage,
			"to_stage": to_stage,
			"transition_date": add_days(nowdate(), -days_ago),
		}
	).insert(ignore_permissions=True)


class TestLifecycleReports(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		center, park = make_club("_Test Club Center"), make_club("_Test Club Park")
		make_membership(start=-3, club=center)
		inactive = make_membership(start=-200, club=center)
		make_visit(inactive, days_ago=40)
		engaged = make_membership(start=-200, club=center)
		for days_ago in (35, 28, 24, 20, 16, 12, 8, 4, 1):
			make_visit(engaged, days_ago=days_ago)
		make_membership(start=-2, club=park)
		cls.manager = make_club_user("center.manager@example.com", ["Club Manager"], club=center)

	def tearDown(self):
		frappe.set_user("Administrator")

	def rows(self, data, key="stage"):
		return {row[key]: row for row in data}

	def test_segmentation_counts_and_shares(self):
		_columns, data, _message, chart, summary = segmentation(
			{"date": nowdate(), "club": "_Test Club Center"}
		)
		rows = self.rows(data)
		self.assertEqual(rows["Newcomer"]["members"], 1)
		self.assertEqual(rows["Newcomer"]["share"], 33.3)
		self.assertEqual((rows["Inactive"]["members"], rows["Engaged"]["members"]), (1, 1))
		self.assertEqual(summary[0]["value"], 3)
		self.assertEqual(summary[1]["value"], 1)  # the inactive member is past the at-risk date
		self.assertEqual(sum(chart["data"]["datasets"][0]["values"]), 3)
		_c, by_club, *_rest = segmentation({"date": nowdate(), "group_by": "Club"})
		park = [r for r in by_club if r["club"] == "_Test Club Park"]
		self.assertEqual([(r["stage"], r["members"], r["share"]) for r in park], [("Newcomer", 1, 100.0)])

	def test_club_manager_sees_only_their_club(self):
		frappe.set_user(self.manager)
		_c, data, _m, _chart, summary = segmentation({"date": nowdate(), "group_by": "Club"})
		self.assertEqual({r["club"] for r in data}, {"_Test Club Center"})
		self.assertEqual(summary[0]["value"], 3)
		_c, data, *_rest = segmentation({"date": nowdate(), "club": "_Test Club Park"})
		self.assertEqual(data, [])

	def test_statistics_entries_exits_days_and_path(self):
		member = make_customer()
		move(member, None, "Newcomer", 20)
		move(member, "Newcomer", "Starter package in progress", 13)
		move(member, "Starter package in progress", "Engaged", 6)
		other = make_customer()
		move(other, "Engaged", "Inactive", 5, club="_Test Club Park")
		_c, data, _m, _chart, summary = statistics(
			{"from_date": add_days(nowdate(), -30), "to_date": nowdate(), "periodicity": "Weekly"}
		)
		entries = lambda stage: sum(r["entries"] for r in data if r["stage"] == stage)  # noqa: E731
		exits = lambda stage: sum(r["exits"] for r in data if r["stage"] == stage)  # noqa: E731
		self.assertEqual((entries("Newcomer"), exits("Newcomer")), (1, 1))
		self.assertEqual((entries("Engaged"), exits("Engaged")), (1, 1))
		days = {r["stage"]: r["mean_days"] for r in data}
		self.assertEqual(days["Newcomer"], 7)
		self.assertEqual(days["Starter package in progress"], 7)
		self.assertEqual(summary[0]["value"], 3)  # three moves between stages
		self.assertEqual(summary[1]["value"], 66.7)  # two of them along the standard path
		frappe.set_user(self.manager)
		_c, data, *_rest = statistics({"from_date": add_days(nowdate(), -30), "to_date": nowdate()})
		self.assertNotIn("Inactive", {r["stage"] for r in data})  # the Park club's move is not shown

	def test_goals_against_targets(self):
		month = get_first_day(add_months(nowdate(), -1))
		north = make_club("_Test Club North")
		renewed = make_membership(start=-400, days=365, club=north)
		frappe.db.set_value("Club Membership", renewed.name, "end_date", add_days(month, 10))
		make_membership(
			member=renewed.member,
			start=frappe.utils.date_diff(add_days(month, 11), nowdate()),
			renews=renewed.name,
			club=north,
		)
		lost = make_membership(start=-400, days=365, club=north)
		frappe.db.set_value("Club Membership", lost.name, "end_date", add_days(month, 12))
		standard = frappe.get_doc("Lifecycle Standard", {"is_default": 1})
		standard.append("goals", {"goal": "Renewal share", "target": 60})
		standard.save()
		_c, data, _m, chart, _s = goals({"from_date": month, "to_date": nowdate(), "club": north})
		row = next(r for r in data if r["goal"] == "Renewal share" and str(r["period"]) == str(month))
		self.assertEqual((row["numerator"], row["denominator"]), (1, 2))
		self.assertEqual((row["value"], row["target"], row["gap"], row["reached"]), (50.0, 60.0, -10.0, 0))
		self.assertTrue(chart["data"]["datasets"])
