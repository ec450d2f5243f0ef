# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

"""The debt job on ERPNext's own documents: stages jumped over, a cancelled payment, a credit note that
keeps its own outstanding, a site without payment history, and a write-off waiting for the accountant."""

from unittest.mock import patch

import pandas as pd

import frappe
from frappe.utils import add_days, flt, getdate, nowdate

from churn_management.collections.jobs import debt_cases
from churn_management.tests.debt_utils import (
	DebtTestCase,
	actions_of,
	ensure_outgoing_email_account,
	make_credit_note,
	open_case_of,
	run_debt_job,
)
from churn_management.tests.utils import (
	TEST_IGNORE,
	get_company,
	make_debtor,
	make_sales_invoice,
	make_user,
	pay_invoice,
)

test_ignore = TEST_IGNORE

WRITE_OFF_PENDING = "Write-off pending"

COLLECTOR = "debt.job.collector@example.com"
ACCOUNTS_USER = "debt.job.accounts.user@example.com"
ACCOUNTS_MANAGER = "debt.job.accounts.manager@example.com"


def as_collector(case):
	"""The case as its collector reads it."""
	frappe.db.set_value(
		"Debt Case", case.name, {"collector": COLLECTOR, "_assign": frappe.as_json([COLLECTOR])}
	)
	frappe.set_user(COLLECTOR)
	return frappe.get_doc("Debt Case", case.name)


