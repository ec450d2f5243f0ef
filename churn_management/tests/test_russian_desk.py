# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The desk in Russian shows the app's own words, looked up the way Frappe v15 looks them up.

The desk's __(text, null, context) reads frappe._messages (the boot's merged catalogue of all apps)
under "text:context" first, then under "text"; a form passes the field's DocType as the context.
"""

import re

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.translate import clear_cache, get_messages_for_boot, get_translation_dict_from_file

from churn_management.collections.doctype.debt_stage.debt_stage import create_preset_stages
from churn_management.tests.utils import make_user

CYRILLIC = re.compile("[А-Яа-яЁё]")


def desk(text: str, context: str | None = None) -> str:
	"""What the desk's __(text, null, context) shows to the session's user."""
	messages = get_messages_for_boot()
	return (context and messages.get(f"{text}:{context}")) or messages.get(text) or text


def app_modules() -> list[str]:
	return frappe.get_module_list("churn_management")


def ours() -> dict[str, str]:
	"""The app's own catalogue, keyed as Frappe keys it ("text" or "text:context")."""
	path = frappe.get_app_path("churn_management", "translations", "ru.csv")
	return get_translation_dict_from_file(path, "ru", "churn_management")


def app_doctypes() -> list[str]:
	return frappe.get_all("DocType", filters={"module": ("in", app_modules()), "custom": 0}, pluck="name")


class TestRussianDesk(FrappeTestCase):
	def setUp(self):
		self.lang = frappe.local.lang
		clear_cache()
		self.collector = make_user("_test_ru_collector@example.com", ["Debt Collector"])
		self.manager = make_user("_test_ru_retention@example.com", ["Retention Manager", "Club Manager"])
		for user in (self.collector, self.manager):
			frappe.db.set_value("User", user, "language", "ru")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.lang = self.lang

	def login(self, user: str) -> None:
		frappe.set_user(user)
		frappe.set_user_lang(user)
		self.assertEqual(frappe.local.lang, "ru")

	def test_debt_case_reads_in_the_apps_words(self):
		self.login(self.collector)
		label = frappe.get_meta("Debt Case").get_field("outstanding").label
		self.assertEqual(desk(label, "Debt Case"), "Задолженность")
		self.assertEqual(_(label, context="Debt Case"), "Задолженность")
		self.assertEqual(desk("Call", "Debt Case Action"), "Звонок")
		self.assertEqual(_("Call", context="Debt Case Action"), "Звонок")
		self.assertEqual(desk("Open", "Debt Case"), "Открыто")
		self.assertEqual(desk("Total Outstanding", "Debtors"), "Общая задолженность")

	def test_debtors_shortcut_and_report_title(self):
		self.login(self.collector)
		shortcuts = frappe.get_doc("Workspace", "Collections").shortcuts
		self.assertIn("Debtors", [s.label for s in shortcuts])
		self.assertEqual(desk("Debtors"), "Дебиторы")
		self.assertEqual(_("Debtors"), "Дебиторы")

	def test_number_card_titles_are_russian(self):
		self.login(self.manager)
		catalogue = ours()
		titles = set(frappe.get_all("Number Card", filters={"module": ("in", app_modules())}, pluck="label"))
		for workspace in frappe.get_all("Workspace", filters={"module": ("in", app_modules())}, pluck="name"):
			titles.update(card.label for card in frappe.get_doc("Workspace", workspace).number_cards)
		self.assertIn("Lapsed Members", titles)
		wrong = {t: desk(t) for t in titles if desk(t) != catalogue.get(t) or not CYRILLIC.search(desk(t))}
		self.assertEqual(wrong, {})
		self.assertEqual(desk("Retention Tasks Due Today"), "Задачи удержания на сегодня")

	def test_call_guide_step_reads_under_its_context(self):
		self.login(self.manager)
		self.assertEqual(desk("Opening", "Speech Module Step"), "Приветствие")
		self.assertNotEqual(
			desk("Opening"), "Приветствие"
		)  # Frappe's and ERPNext's own "Opening" stays theirs

	def test_every_label_and_option_of_the_app_shows_the_apps_word(self):
		"""On the site, after every app's catalogue is merged, no other app's word replaces ours."""
		self.login(self.manager)
		catalogue = ours()
		wrong = {}
		for doctype in app_doctypes():
			# a custom field here is Frappe's own (the workflow's Workflow State), read in Frappe's words
			for df in (f for f in frappe.get_meta(doctype).fields if not f.get("is_custom_field")):
				texts = [df.label] + (
					(df.options or "").split("\n")
					if df.fieldtype == "Select" and "YYYY" not in (df.options or "")
					else []
				)
				for text in filter(None, texts):
					expected = catalogue.get(f"{text}:{doctype}") or catalogue.get(text)
					if desk(text, doctype) != expected:
						wrong[f"{doctype}: {text}"] = desk(text, doctype)
		self.assertEqual(wrong, {})

	def test_preset_debt_stages_are_named_in_russian(self):
		frappe.db.delete("Debt Stage")
		self.assertEqual(create_preset_stages("security", "ru"), 5)
		self.assertEqual(
			frappe.get_all("Debt Stage", order_by="from_day asc", pluck="name"),
			["Напоминание", "Звонок", "Предупреждение и блокировка", "Работа до оттока", "Решение"],
		)

	def test_retention_activities_rows_read_in_russian(self):
		"""The report's cells of the task's own choices (type, status) are the task's words in Russian."""
		from churn_management.retention.report.retention_activities.retention_activities import execute
		from churn_management.tests.retention_utils import make_retention_users, make_task

		make_retention_users()
		make_task(status="Open")
		frappe.db.set_value("User", "Administrator", "language", "ru")
		self.addCleanup(frappe.db.set_value, "User", "Administrator", "language", "en")
		frappe.set_user_lang("Administrator")
		rows = execute(frappe._dict())[1]
		self.assertTrue(rows)
		self.assertIn("Открыта", {row["status"] for row in rows})
		self.assertNotIn("Open", {row["status"] for row in rows})
		self.assertNotIn("Win-back", {row["task_type"] for row in rows})

	def test_debt_case_recommendation_is_an_option_of_the_case(self):
		"""The desk shows a Select's value under its DocType: "Collect" reads as the app's Russian."""
		field = frappe.get_meta("Debt Case").get_field("recommendation")
		self.assertEqual(field.fieldtype, "Select")
		self.assertIn("Collect", field.options.split("\n"))
		self.login(self.collector)
		self.assertEqual(desk("Collect", "Debt Case"), "Взыскивать")
