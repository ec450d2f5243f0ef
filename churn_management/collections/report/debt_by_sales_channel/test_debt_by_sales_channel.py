# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from churn_management.collections.report.debt_by_sales_channel.debt_by_sales_channel import execute
from churn_management.tests.utils import (
	TEST_IGNORE,
	get_company,
	make_customer,
	make_sales_invoice,
	pay_invoice,
)

test_ignore = [*TEST_IGNORE, "Sales Person"]


def make_sales_person(name: str) -> str:
	if not frappe.db.exists("Sales Person", name):
		root = frappe.db.get_value("Sales Person", {"is_group": 1}, "name")
		frappe.get_doc(
			{"doctype": "Sales Person", "sales_person_name": name, "parent_sales_person": root, "is_group": 0}
		).insert(ignore_permissions=True)
	return name


def sold_by(person: str) -> str:
	customer = frappe.get_doc("Customer", make_customer())
	customer.append("sales_team", {"sales_person": person, "allocated_percentage": 100})
	customer.save(ignore_permissions=True)
	return customer.name


class TestDebtBySalesChannel(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.careless = make_sales_person("_Test Debt Seller Careless")
		cls.careful = make_sales_person("_Test Debt Seller Careful")
		make_sales_invoice(sold_by(cls.careless), 120, 100)
		make_sales_invoice(sold_by(cls.careless), 110, 100)
		paid = make_sales_invoice(sold_by(cls.careful), 120, 100)
		pay_invoice(paid, on=frappe.db.get_value("Sales Invoice", paid, "due_date"), reference="ON TIME")
		make_sales_invoice(sold_by(cls.careful), 115, 100)
		# too new to judge: its first three months are not over
		make_sales_invoice(sold_by(cls.careful), 20, 100)

	def test_share_of_new_customers_in_debt_per_salesperson(self):
		filters = {
			"company": get_company(),
			"from_date": add_days(nowdate(), -200),
			"group_by": "Sales Person",
		}
		rows = {row["channel"]: row for row in execute(filters)[1]}
		careless, careful = rows[self.careless], rows[self.careful]
		self.assertEqual(
			(careless["new_customers"], careless["in_debt"], careless["debt_share"]), (2, 2, 100)
		)
		self.assertEqual((careful["new_customers"], careful["observed"], careful["in_debt"]), (3, 2, 1))
		self.assertEqual(careful["debt_share"], 50)
