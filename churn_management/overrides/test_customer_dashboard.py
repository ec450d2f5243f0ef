# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.desk.notifications import get_open_count

from churn_management.tests.contract_utils import DESK, ContractTestCase, make_card, make_contract


class TestCustomerConnections(ContractTestCase):
	"""The front office sees a customer's contracts and cards among the Customer's connections."""

	user = DESK

	def test_contract_and_card_are_counted_on_the_customer(self):
		contract = make_contract()
		make_card(customer=contract.customer)
		counts = get_open_count("Customer", contract.customer)["count"]["external_links_found"]
		found = {row["doctype"]: row["count"] for row in counts}
		self.assertEqual(found["Annual Contract"], 1)
		self.assertEqual(found["Bonus Card"], 1)
		self.assertEqual(found["Relocation Application"], 0)
		self.assertEqual(found["Survey Response"], 0)

	def test_each_connection_is_a_doctype_with_a_customer_field(self):
		data = frappe.get_meta("Customer").get_dashboard_data()
		ours = [group for group in data.transactions if group.get("label") != "Support"]
		for group in ours:
			for doctype in group["items"]:
				if frappe.get_meta(doctype).module in frappe.get_module_list("churn_management"):
					self.assertTrue(frappe.get_meta(doctype).has_field("customer"), doctype)
