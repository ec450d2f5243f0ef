# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""A small hand-made site for the management reports, in a company of its own, with figures known by hand.

As of 31.10.2026, in company "_Test Churn Reports Co" (subscriptions on monthly plans):

=====  =======  ======  ===============================================================
name   starts   fee     what happens
=====  =======  ======  ===============================================================
A      01.11.25  1000   stays
B      01.11.25  1000   leaves 15.03.26, "too expensive" (managed, target 10 %)
C      01.11.25  2000   leaves 10.05.26, "moved away" (unmanaged, target 50 %)
D      01.12.25  1000   B2B; does not pay the invoice due 01.02.26; non-payment churn 01.05.26
E      01.11.25  1000   leaves 10.02.26 "too expensive", won back 01.03.26, leaves again 20.06.26
F      15.01.26   500   an invoice due 10.10.26 unpaid: overdue at the date
=====  =======  ======  ===============================================================

Over January - October 2026: 38 customer-months at month starts and 4 churned (10.53 %), revenue
38,500 at month starts and 5,000 lost (12.99 %); voluntary 3, involuntary 1, secondary 1 (E).
"""

import frappe
from frappe.desk.query_report import run
from frappe.tests.utils import FrappeTestCase
from frappe.utils import date_diff, getdate, nowdate

from churn_management.tests.utils import (
	make_company,
	make_customer,
	make_reason,
	make_reason_group,
	make_retention_method,
	make_sales_invoice,
	make_subscription_plan,
	make_user,
)

COMPANY = "_Test Churn Reports Co"
AS_OF = "2026-10-31"
FROM_DATE = "2026-01-01"
HEAD = "reports.head@example.com"
ANALYST = "reports.analyst@example.com"
OUTSIDER = "reports.manager@example.com"
EXPENSIVE = "_Test Reports Too expensive"
MOVED = "_Test Reports Moved away"
PRICE_GROUP = "_Test Reports Price"
LIFE_GROUP = "_Test Reports Life"


def make_report_users() -> None:
	make_user(HEAD, ["Retention Head"])
	make_user(ANALYST, ["Churn Analyst"])
	make_user(OUTSIDER, ["Retention Manager", "Termination Desk", "Accounts User"])


def make_reasons() -> None:
	make_reason(EXPENSIVE, make_reason_group(PRICE_GROUP, managed=1).name, managed=1, target_share=10)
	make_reason(MOVED, make_reason_group(LIFE_GROUP, managed=0).name, managed=0, target_share=50)


def report_filters(**extra) -> dict:
	return {"company": COMPANY, "from_date": FROM_DATE, "to_date": AS_OF, **extra}


def make_reports_site() -> dict[str, str]:
	"""The six customers above; returns their names by letter."""
	make_company(COMPANY, "TCRC")
	make_reasons()
	frappe.db.set_single_value("Churn Settings", "non_payment_reason", None)
	frappe.clear_document_cache("Churn Settings", "Churn Settings")
	customers = {}
	for letter, start, fee, kind in (
		("A", "2025-11-01", 1000, "Individual"),
		("B", "2025-11-01", 1000, "Individual"),
		("C", "2025-11-01", 2000, "Individual"),
		("D", "2025-12-01", 1000, "Company"),
		("E", "2025-11-01", 1000, "Individual"),
		("F", "2026-01-15", 500, "Individual"),
	):
		customers[letter] = make_customer(customer_type=kind)
		make_company_subscription(customers[letter], fee, start)
	invoice_due(customers["D"], "2026-02-01", 1000)
	invoice_due(customers["F"], "2026-10-10", 500)
	churn(customers["B"], "2026-03-15", EXPENSIVE, 1000)
	churn(customers["C"], "2026-05-10", MOVED, 2000)
	churn(customers["D"], "2026-05-01", None, 1000, kind="Involuntary")
	first = churn(customers["E"], "2026-02-10", EXPENSIVE, 1000)
	first.mark_won_back(make_retention_method("_Test Reports Discount").name, won_back_date="2026-03-01")
	churn(customers["E"], "2026-06-20", EXPENSIVE, 1000)
	return customers


def make_company_subscription(customer: str, fee: float, start: str) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Subscription",
			"party_type": "Customer",
			"party": customer,
			"company": COMPANY,
			"start_date": start,
			"plans": [{"plan": make_subscription_plan(fee), "qty": 1}],
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def invoice_due(customer: str, due: str, amount: float) -> str:
	return make_sales_invoice(customer, date_diff(nowdate(), getdate(due)), amount, company=COMPANY)


def churn(customer: str, date: str, reason: str | None, lost_mrr: float, kind: str = "Voluntary"):
	doc = frappe.get_doc(
		{
			"doctype": "Churn Record",
			"customer": customer,
			"company": COMPANY,
			"churn_date": date,
			"churn_kind": kind,
			"churn_reason": reason,
			"lost_mrr": lost_mrr,
		}
	)
	return doc.insert(ignore_permissions=True)


class ManagementReportTestCase(FrappeTestCase):
	"""A report of the Management module run as the desk runs it, on the hand-made site above."""

	report = ""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_report_users()
		cls.customers = make_reports_site()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "en"

	def result(self, user: str = HEAD, **filters) -> dict:
		frappe.set_user(user)
		return run(self.report, report_filters(**filters), ignore_prepared_report=True)

	def assert_refused(self, user: str = OUTSIDER) -> None:
		frappe.set_user(user)
		self.assertRaises(
			frappe.PermissionError, run, self.report, report_filters(), ignore_prepared_report=True
		)
