# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Each role lands on its own workspace, sees only those it may use, and everything on them works."""

import json
import unittest

import frappe
from frappe.desk.desktop import get_desktop_page, get_workspace_sidebar_items
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as get_chart
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.tests.utils import FrappeTestCase

from churn_management.install import (
	LANDING_WORKSPACES,
	app_modules,
	land_existing_users,
	workspace_opens_to,
)
from churn_management.tests.utils import TEST_IGNORE, make_user

test_ignore = TEST_IGNORE

OURS = ("Churn Management", "Termination Desk", "Retention", "Collections", "Club", "Churn Analytics")


def analytics_opens() -> bool:
	"""Churn Analytics opens once a Management DocType the analyst reads is on the site (i17-plan)."""
	return workspace_opens_to("Churn Analytics", {"Churn Analyst"})


def role_workspaces() -> dict[str, tuple[str, set[str]]]:
	"""Per role: where it lands, and the app's workspaces its sidebar shows."""
	analytics = {"Churn Analytics"} if analytics_opens() else set()
	return {
		"Termination Desk": ("Termination Desk", {"Termination Desk"}),
		"Retention Manager": ("Retention", {"Retention", "Club"}),
		"Retention Head": ("Churn Management", set(OURS) - {"Churn Analytics"} | analytics),
		"Churn Analyst": (
			"Churn Analytics" if analytics else "Retention",
			{"Retention", "Collections", "Club"} | analytics,
		),
		"Debt Collector": ("Collections", {"Collections"}),
		"Club Manager": ("Club", {"Club"}),
	}


# links of a shared workspace meant for another of its roles: ERPNext's finance screens (for the
# accountants on Collections), the report by sales channel (for finance and the head), and setup
# (for the head and the club manager)
FOR_OTHER_ROLES = {
	"Retention Manager": {"Assignment Rule", "Branch", "Department"},
	"Debt Collector": {"Debt by Sales Channel", "Accounts Receivable", "Dunning Type", "Payment Entry"},
	"Retention Head": {"Accounts Receivable", "Dunning Type", "Payment Entry", "Department"},
	"Churn Analyst": {
		"Assignment Rule",
		"Accounts Receivable",
		"Dunning",
		"Dunning Type",
		"Payment Entry",
		"Department",
	},
}


def chart_data(name: str) -> dict:
	"""A chart's data as the desk asks for it: Frappe's own source, or the app's for a Custom chart."""
	from churn_management.management import charts

	chart = frappe.get_doc("Dashboard Chart", name)
	if chart.chart_type == "Custom":
		source = {"Members by Stage": charts.members_by_stage, "Debt by Age": charts.debt_by_age}[
			chart.source
		]
		return source(chart_name=name, refresh=1)
	return get_chart(chart_name=name, refresh=1)


def role_user(role: str) -> str:
	return make_user(f"ws.{frappe.scrub(role)}.{frappe.generate_hash(length=6)}@example.com", [role])


def shown_page(name: str) -> dict:
	"""The workspace as the desk builds it for the user in session (items they may not use left out)."""
	doc = frappe.get_doc("Workspace", name)
	return get_desktop_page(json.dumps({"name": name, "title": doc.title, "public": 1}))


