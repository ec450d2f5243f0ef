# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from churn_management.churn_management.doctype.churn_reason.churn_reason import ReasonMismatchError
from churn_management.churn_management.doctype.churn_record.churn_record import (
	ChurnDateError,
	OpenChurnRecordExistsError,
	WinBackError,
	get_reason_coverage,
)
from churn_management.tests.utils import CHURN_ANALYST as ANALYST
from churn_management.tests.utils import CHURN_DESK as DESK
from churn_management.tests.utils import CHURN_HEAD as HEAD
from churn_management.tests.utils import CHURN_MANAGER as MANAGER
from churn_management.tests.utils import (
	TEST_IGNORE,
	get_company,
	make_churn_users,
	make_customer,
	make_reason,
	make_retention_method,
)

test_ignore = TEST_IGNORE


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
		make_churn_users()
		cls.non_payment = make_reason("_Test Non-payment", is_non_payment=1).name
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

	def test_kind_and_reason_agree(self):
		with self.assertRaises(ReasonMismatchError):
			make_record(make_customer(), churn_kind="Voluntary", churn_reason=self.non_payment)
		with self.assertRaises(ReasonMismatchError):
			make_record(make_customer(), churn_kind="Involuntary")
		self.assertTrue(
			make_record(make_customer(), churn_kind="Involuntary", churn_reason=self.non_payment).name
		)

	def test_a_b2c_reason_is_not_a_companys(self):
		reason = make_reason("_Test Moved flat", customer_type="B2C").name
		with self.assertRaises(ReasonMismatchError):
			make_record(make_customer(customer_type="Company"), churn_reason=reason, customer_type="B2B")

	def test_dates_and_customer_hold(self):
		customer = make_customer()
		record = make_record(customer, churn_date=add_days(nowdate(), -10))
		record.mark_won_back(self.method, add_days(nowdate(), -5))
		record.reload()
		record.churn_date = nowdate()
		with self.assertRaises(ChurnDateError):
			record.save()
		record.reload()
		record.customer = make_customer()
		with self.assertRaises(frappe.ValidationError):
			record.save()
		# a new churn is never dated before the return it follows
		with self.assertRaises(ChurnDateError):
			make_record(customer, churn_date=add_days(nowdate(), -7))

	def test_returned_by_payment_closes_the_record(self):
		customer = make_customer()
		record = make_record(customer, churn_kind="Involuntary", churn_reason=self.non_payment)
		record.close_as_returned_by_payment(nowdate())
		record.reload()
		self.assertEqual(record.status, "Returned by Payment")
		self.assertEqual(frappe.db.get_value("Customer", customer, "churn_status"), "Active")
		self.assertEqual(make_record(customer).churn_order, "Secondary")

	def test_facts_are_read_only_for_the_manager_and_tracked_for_the_head(self):
		record = make_record(make_customer(), lost_mrr=500)
		frappe.set_user(MANAGER)
		doc = frappe.get_doc("Churn Record", record.name)
		doc.lost_mrr = 1
		doc.churn_date = add_days(nowdate(), -100)
		doc.save()
		doc.reload()
		self.assertEqual(doc.lost_mrr, 500)
		self.assertEqual(str(doc.churn_date), nowdate())
		frappe.set_user(HEAD)
		doc = frappe.get_doc("Churn Record", record.name)
		doc.lost_mrr = 700
		doc.save()
		self.assertEqual(frappe.db.get_value("Churn Record", record.name, "lost_mrr"), 700)
		self.assertTrue(frappe.get_meta("Churn Record").track_changes)

	def test_reason_coverage_against_target(self):
		frappe.db.set_single_value(
			"Churn Settings", {"non_payment_reason": self.non_payment, "target_reason_coverage": 80}
		)
		frappe.set_user(ANALYST)
		before = get_reason_coverage()
		frappe.set_user("Administrator")
		make_record(make_customer(), churn_kind="Involuntary", churn_reason=self.non_payment)
		make_record(make_customer())
		frappe.set_user(ANALYST)
		after = get_reason_coverage()
		self.assertEqual(after["target"], 80)
		self.assertEqual(after["records"], before["records"] + 2)
		known_before = (before["coverage"] or 0) * before["records"] / 100
		self.assertAlmostEqual(
			after["coverage"], round((known_before + 1) / after["records"] * 100, 1), places=0
		)

	def test_customer_form_shows_churn_connections(self):
		data = frappe.get_meta("Customer").get_dashboard_data()
		items = [item for group in data.transactions for item in group.get("items", [])]
		self.assertIn("Termination Application", items)
		self.assertIn("Churn Record", items)
