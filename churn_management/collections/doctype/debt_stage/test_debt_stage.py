# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from churn_management.collections.doctype.debt_stage.debt_stage import StageRangeError
from churn_management.tests.debt_utils import reset_stages
from churn_management.tests.utils import TEST_IGNORE, make_user

test_ignore = TEST_IGNORE

HEAD = "stage.head@example.com"


class TestDebtStage(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		reset_stages()
		make_user(HEAD, ["Retention Head"])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "en"

	def refusal(self, **values) -> str:
		stage = frappe.get_doc({"doctype": "Debt Stage", "stage_name": "_Test Overlap", **values})
		with self.assertRaises(StageRangeError) as refused:
			stage.insert()
		return str(refused.exception)

	def test_a_russian_head_reads_the_stage_fault_whole_in_russian(self):
		frappe.set_user(HEAD)
		frappe.local.lang = "ru"
		message = self.refusal(from_day=10, to_day=12)
		self.assertIn("Этапы «Звонок» и «_Test Overlap» пересекаются.", message)
		self.assertIn("Дни с 13 по 15 между этапами «_Test Overlap» и «Предупреждение и блокировка»", message)
		for english in ("stage", "overlap", "belong"):
			self.assertNotIn(english, message)

	def test_an_english_head_reads_it_in_english(self):
		frappe.set_user(HEAD)
		message = self.refusal(from_day=10, to_day=12)
		self.assertIn("Stages 'Call' and '_Test Overlap' overlap.", message)