class TestRoleWorkspaces(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_each_role_lands_on_its_own_workspace_and_sees_only_its_own(self):
		for role, (landing, visible) in role_workspaces().items():
			with self.subTest(role=role):
				user = role_user(role)
				self.assertEqual(frappe.db.get_value("User", user, "default_workspace"), landing)
				frappe.set_user(user)
				pages = {page["name"] for page in get_workspace_sidebar_items()["pages"]}
				frappe.set_user("Administrator")
				self.assertEqual(pages & set(OURS), visible)

	def test_everything_on_a_roles_workspaces_is_permitted_to_it(self):
		for role, (_landing, visible) in role_workspaces().items():
			user = role_user(role)
			for name in sorted(visible):
				with self.subTest(role=role, workspace=name):
					self.assert_all_shown(user, name, FOR_OTHER_ROLES.get(role, set()))

	def test_charts_and_cards_answer_as_the_role(self):
		for role, (_landing, visible) in role_workspaces().items():
			user = role_user(role)
			for name in sorted(visible):
				workspace = frappe.get_doc("Workspace", name)
				frappe.set_user(user)
				try:
					for row in workspace.charts:
						with self.subTest(role=role, chart=row.chart_name):
							chart_data(row.chart_name)
					for row in workspace.number_cards:
						with self.subTest(role=role, card=row.number_card_name):
							self.assert_card_answers(row.number_card_name)
				finally:
					frappe.set_user("Administrator")

	@unittest.skipUnless(analytics_opens(), "runs once a Management DocType opens Churn Analytics (i17-plan)")
	def test_the_analyst_lands_on_churn_analytics_with_all_four_charts(self):
		user = role_user("Churn Analyst")
		self.assertEqual(frappe.db.get_value("User", user, "default_workspace"), "Churn Analytics")
		self.assert_all_shown(user, "Churn Analytics", set())
		self.assertEqual(len(frappe.get_doc("Workspace", "Churn Analytics").charts), 4)

	def test_members_by_stage_shows_the_managers_club_in_stage_order_in_their_words(self):
		from churn_management.tests.club_utils import make_club, make_club_user, make_membership

		ours, other = make_club("_Test Chart Club"), make_club("_Test Other Chart Club")
		for club, stage in ((ours, "Inactive"), (ours, "Inactive"), (ours, "Newcomer"), (other, "Engaged")):
			make_membership(club=club).db_set("lifecycle_stage", stage)
		user = make_club_user(
			f"chart.club.{frappe.generate_hash(length=6)}@example.com", ["Club Manager"], ours
		)
		frappe.db.set_value("User", user, "language", "ru")
		frappe.set_user(user)
		frappe.set_user_lang(user)
		try:
			data = chart_data("Members by Stage")
		finally:
			frappe.set_user("Administrator")
			frappe.set_user_lang("Administrator")
		self.assertEqual(data["labels"], ["Новичок", "Неактивный"])
		self.assertEqual(data["datasets"][0]["values"], [1, 2])

	def test_debt_by_age_sums_the_collectors_cases_from_the_youngest_debt(self):
		from churn_management.tests.utils import get_company, make_customer

		user = role_user("Debt Collector")
		young, old = frappe.get_all("Debt Stage", order_by="from_day asc", pluck="name", limit=2)
		for stage, outstanding, collector in (
			(old, 700, user),
			(young, 300, user),
			(young, 200, user),
			(old, 999, None),
		):
			frappe.get_doc(
				{
					"doctype": "Debt Case",
					"name": f"_TEST-DEBT-{frappe.generate_hash(length=8)}",
					"customer": make_customer(),
					"company": get_company(),
					"status": "Open",
					"stage": stage,
					"outstanding": outstanding,
					"collector": collector,
				}
			).db_insert()
		frappe.set_user(user)
		data = chart_data("Debt by Age")
		self.assertEqual(data["labels"], [young, old])
		self.assertEqual(data["datasets"][0]["values"], [500, 700])

	def test_workspaces_of_the_app_live_in_the_apps_modules(self):
		self.assertTrue({"Customer Service", "Management"} <= set(app_modules()))
		for name in OURS:
			self.assertIn(frappe.db.get_value("Workspace", name, "module"), app_modules())
		for _role, workspace in LANDING_WORKSPACES:
			self.assertIn(workspace, OURS)

	def test_existing_users_land_where_they_had_no_landing_or_lost_it(self):
		desk = role_user("Termination Desk")
		chosen = role_user("Retention Manager")
		frappe.db.set_value("User", desk, "default_workspace", "Churn Management")  # the old landing
		frappe.db.set_value("User", chosen, "default_workspace", "Selling")  # a choice of their own
		head = role_user("Retention Head")
		frappe.db.set_value("User", head, "default_workspace", None)
		land_existing_users()
		self.assertEqual(frappe.db.get_value("User", desk, "default_workspace"), "Termination Desk")
		self.assertEqual(frappe.db.get_value("User", chosen, "default_workspace"), "Selling")
		self.assertEqual(frappe.db.get_value("User", head, "default_workspace"), "Churn Management")

	def test_a_user_of_only_our_roles_keeps_our_new_modules_unblocked(self):
		from churn_management.install import MODULE_PROFILE, ensure_module_profile

		frappe.get_doc("Module Profile", MODULE_PROFILE).append(
			"block_modules", {"module": "Management"}
		).db_insert()
		user = role_user("Churn Analyst")
		ensure_module_profile()
		blocked = frappe.get_all(
			"Block Module", filters={"parent": ("in", [MODULE_PROFILE, user])}, pluck="module"
		)
		self.assertNotIn("Management", blocked)
		self.assertNotIn("Customer Service", blocked)
		self.assertIn("Selling", blocked)

	def assert_all_shown(self, user: str, name: str, for_others: set[str]) -> None:
		"""Every chart, card, shortcut and link of the workspace reaches the user: none left out."""
		workspace = frappe.get_doc("Workspace", name)
		frappe.set_user(user)
		try:
			page = shown_page(name)
		finally:
			frappe.set_user("Administrator")
		shown = {
			"charts": [c.chart_name for c in page["charts"]["items"]],
			"number_cards": [c.number_card_name for c in page["number_cards"]["items"]],
			"shortcuts": [s.label for s in page["shortcuts"]["items"]],
			"links": [link.label for card in page["cards"]["items"] for link in card["links"]],
		}
		expected = {
			"charts": [c.chart_name for c in workspace.charts],
			"number_cards": [c.number_card_name for c in workspace.number_cards],
			"shortcuts": [s.label for s in workspace.shortcuts],
			"links": [
				link.label for link in workspace.links if link.type == "Link" and link.label not in for_others
			],
		}
		self.assertEqual(shown, expected)

	def assert_card_answers(self, card_name: str) -> None:
		card = frappe.get_doc("Number Card", card_name)
		if card.type == "Custom":  # called as the desk calls it, through the app's moved-method hooks
			method = frappe.get_hooks("override_whitelisted_methods").get(card.method, [card.method])[-1]
			frappe.get_attr(method)()
			return
		value = get_result(card.as_json(), card.filters_json)
		self.assertIsNotNone(value)
