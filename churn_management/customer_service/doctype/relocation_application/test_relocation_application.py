# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, nowdate

from churn_management.customer_service.doctype.relocation_application.relocation_application import (
	OutOfCoverageReasonError,
	RelocationAddressError,
)
from churn_management.tests.application_utils import (
	ACCOUNTS,
	APPLICATION_TEST_IGNORE,
	COLLECTOR,
	COVERED_DISTRICT,
	DESK,
	FAR_AWAY,
	FEE_ITEM,
	HEAD,
	assert_hidden_from_other_company,
	assert_role_matrix,
	make_billed_subscription,
	make_cs_users,
	set_cs_settings,
)
from churn_management.tests.utils import make_reason, make_reason_group

OUT_OF_COVERAGE_KEY = "isp:reason:moved-to-a-district-without-our-network"

test_ignore = APPLICATION_TEST_IGNORE


def make_address(customer: str) -> str:
	address = frappe.get_doc(
		{
			"doctype": "Address",
			"address_title": customer,
			"address_type": "Billing",
			"address_line1": "1 Old Street",
			"city": "Old Town",
			"country": frappe.db.get_value(
				"Company", frappe.defaults.get_global_default("company"), "country"
			),
			"is_primary_address": 1,
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Customer", customer, "customer_primary_address", address.name)
	return address.name


def make_relocation(subscription, territory: str, **values):
	return frappe.get_doc(
		{
			"doctype": "Relocation Application",
			"customer": subscription.party,
			"company": subscription.company,
			"subscription": subscription.name,
			"move_date": add_days(nowdate(), 3),
			"address_line1": "25 New Avenue",
			"city": "New Town",
			"new_territory": territory,
			**values,
		}
	).insert()


def out_of_coverage_reason() -> str:
	"""The preset's reason, found by its key: named here in Russian so the English text cannot match."""
	group = make_reason_group("_Test Переезд из зоны", managed=0).name
	reason = make_reason("_Test Переехал в район без сети", group=group, managed=0)
	frappe.db.set_value("Churn Reason", reason.name, "preset_key", OUT_OF_COVERAGE_KEY)
	return reason.name


class TestRelocationApplication(FrappeTestCase):
	def setUp(self):
		make_cs_users()
		set_cs_settings(relocation_fee_amount=300)
		self.subscription, self.invoice = make_billed_subscription()
		self.address = make_address(self.subscription.party)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # each test starts from the class's clean state

	def test_a_move_inside_the_coverage_area_moves_the_service(self):
		frappe.set_user(DESK)
		doc = make_relocation(self.subscription, COVERED_DISTRICT)
		self.assertEqual(
			(doc.inside_coverage, flt(doc.transfer_fee), doc.current_address), (1, 300, self.address)
		)
		doc.submit()
		self.assertEqual((doc.status, doc.address), ("Moved", self.address))
		address = frappe.get_doc("Address", self.address)
		self.assertEqual((address.address_line1, address.city), ("25 New Avenue", "New Town"))
		self.assertEqual(frappe.db.get_value("Customer", doc.customer, "territory"), COVERED_DISTRICT)
		self.assertEqual(
			frappe.db.get_value("Subscription", doc.subscription, "status"), self.subscription.status
		)
		fee = frappe.get_doc("Sales Invoice", doc.fee_invoice)
		self.assertEqual((fee.docstatus, fee.customer, flt(fee.grand_total)), (1, doc.customer, 300))
		self.assertEqual(fee.items[0].item_code, FEE_ITEM)
		self.assertFalse(frappe.db.exists("Termination Application", {"customer": doc.customer}))

	def test_a_new_address_is_added_and_made_primary(self):
		frappe.set_user(DESK)
		doc = make_relocation(
			self.subscription, COVERED_DISTRICT, address_action="Add a new address", transfer_fee=0
		)
		doc.transfer_fee = 0
		doc.save()
		doc.submit()
		self.assertNotEqual(doc.address, self.address)
		self.assertEqual(
			frappe.db.get_value("Customer", doc.customer, "customer_primary_address"), doc.address
		)
		links = frappe.get_all(
			"Dynamic Link", filters={"parent": doc.address}, fields=["link_doctype", "link_name"]
		)
		self.assertEqual([(row.link_doctype, row.link_name) for row in links], [("Customer", doc.customer)])
		self.assertEqual(frappe.db.get_value("Address", self.address, "address_line1"), "1 Old Street")
		self.assertFalse(doc.fee_invoice)

	def test_a_move_outside_drafts_a_termination_with_the_unmanaged_reason(self):
		reason = out_of_coverage_reason()
		frappe.set_user(DESK)
		doc = make_relocation(self.subscription, FAR_AWAY, customer_words="We are moving to the village.")
		self.assertEqual((doc.inside_coverage, flt(doc.transfer_fee)), (0, 0))
		doc.submit()
		self.assertEqual(doc.status, "Sent to Termination")
		termination = frappe.get_doc("Termination Application", doc.termination_application)
		self.assertEqual(
			(
				termination.docstatus,
				termination.churn_reason,
				termination.inside_coverage,
				termination.managed,
			),
			(0, reason, "No", 0),
		)
		self.assertEqual([row.subscription for row in termination.subscriptions], [self.subscription.name])
		self.assertIn("25 New Avenue", termination.new_address)
		# nothing ends by itself: the address and the subscription stay as they were
		self.assertEqual(frappe.db.get_value("Address", self.address, "address_line1"), "1 Old Street")
		self.assertEqual(
			frappe.db.get_value("Subscription", doc.subscription, "status"), self.subscription.status
		)

	def test_no_address_is_refused(self):
		frappe.set_user(DESK)
		before = frappe.db.count("Relocation Application")
		self.assertRaises(
			RelocationAddressError, make_relocation, self.subscription, COVERED_DISTRICT, address_line1=""
		)
		self.assertRaises(
			RelocationAddressError, make_relocation, self.subscription, COVERED_DISTRICT, city=" "
		)
		self.assertEqual(frappe.db.count("Relocation Application"), before)

	def test_without_the_reason_nothing_is_half_done(self):
		frappe.db.set_value("Churn Reason", {"preset_key": OUT_OF_COVERAGE_KEY}, "preset_key", None)
		frappe.set_user(DESK)
		doc = make_relocation(self.subscription, FAR_AWAY)
		self.assertRaises(OutOfCoverageReasonError, doc.submit)
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "docstatus"), 0)
		self.assertFalse(frappe.db.exists("Termination Application", {"customer": doc.customer}))

	def test_the_form_prints_in_the_readers_language(self):
		doc = make_relocation(self.subscription, COVERED_DISTRICT)
		frappe.local.lang = "ru"
		self.addCleanup(setattr, frappe.local, "lang", "en")
		html = frappe.get_print(doc.doctype, doc.name, "Relocation Application Form")
		self.assertIn("Заявление о переносе услуги на новый адрес", html)
		self.assertIn("25 New Avenue", html)

	def test_role_matrix(self):
		doc = make_relocation(self.subscription, COVERED_DISTRICT)
		assert_role_matrix(
			self,
			doc,
			("read", "create", "submit"),
			{DESK: (1, 1, 1), HEAD: (1, 1, 1), ACCOUNTS: (1, 0, 0), COLLECTOR: (0, 0, 0)},
		)
