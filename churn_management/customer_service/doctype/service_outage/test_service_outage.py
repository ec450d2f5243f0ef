# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, date_diff, flt, get_datetime, getdate, nowdate

from churn_management.customer_service.doctype.service_outage.service_outage import (
	OutageScopeError,
	OutageTimesError,
)
from churn_management.customer_service.outages import outage_counts
from churn_management.tests.application_utils import (
	ACCOUNTS,
	APPLICATION_TEST_IGNORE,
	COLLECTOR,
	COVERED,
	DESK,
	HEAD,
	assert_hidden_from_other_company,
	assert_role_matrix,
	make_billed_subscription,
	make_cs_users,
	make_territory,
	set_cs_settings,
)
from churn_management.tests.utils import get_company, make_customer

test_ignore = APPLICATION_TEST_IGNORE


def make_outage(customers=(), territory=None, **values):
	start = get_datetime(add_to_date(nowdate(), days=-3, hours=8))
	return frappe.get_doc(
		{
			"doctype": "Service Outage",
			"company": get_company(),
			"affected": "Territory" if territory else "Customers listed",
			"territory": territory,
			"customers": [{"customer": customer} for customer in customers],
			"cause": "Fibre cut by an excavator",
			"start": start,
			**values,
		}
	).insert()


def close(outage, hours: int = 50):
	outage.end = add_to_date(outage.start, hours=hours)
	outage.status = "Closed"
	outage.save()
	return outage


def proposals(outage: str) -> list:
	return frappe.get_all(
		"Recalculation Application",
		filters={"service_outage": outage},
		fields=["customer", "sales_invoice", "days", "amount", "docstatus", "from_date", "to_date"],
		order_by="customer",
	)


class TestServiceOutage(FrappeTestCase):
	def setUp(self):
		make_cs_users()
		set_cs_settings()
		self.subscription, self.invoice = make_billed_subscription(monthly_cost=900, days_ago=10)
		# a street of its own, so no other test's customers live there
		self.street = make_territory(f"_Test Outage Street {frappe.generate_hash(length=6)}", COVERED)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # each test starts from the class's clean state

	def test_closing_proposes_one_recalculation_per_customer_with_a_subscription(self):
		without_subscription = make_customer()
		frappe.set_user(DESK)
		outage = make_outage([self.subscription.party, without_subscription])
		self.assertEqual(proposals(outage.name), [])
		close(outage, hours=50)
		rows = proposals(outage.name)
		self.assertEqual(
			[(r.customer, r.sales_invoice, r.docstatus) for r in rows],
			[(self.subscription.party, self.invoice.name, 0)],
		)
		period = date_diff(self.invoice.to_date, self.invoice.from_date) + 1
		self.assertEqual((rows[0].days, getdate(rows[0].from_date)), (3, getdate(outage.start)))
		self.assertAlmostEqual(flt(rows[0].amount), round(3 * 900 / period, 2))
		self.assertEqual(frappe.db.get_value("Service Outage", outage.name, "recalculations_proposed"), 1)

	def test_closing_twice_makes_no_duplicates(self):
		frappe.set_user(DESK)
		outage = close(make_outage([self.subscription.party]))
		outage.status = "Open"
		outage.save()
		close(outage)
		outage.propose_recalculations()
		self.assertEqual(len(proposals(outage.name)), 1)

	def test_a_territory_outage_reaches_its_customers(self):
		frappe.db.set_value("Customer", self.subscription.party, "territory", self.street)
		frappe.set_user(DESK)
		outage = close(make_outage(territory=self.street))
		self.assertEqual([r.customer for r in proposals(outage.name)], [self.subscription.party])

	def test_an_outage_needs_someone_affected_and_an_end_to_close(self):
		frappe.set_user(DESK)
		self.assertRaises(OutageScopeError, make_outage)
		outage = make_outage([self.subscription.party])
		outage.status = "Closed"
		self.assertRaises(OutageTimesError, outage.save)
		outage.reload()
		outage.end = add_to_date(outage.start, hours=-1)
		self.assertRaises(OutageTimesError, outage.save)
		self.assertEqual(proposals(outage.name), [])

	def test_outage_counts_of_the_last_12_months(self):
		customer, neighbour = self.subscription.party, make_customer()
		frappe.db.set_value("Customer", neighbour, "territory", COVERED)
		frappe.db.set_value("Customer", customer, "territory", self.street)
		make_outage([customer, neighbour])
		make_outage(territory=self.street)
		make_outage([customer, customer])  # listed twice: one outage
		make_outage([customer], start=add_days(nowdate(), -400))  # older than 12 months
		counts = outage_counts(nowdate())
		self.assertEqual(list(counts.columns), ["customer", "outages_12m"])
		by_customer = counts.set_index("customer")["outages_12m"]
		self.assertEqual((by_customer[customer], by_customer[neighbour]), (3, 1))

	def test_a_default_territory_never_widens_a_listed_outage(self):
		frappe.defaults.set_user_default("territory", self.street)
		self.addCleanup(frappe.defaults.clear_user_default, "territory")
		outage = make_outage([self.subscription.party], territory=None)
		self.assertEqual((outage.affected, outage.territory), ("Customers listed", None))

	def test_role_matrix(self):
		outage = make_outage([self.subscription.party])
		for user, read, write in ((DESK, 1, 1), (HEAD, 1, 1), (ACCOUNTS, 1, 0), (COLLECTOR, 0, 0)):
			with self.subTest(user=user):
				self.assertEqual(
					bool(frappe.has_permission(outage.doctype, "read", outage, user=user)), bool(read)
				)
				self.assertEqual(
					bool(frappe.has_permission(outage.doctype, "write", outage, user=user)), bool(write)
				)
