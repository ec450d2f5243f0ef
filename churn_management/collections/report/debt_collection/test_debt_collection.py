# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, getdate, nowdate

from churn_management.collections.report.debt_collection.debt_collection import execute
from churn_management.tests.debt_utils import DebtTestCase, open_case_of, run_debt_job
from churn_management.tests.utils import (
	TEST_IGNORE,
	get_company,
	make_customer,
	make_sales_invoice,
	make_user,
	pay_invoice,
)

test_ignore = TEST_IGNORE

COLLECTOR = "collection.collector@example.com"


class TestDebtCollection(DebtTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(COLLECTOR, ["Debt Collector"])
		cls.payer = make_customer()
		invoice = make_sales_invoice(cls.payer, 20, 800)
		cls.promiser = make_customer()
		make_sales_invoice(cls.promiser, 3, 500)
		cls.leaver = make_customer()
		make_sales_invoice(cls.leaver, 3, 300)
		run_debt_job()
		# the site may hold other debtors: only ours are this collector's
		ours = (cls.payer, cls.promiser, cls.leaver)
		for name in frappe.get_all("Debt Case", filters={"customer": ("not in", ours)}, pluck="name"):
			frappe.db.set_value("Debt Case", name, {"collector": None, "_assign": None})
		for customer in ours:
			case = open_case_of(customer)
			frappe.db.set_value(
				"Debt Case", case.name, {"collector": COLLECTOR, "_assign": frappe.as_json([COLLECTOR])}
			)
		case = open_case_of(cls.promiser)
		case.append("promises", {"promise_date": nowdate(), "amount": 200})
		case.save()
		frappe.get_doc(
			{
				"doctype": "Churn Record",
				"customer": cls.leaver,
				"company": get_company(),
				"churn_date": nowdate(),
				"churn_kind": "Involuntary",
			}
		).insert(ignore_permissions=True)
		pay_invoice(invoice)
		run_debt_job(add_days(nowdate(), 1))  # closes the paid case, breaks the promise

	def test_collected_per_stage_and_collector_promises_and_churn(self):
		data = execute({"company": get_company(), "collector": COLLECTOR})[1]
		month = getdate(nowdate()).strftime("%Y-%m")
		row = next(r for r in data if r["month"] == month)
		self.assertEqual(row["collector"], COLLECTOR)
		self.assertEqual(row["opened"], 3)
		self.assertEqual(row["collected"], 800)
		self.assertEqual(row["stage_warning_and_block"], 800)
		self.assertEqual(row["stage_reminder"], 0)
		self.assertEqual((row["promises_kept"], row["promises_broken"], row["promise_kept_rate"]), (0, 1, 0))
		self.assertEqual(row["churned"], 1)
		self.assertAlmostEqual(row["churn_share"], 33.3)

	def test_a_collector_sees_only_their_own_rows(self):
		case = open_case_of(self.promiser).name
		frappe.db.set_value("Debt Case", case, "collector", "Administrator")
		frappe.set_user(COLLECTOR)
		try:
			data = execute({"company": get_company()})[1]
		finally:
			frappe.set_user("Administrator")
			frappe.db.set_value("Debt Case", case, "collector", COLLECTOR)
		self.assertEqual({row["collector"] for row in data}, {COLLECTOR})
		self.assertEqual(sum(row["opened"] for row in data), 2)