class TestDebtCaseJob(DebtTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_outgoing_email_account()
		make_user(COLLECTOR, ["Debt Collector"])
		make_user(ACCOUNTS_USER, ["Accounts User"])
		make_user(ACCOUNTS_MANAGER, ["Accounts Manager"])

	# ------------------------------------------------------------------ stages jumped over

	def test_a_debtor_first_found_past_the_block_stage_is_warned_and_blocked_in_order(self):
		customer, _invoice = make_debtor(40)  # day 40: Pre-churn Work, past Warning and Block (16-30)
		run_debt_job()
		case = as_collector(open_case_of(customer))
		self.assertEqual(case.stage, "Pre-churn Work")
		self.assertTrue(case.service_blocked)
		log = actions_of(case)
		caught_up = [
			("Reminder", "Reminder"),
			("Warning", "Warning and Block"),
			("Service Block", "Warning and Block"),
			("Pre-churn Work", "Pre-churn Work"),
		]
		self.assertEqual([entry for entry in log if entry in caught_up], caught_up)
		self.assertNotIn(("Call", "Call"), log)  # a jumped-over stage's call is not made
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Customer", customer, "service_blocked"), 1)
		types = frappe.get_all("Dunning", filters={"customer": customer}, pluck="dunning_type")
		self.assertEqual(
			sorted(types),
			sorted(frappe.get_all("Debt Stage", {"dunning_type": ("is", "set")}, pluck="dunning_type")),
		)

	def test_a_case_that_jumps_past_the_block_stage_between_two_runs_is_blocked(self):
		customer, _invoice = make_debtor(3)
		run_debt_job()
		self.assertEqual(open_case_of(customer).stage, "Reminder")
		later = add_days(nowdate(), 30)  # day 33: the job did not run while the case was in 6-30
		run_debt_job(later)
		case = open_case_of(customer)
		self.assertEqual(case.stage, "Pre-churn Work")
		self.assertTrue(case.service_blocked)
		log = actions_of(case)
		self.assertLess(
			log.index(("Warning", "Warning and Block")), log.index(("Service Block", "Warning and Block"))
		)
		self.assertLess(
			log.index(("Service Block", "Warning and Block")), log.index(("Pre-churn Work", "Pre-churn Work"))
		)
		self.assertEqual(log.count(("Reminder", "Reminder")), 1)
		self.assertNotIn(("Call", "Call"), log)
		run_debt_job(later)
		self.assertEqual(len(open_case_of(customer).actions), len(case.actions))

	# ------------------------------------------------------------------ background batches

	def test_a_batch_run_again_after_a_worker_restart_makes_nothing_twice(self):
		customers = [make_debtor(3)[0] for _i in range(3)]
		batches = []
		enqueue = frappe.enqueue

		def hold_batches(method, **kwargs):
			if method is debt_cases.fire_pending_actions:
				return batches.append(kwargs["cases"])
			return enqueue(method, **kwargs)

		with patch("frappe.enqueue", side_effect=hold_batches):
			run_debt_job()
		cases = [frappe.db.get_value("Debt Case", {"customer": customer}) for customer in customers]
		for case in cases:  # opened and staged set-based, the letters still to come
			doc = frappe.get_doc("Debt Case", case)
			self.assertEqual((doc.stage, doc.acted_stage), ("Reminder", None))
			self.assertEqual([row.action for row in doc.actions], ["Case Opened", "Stage"])
		(batch,) = [b for b in batches if set(cases) <= set(b)]

		first = next(case for case in batch if case in cases)
		debt_cases.fire_pending_actions(batch[: batch.index(first) + 1])  # the worker dies after one
		with patch("frappe.enqueue", side_effect=hold_batches):
			self.assertEqual(debt_cases.enqueue_pending_actions(customers=customers), 2)  # the sweep
		debt_cases.fire_pending_actions(batch)  # the lost batch runs again, whole
		debt_cases.fire_pending_actions(batch)
		for case in cases:
			doc = frappe.get_doc("Debt Case", case)
			self.assertEqual(doc.acted_stage, "Reminder")
			self.assertEqual(actions_of(doc).count(("Reminder", "Reminder")), 1)
			self.assertEqual(frappe.db.count("Dunning", {"customer": doc.customer}), 1)
			self.assertEqual(
				frappe.db.count("Email Queue", {"reference_doctype": "Debt Case", "reference_name": case}), 1
			)
			self.assertTrue(doc.collector)

	# ------------------------------------------------------------------ a cancelled payment

	def test_cancelling_the_payment_that_closed_a_case_brings_the_debt_back_the_same_day(self):
		customer, invoice = make_debtor(20)
		run_debt_job()
		case = open_case_of(customer)
		pay_invoice(invoice)
		case.reload()
		self.assertEqual(case.status, "Closed")
		payment = frappe.get_all(
			"Payment Entry Reference", filters={"reference_name": invoice, "docstatus": 1}, pluck="parent"
		)[0]
		frappe.set_user(ACCOUNTS_USER)
		frappe.get_doc("Payment Entry", payment).cancel()
		frappe.set_user("Administrator")
		case.reload()
		self.assertEqual(case.status, "Open")
		self.assertEqual(case.outstanding, 1000)
		self.assertEqual(case.stage, "Warning and Block")
		self.assertFalse(case.decision)
		self.assertTrue(case.service_blocked)
		self.assertEqual([row.sales_invoice for row in case.invoices], [invoice])
		self.assertEqual(frappe.db.count("Debt Case", {"customer": customer}), 1)

	# ------------------------------------------------------------------ a credit note of its own

	def test_an_invoice_credited_in_full_by_a_return_is_not_chased(self):
		customer, credited = make_debtor(40, 1000)
		unpaid = make_sales_invoice(customer, 3, 500)
		note = make_credit_note(credited)
		# ERPNext 15: the credit note keeps its own outstanding, the invoice still shows its own
		self.assertEqual(frappe.db.get_value("Sales Invoice", credited, "outstanding_amount"), 1000)
		self.assertEqual(frappe.db.get_value("Sales Invoice", note, "outstanding_amount"), -1000)
		run_debt_job()
		case = as_collector(open_case_of(customer))
		self.assertEqual(case.outstanding, 500)
		self.assertEqual(case.days_overdue, 3)
		self.assertEqual(getdate(case.oldest_due_date), getdate(add_days(nowdate(), -3)))
		self.assertEqual(case.stage, "Reminder")
		self.assertEqual(
			[(row.sales_invoice, row.outstanding_amount) for row in case.invoices], [(unpaid, 500)]
		)
		self.assertFalse(case.service_blocked)
		frappe.set_user("Administrator")
		dunning = frappe.get_all("Dunning", filters={"customer": customer}, pluck="name")
		self.assertEqual(len(dunning), 1)
		letter = frappe.get_doc("Dunning", dunning[0])
		self.assertEqual([row.sales_invoice for row in letter.overdue_payments], [unpaid])

	def test_a_debtor_whose_only_overdue_invoice_is_credited_has_no_case(self):
		customer, credited = make_debtor(40, 1000)
		make_credit_note(credited)
		run_debt_job()
		self.assertIsNone(open_case_of(customer))

	# ------------------------------------------------------------------ worth collecting, little history

	def test_a_site_with_little_payment_history_scores_from_the_default_curve_and_says_so(self):
		customer, _invoice = make_debtor(100, 5000)
		# the history of a new site: three invoices, followed long enough, none of them ever paid
		thin = pd.DataFrame(
			{
				"invoice": ["A", "B", "C"],
				"due_date": pd.to_datetime([add_days(nowdate(), -400)] * 3),
				"amount": [100.0, 200.0, 300.0],
				"paid_date": pd.to_datetime([None] * 3),
				"paid_amount": [float("nan")] * 3,
			}
		)
		settings = frappe.get_single("Debt Collection Settings")
		settings.set(
			"default_curve", [{"age_from": 1, "probability": 80}, {"age_from": 91, "probability": 30}]
		)
		settings.min_history_invoices = 100
		settings.save()
		with patch.object(debt_cases, "read_history", return_value=thin):
			run_debt_job()
		case = as_collector(open_case_of(customer))
		self.assertEqual(case.recovery_probability, 30)  # day 100: the default curve's step from day 91
		self.assertEqual(case.score_basis, "Default curve")
		self.assertEqual(case.learnt_from, 3)
		self.assertEqual(case.recommendation, "Collect")

		# with the minimum at three invoices the thin history is learnt: nothing was ever paid
		frappe.set_user("Administrator")
		frappe.db.set_single_value("Debt Collection Settings", "min_history_invoices", 3)
		with patch.object(debt_cases, "read_history", return_value=thin):
			run_debt_job()
		case = as_collector(open_case_of(customer))
		self.assertEqual((case.score_basis, case.learnt_from), ("Payment history", 3))
		self.assertEqual(case.recovery_probability, 0)
		self.assertEqual(case.recommendation, "Write Off")

	# ------------------------------------------------------------------ write-off

	def test_a_write_off_references_its_invoices_and_is_pending_until_submitted(self):
		customer, older = make_debtor(120, 700)
		younger = make_sales_invoice(customer, 95, 300)
		run_debt_job()
		case = open_case_of(customer)
		self.ensure_write_off_account()

		frappe.set_user(ACCOUNTS_MANAGER)
		entry = frappe.get_doc("Debt Case", case.name).write_off("no chance")
		case = frappe.get_doc("Debt Case", case.name)
		self.assertEqual(case.status, WRITE_OFF_PENDING)
		self.assertNotIn(case.name, frappe.get_list("Debt Case", filters={"status": "Open"}, pluck="name"))
		journal = frappe.get_doc("Journal Entry", entry)
		self.assertEqual(journal.docstatus, 0)
		written = sorted(
			(row.reference_type, row.reference_name, row.credit_in_account_currency)
			for row in journal.accounts
			if row.party == customer
		)
		self.assertEqual(written, [("Sales Invoice", older, 700), ("Sales Invoice", younger, 300)])

		# the night before the accountant submits: no more escalation, still pending
		frappe.set_user("Administrator")
		logged = len(case.actions)
		run_debt_job(add_days(nowdate(), 1))
		case.reload()
		self.assertEqual(case.status, WRITE_OFF_PENDING)
		self.assertEqual(len(case.actions), logged)

		frappe.set_user(ACCOUNTS_MANAGER)
		frappe.get_doc("Journal Entry", entry).submit()
		frappe.set_user("Administrator")
		for invoice in (older, younger):
			self.assertEqual(frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount"), 0)
			self.assertEqual(frappe.db.get_value("Sales Invoice", invoice, "status"), "Paid")
		case.reload()
		self.assertEqual((case.status, case.decision), ("Closed", "Written Off"))

	def ensure_write_off_account(self) -> None:
		company = get_company()
		if frappe.db.get_value("Company", company, "write_off_account"):
			return
		account = frappe.db.get_value(
			"Account", {"company": company, "root_type": "Expense", "is_group": 0}, "name"
		)
		frappe.db.set_single_value("Debt Collection Settings", "write_off_account", account)
