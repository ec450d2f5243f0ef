# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""Factories for the debt tests: stages, credit notes, advances, and the daily job without its commits."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import nowdate

from churn_management.collections.doctype.debt_case.debt_case_setup import link_stage_letters
from churn_management.collections.doctype.debt_stage.debt_stage import create_preset_stages
from churn_management.tests.utils import get_company


def reset_stages(vertical: str = "security") -> list[str]:
	"""The preset stages (1-5, 6-15, 16-30, 31-90, 91+) with their letters, whatever the site had."""
	frappe.db.delete("Debt Stage")
	create_preset_stages(vertical)
	link_stage_letters()
	return frappe.get_all("Debt Stage", order_by="from_day asc", pluck="name")


def hold_debt_commits(test_class=None) -> None:
	"""The debt job (also when a payment triggers it) stays inside the test's transaction.

	Given the test class, also for its whole life: e-mails are queued but never sent, since sending
	(Frappe sends at once in tests) commits the transaction, and their HTML is not CSS-inlined, since
	a test bench may have no built assets."""
	frappe.flags.hold_debt_commits = True
	if test_class is None:
		return
	for target, replacement in (
		("frappe.email.doctype.email_queue.email_queue.EmailQueue.send", None),
		("frappe.email.email_body.inline_style_in_html", lambda html: html),
	):
		patcher = patch(target, side_effect=replacement)
		patcher.start()
		test_class.addClassCleanup(patcher.stop)


def run_debt_job(as_of=None) -> dict:
	"""The daily job inside the test's transaction: its commits are held back so the test rolls back.

	E-mails are queued for real; only the CSS inlining of their HTML is skipped, since a test bench
	may have no built assets."""
	from churn_management.collections.jobs.debt_cases import forget_recovery_curve, update_debt_cases

	hold_debt_commits()
	forget_recovery_curve()  # each test makes its own history
	with patch("frappe.email.email_body.inline_style_in_html", side_effect=lambda html: html):
		return update_debt_cases(as_of)


def open_case_of(customer: str):
	name = frappe.db.get_value("Debt Case", {"customer": customer, "status": "Open"})
	return frappe.get_doc("Debt Case", name) if name else None


def actions_of(case) -> list[tuple[str, str]]:
	"""The case's log as (action, stage) pairs, oldest first."""
	return [(row.action, row.stage) for row in case.actions]


def make_credit_note(invoice: str, amount: float | None = None) -> str:
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	note = make_sales_return(invoice)
	if amount is not None:
		note.items[0].qty = -1
		note.items[0].rate = amount
	note.insert(ignore_permissions=True)
	note.submit()
	return note.name


def make_advance(customer: str, amount: float) -> str:
	"""An unallocated payment from the customer (an advance)."""
	from erpnext.accounts.party import get_party_account

	company = get_company()
	cash = frappe.db.get_value("Account", {"company": company, "account_type": "Cash", "is_group": 0})
	entry = frappe.get_doc(
		{
			"doctype": "Payment Entry",
			"payment_type": "Receive",
			"company": company,
			"posting_date": nowdate(),
			"party_type": "Customer",
			"party": customer,
			"paid_from": get_party_account("Customer", customer, company),
			"paid_to": cash,
			"paid_amount": amount,
			"received_amount": amount,
			"reference_no": "ADV",
			"reference_date": nowdate(),
		}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()
	return entry.name


def ensure_outgoing_email_account() -> str:
	"""Notifications by e-mail need a default outgoing account (never contacted in tests)."""
	existing = frappe.db.get_value("Email Account", {"default_outgoing": 1, "enable_outgoing": 1})
	if existing:
		return existing
	account = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "_Test Debt Outgoing",
			"email_id": "debt-desk@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "localhost",
			"smtp_port": 25,
			"no_smtp_authentication": 1,
		}
	)
	account.insert(ignore_permissions=True)
	return account.name


class DebtTestCase(FrappeTestCase):
	"""On the preset stages, the debt job held in the test's transaction, the Administrator after each test."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		hold_debt_commits(cls)
		cls.stages = reset_stages()

	def tearDown(self):
		frappe.set_user("Administrator")
