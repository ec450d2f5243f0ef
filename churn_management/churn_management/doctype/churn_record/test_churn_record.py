# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from churn_management.churn_management.doctype.churn_record.churn_record import (
	OpenChurnRecordExistsError,
	WinBackError,
)
from churn_management.tests.utils import (
	TEST_IGNORE,
	get_company,
	make_customer,
	make_reason,
	make_retention_method,
	make_user,
)

test_ignore = TEST_IGNORE

MANAGER = "churn.manager@example.com"
DESK = "churn.desk@example.com"


def make_record(customer: str, **values):
	doc = frappe.get_doc(
		{
			"doctype": "Churn Record",
			"customer": customer,
			"company": get_company(),
			"churn_date": values.pop("churn_date", nowdate()),
			"churn_kind": values.pop("churn_kind", "Voluntary"),
			"churn_reason": values.pop("churn_reason", make_reason("_Test Too expensive").name),
			**values,
		}
	)
	return doc.insert(ignore_permissions=True)


class TestChurnRecord(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(MANAGER, ["Retention Manager"])
		make_user(DESK, ["Termination Desk"])
		cls.method = make_retention_method("_Test Free month").name

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_one_open_record_per_customer(self):
		customer = make_customer()
		make_record(customer)
		with self.assertRaises(OpenChurnRecordExistsError):
			make_record(customer)

	def test_win_back_then_secondary_churn(self):
		customer = make_customer()
		record = make_record(customer, churn_date=add_days(nowdate(), -40))
		self.assertEqual(record.churn_order, "Primary")
		frappe.set_user(MANAGER)
		record = frappe.get_doc("Churn Record", record.name)
		record.mark_won_back(self.method, nowdate())
		frappe.set_user("Administrator")
		record.reload()
		self.assertEqual(record.status, "Won Back")
		self.assertEqual(record.won_back_by, MANAGER)
		self.assertEqual(record.won_back_method, self.method)
		self.assertEqual(frappe.db.get_value("Customer", customer, "churn_status"), "Won back")
		self.assertFalse(frappe.db.get_value("Customer", customer, "open_churn_record"))
		again = make_record(customer)
		self.assertEqual(again.churn_order, "Secondary")

	def test_win_back_before_churn_is_refused(self):
		record = make_record(make_customer(), churn_date=nowdate())
		with self.assertRaises(WinBackError):
			record.mark_won_back(self.method, add_days(nowdate(), -1))

	def test_desk_cannot_mark_won_back(self):
		record = make_record(make_customer())
		frappe.set_user(DESK)
		record = frappe.get_doc("Churn Record", record.name)
		self.assertTrue(frappe.has_permission("Churn Record", "read", doc=record))
		with self.assertRaises(frappe.PermissionError):
			record.mark_won_back(self.method)

	def test_reason_must_be_a_leaf(self):
		from churn_management.churn_management.doctype.churn_reason.churn_reason import ReasonNotLeafError
		from churn_management.tests.utils import make_reason_group

		with self.assertRaises(ReasonNotLeafError):
			make_record(make_customer(), churn_reason=make_reason_group("_Test Group General").name)
