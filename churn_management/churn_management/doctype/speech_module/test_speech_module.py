# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.retention.doctype.retention_task.retention_task import get_call_guide
from churn_management.tests.retention_utils import (
	MANAGER,
	RETENTION_TEST_IGNORE,
	make_assignment_rule,
	make_retention_users,
	make_task,
)
from churn_management.tests.utils import make_reason, make_reason_group

test_ignore = RETENTION_TEST_IGNORE


def speech_module(title: str, group: str, first_step: str = "Opening"):
	return frappe.get_doc(
		{
			"doctype": "Speech Module",
			"title": title,
			"reason_group": group,
			"steps": [
				{"step_type": first_step, "text": "Good afternoon, this is the customer care service."},
				{"step_type": "Finding the true reason", "text": "What made you think about leaving?"},
			],
		}
	)


class TestSpeechModule(FrappeTestCase):
	def test_a_script_starts_with_an_opening(self):
		group = make_reason_group("_Test Group Service").name
		with self.assertRaises(frappe.ValidationError):
			speech_module("_Test Script wrong start", group, first_step="Offer").insert()
		self.assertTrue(speech_module("_Test Script service", group).insert().name)

	def test_belongs_to_a_reason_group(self):
		leaf = make_reason("_Test Rude staff", group=make_reason_group("_Test Group Service").name).name
		with self.assertRaises(frappe.ValidationError):
			speech_module("_Test Script on a leaf", leaf).insert()

	def test_a_step_title_does_not_repeat_its_type(self):
		group = make_reason_group("_Test Group Objections").name
		module = speech_module("_Test Script objections", group)
		module.append("steps", {"step_type": "Objection", "title": "Objection: 'Too dear'", "text": "..."})
		module.append("steps", {"step_type": "Offer", "title": "Offer", "text": "Two months free"})
		module.insert()
		self.assertEqual([s.title for s in module.steps[2:]], ["'Too dear'", None])

	def test_the_call_guide_names_each_step_once(self):
		"""Scripts saved before titles were cleaned (or loaded in Russian) show the type once."""
		make_retention_users()
		make_assignment_rule([MANAGER])
		group = make_reason_group("_Test Group Guide Objections").name
		module = speech_module("_Test Script guide objections", group)
		module.append("steps", {"step_type": "Objection", "title": "x", "text": "It is too dear."})
		module.append("steps", {"step_type": "Objection", "title": "x", "text": "Слишком дорого."})
		module.insert()
		frappe.db.set_value("Speech Module Step", module.steps[2].name, "title", "Objection: 'Too dear'")
		frappe.db.set_value("Speech Module Step", module.steps[3].name, "title", "Возражение: «Дорого»")
		frappe.clear_document_cache("Speech Module", module.name)
		reason = make_reason("_Test Too dear guide", group=group, managed=1).name
		task = make_task(status="Open", churn_reason=reason)
		frappe.set_user(MANAGER)
		try:
			english = get_call_guide(task.name)["steps"]
			frappe.local.lang = "ru"
			russian = get_call_guide(task.name)["steps"]
		finally:
			frappe.local.lang = "en"
			frappe.set_user("Administrator")
		self.assertEqual(english[2]["title"], "'Too dear'")
		self.assertEqual(russian[3]["title"], "«Дорого»")
