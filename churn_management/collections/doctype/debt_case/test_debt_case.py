# Copyright (c) 2026, churn_management contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, cint, flt, getdate, nowdate

from churn_management.collections.doctype.debt_case.debt_case import (
	AuditTrailError,
	BlockReasonError,
	DuplicateDebtCaseError,
	PaymentPlanError,
	PromiseError,
	UnblockNotAllowedError,
	WriteOffNotApprovedError,
)
from churn_management.collections.doctype.debt_stage.debt_stage import StageRangeError
from churn_management.tests.debt_utils import (
	DebtTestCase,
	actions_of,
	ensure_outgoing_email_account,
	make_advance,
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
	mark_disputed,
	pay_invoice,
)

test_ignore = TEST_IGNORE

COLLECTOR = "debt.collector@example.com"
COLLECTOR_2 = "debt.collector2@example.com"
HEAD = "debt.head@example.com"
ACCOUNTS = "debt.accounts@example.com"
ANALYST = "debt.analyst@example.com"


class TestDebtCase(DebtTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_outgoing_email_account()
		make_user(COLLECTOR, ["Debt Collector"])
		make_user(COLLECTOR_2, ["Debt Collector"])
		make_user(HEAD, ["Retention Head"])
		make_user(ACCOUNTS, ["Accounts Manager"])
		make_user(ANALYST, ["Churn Analyst"])

	# ------------------------------------------------------------------ the daily job

	def test_job_opens_a_case_from_erpnext_and_sends_the_reminder(self):
		customer, invoice = make_debtor(3, 1200)
		run_debt_job()
		case = open_case_of(customer)
		self.assertIsNotNone(case)
		self.assertEqual(case.stage, "Reminder")
		self.assertEqual(case.outstanding, 1200)
		self.assertEqual(case.days_overdue, 3)
		self.assertEqual(getdate(case.oldest_due_date), getdate(add_days(nowdate(), -3)))
		self.assertEqual([row.sales_invoice for row in case.invoices], [invoice])
		self.assertIn(("Case Opened", None), [(a, None) for a, _s in actions_of(case)])
		self.assertIn(("Reminder", "Reminder"), actions_of(case))
		dunning = frappe.get_all(
			"Dunning", filters={"customer": customer}, fields=["name", "dunning_type", "docstatus"]
		)
		self.assertEqual(len(dunning), 1)
		self.assertEqual(
			dunning[0].dunning_type, frappe.db.get_value("Debt Stage", "Reminder", "dunning_type")
		)
		self.assertTrue(
			frappe.db.exists("Email Queue", {"reference_doctype": "Debt Case", "reference_name": case.name})
		)

	def test_second_run_the_same_day_changes_nothing(self):
		customer, _invoice = make_debtor(8)
		run_debt_job()
		case = open_case_of(customer)
		logged = len(case.actions)
		todos = frappe.db.count("ToDo", {"reference_type": "Debt Case", "reference_name": case.name})
		summary = run_debt_job()
		self.assertEqual((summary["opened"], summary["moved"], summary["closed"]), (0, 0, 0))
		case.reload()
		self.assertEqual(len(case.actions), logged)
		self.assertEqual(
			frappe.db.count("ToDo", {"reference_type": "Debt Case", "reference_name": case.name}), todos
		)

	def test_every_stage_transition_fires_its_actions_once(self):
		customer, _invoice = make_debtor(3)
		run_debt_job()
		expected = [
			(5, "Call", "Call"),
			(15, "Warning and Block", "Service Block"),
			(30, "Pre-churn Work", "Pre-churn Work"),
			(90, "Decision", "Decision"),
		]
		for days_later, stage, action in expected:
			run_debt_job(add_days(nowdate(), days_later))
			case = open_case_of(customer)
			self.assertEqual(case.stage, stage)
			self.assertEqual(case.days_overdue, 3 + days_later)
			self.assertIn((action, stage), actions_of(case))
		self.assertEqual(sum(1 for a, s in actions_of(case) if a == "Stage"), 5)
		self.assertTrue(case.service_blocked)
		self.assertEqual(frappe.db.get_value("Customer", customer, "service_blocked"), 1)
		# a call in Call, a call and the pre-churn work in Pre-churn Work, the decision: each logged
		# with its task, all on the collector's one open ToDo (their avatar shows once on the case)
		tasks = [a for a in case.actions if a.action in ("Call", "Pre-churn Work", "Decision")]
		self.assertEqual(len(tasks), 4)
		self.assertTrue(all(a.reference_doctype == "ToDo" and a.reference_name for a in tasks))
		open_todos = frappe.get_all(
			"ToDo",
			filters={"reference_type": "Debt Case", "reference_name": case.name, "status": "Open"},
			fields=["allocated_to", "description"],
		)
		self.assertEqual([t.allocated_to for t in open_todos], [case.collector])
		self.assertIn("Decide", open_todos[0].description)
		self.assertEqual(
			frappe.parse_json(frappe.db.get_value("Debt Case", case.name, "_assign")), [case.collector]
		)
		self.assertEqual(frappe.db.count("Dunning", {"customer": customer}), 2)

	def test_payment_closes_the_case_and_unblocks(self):
		customer, invoice = make_debtor(20)
		run_debt_job()
		case = open_case_of(customer)
		self.assertEqual(case.stage, "Warning and Block")
		self.assertTrue(case.service_blocked)
		pay_invoice(invoice)  # the payment itself refreshes the case, without waiting for the daily job
		case.reload()
		self.assertEqual(case.status, "Closed")
		self.assertEqual(case.decision, "Collected")
		self.assertFalse(case.service_blocked)
		self.assertEqual(frappe.db.get_value("Customer", customer, "service_blocked"), 0)
		self.assertIn("Service Unblock", [a for a, _s in actions_of(case)])

	def test_credit_note_closes_and_new_debt_reopens(self):
		customer, invoice = make_debtor(4)
		run_debt_job()
		case = open_case_of(customer)
		make_credit_note(invoice)
		run_debt_job()
		case.reload()
		self.assertEqual(case.status, "Closed")
		make_sales_invoice(customer, 2, 300)
		run_debt_job()
		case.reload()
		self.assertEqual(case.status, "Open")
		self.assertEqual(case.outstanding, 300)
		self.assertIn("Case Reopened", [a for a, _s in actions_of(case)])
		self.assertEqual(frappe.db.count("Debt Case", {"customer": customer}), 1)

	def test_debt_is_net_of_advances_and_leaves_out_disputed_invoices(self):
		customer, _invoice = make_debtor(10, 1000)
		make_advance(customer, 400)
		disputed_customer, disputed = make_debtor(10, 500)
		mark_disputed(disputed)
		run_debt_job()
		self.assertEqual(open_case_of(customer).outstanding, 600)
		self.assertIsNone(open_case_of(disputed_customer))

	def test_one_open_case_per_customer_and_company(self):
		customer, _invoice = make_debtor(3)
		run_debt_job()
		duplicate = frappe.get_doc({"doctype": "Debt Case", "customer": customer, "company": get_company()})
		self.assertRaises(DuplicateDebtCaseError, duplicate.insert)

	def test_case_is_scored(self):
		customer, _invoice = make_debtor(40, 5000)
		run_debt_job()
		case = open_case_of(customer)
		self.assertGreater(case.remaining_cost, 0)
		self.assertAlmostEqual(
			case.expected_recovery, flt(case.outstanding * case.recovery_probability / 100, 2), delta=0.05
		)
		self.assertAlmostEqual(case.net_recovery, case.expected_recovery - case.remaining_cost, delta=0.05)
		self.assertIn(case.recommendation, ("Collect", "Write Off"))

	# ------------------------------------------------------------------ promises and plans

	def test_the_recovery_curve_is_learnt_once_a_week(self):
		from unittest.mock import patch

		from churn_management.collections.jobs import debt_cases

		settings = frappe.get_single("Debt Collection Settings")
		debt_cases.forget_recovery_curve()
		with patch.object(debt_cases, "read_history", wraps=debt_cases.read_history) as read:
			first = debt_cases.learnt_recovery_curve(getdate("2026-12-07"), settings)  # a Monday
			again = debt_cases.learnt_recovery_curve(getdate("2026-12-13"), settings)  # its Sunday
			self.assertEqual(read.call_count, 1)
			self.assertEqual(list(first.columns), list(again.columns))
			self.assertEqual(first["age_from"].tolist(), again["age_from"].tolist())
			debt_cases.learnt_recovery_curve(getdate("2026-12-14"), settings)  # the next week
			self.assertEqual(read.call_count, 2)
			settings.follow_days = cint(settings.follow_days) + 1  # other settings: learnt again
			debt_cases.learnt_recovery_curve(getdate("2026-12-14"), settings)
			self.assertEqual(read.call_count, 3)
		debt_cases.forget_recovery_curve()

	def test_promise_bad_inputs(self):
		customer, _invoice = make_debtor(3, 1000)
		run_debt_job()
		case = open_case_of(customer)
		case.append("promises", {"promise_date": add_days(nowdate(), -1), "amount": 100})
		self.assertRaises(PromiseError, case.save)
		case.reload()
		case.append("promises", {"promise_date": add_days(nowdate(), 3), "amount": 1500})
		self.assertRaises(PromiseError, case.save)

	def test_broken_promise_escalates_at_once(self):
		customer, _invoice = make_debtor(3, 1000)
		run_debt_job()
		case = open_case_of(customer)
		case.append("promises", {"promise_date": nowdate(), "amount": 400})
		case.save()
		self.assertEqual(case.promises[0].outstanding_when_made, 1000)
		run_debt_job(add_days(nowdate(), 1))
		case.reload()
		self.assertEqual(case.promises[0].status, "Broken")
		self.assertEqual(case.stage, "Call")
		self.assertIn(("Promise Broken", "Reminder"), actions_of(case))
		# the age (4 days) says Reminder, but an escalated case does not move back
		run_debt_job(add_days(nowdate(), 1))
		case.reload()
		self.assertEqual(case.stage, "Call")

	def test_kept_promise(self):
		customer, invoice = make_debtor(3, 1000)
		run_debt_job()
		case = open_case_of(customer)
		case.append("promises", {"promise_date": add_days(nowdate(), 2), "amount": 1000})
		case.save()
		pay_invoice(invoice)
		run_debt_job()
		case.reload()
		self.assertEqual(case.promises[0].status, "Kept")
		self.assertEqual(case.status, "Closed")

	def test_payment_plan_must_sum_to_the_debt(self):
		customer, _invoice = make_debtor(3, 1000)
		run_debt_job()
		case = open_case_of(customer)
		case.append("instalments", {"due_date": add_days(nowdate(), 5), "amount": 500})
		case.append("instalments", {"due_date": add_days(nowdate(), 35), "amount": 400})
		self.assertRaises(PaymentPlanError, case.save)
		case.reload()
		self.assertFalse(case.instalments)

	def test_missed_instalment_escalates(self):
		customer, _invoice = make_debtor(3, 1000)
		run_debt_job()
		case = open_case_of(customer)
		case.append("instalments", {"due_date": nowdate(), "amount": 500})
		case.append("instalments", {"due_date": add_days(nowdate(), 30), "amount": 500})
		case.save()
		self.assertEqual(case.decision, "Payment Plan")
		run_debt_job(add_days(nowdate(), 1))
		case.reload()
		self.assertEqual([row.status for row in case.instalments], ["Missed", "Pending"])
		self.assertEqual(case.stage, "Call")
		self.assertIn("Instalment Missed", [a for a, _s in actions_of(case)])

	# ------------------------------------------------------------------ block, unblock, write-off

	def test_block_needs_a_reason_and_unblock_past_the_block_stage_needs_an_override(self):
		customer, _invoice = make_debtor(20)
		run_debt_job()
		case = open_case_of(customer)
		case.db_set("collector", COLLECTOR)
		self.assertTrue(case.service_blocked)
		self.assertRaises(BlockReasonError, case.apply_unblock, "")
		frappe.set_user(COLLECTOR)
		case = frappe.get_doc("Debt Case", case.name)
		self.assertRaises(UnblockNotAllowedError, case.unblock_service, "customer asked", 1)
		frappe.set_user(HEAD)
		case = frappe.get_doc("Debt Case", case.name)
		case.unblock_service("promised to pay on Friday", 1)
		frappe.set_user("Administrator")
		case.reload()
		self.assertFalse(case.service_blocked)
		self.assertEqual(frappe.db.get_value("Customer", customer, "service_blocked"), 0)
		last = case.actions[-1]
		self.assertEqual((last.action, last.user), ("Service Unblock", HEAD))
		self.assertIn("override", last.note)

	def test_the_log_cannot_be_edited_or_shortened(self):
		customer, _invoice = make_debtor(3)
		run_debt_job()
		case = open_case_of(customer)
		case.actions[0].note = "nothing happened"
		self.assertRaises(AuditTrailError, case.save)
		case.reload()
		case.actions.pop()
		self.assertRaises(AuditTrailError, case.save)
		case.reload()
		case.log_contact("Promised to call back tomorrow")
		self.assertEqual(case.actions[-1].action, "Contact")

	def test_manual_block_without_reason_is_refused(self):
		customer, _invoice = make_debtor(3)
		run_debt_job()
		case = open_case_of(customer)
		self.assertRaises(BlockReasonError, case.block_service, " ")
		case.reload()
		self.assertFalse(case.service_blocked)
		case.block_service("refuses to talk")
		self.assertEqual(case.blocked_by, "Administrator")
		self.assertEqual(frappe.db.get_value("Customer", customer, "service_blocked"), 1)

	def test_write_off_needs_approval_and_makes_a_draft_journal_entry(self):
		customer, _invoice = make_debtor(100, 700)
		run_debt_job()
		case = open_case_of(customer)
		case.db_set("collector", COLLECTOR)
		company = get_company()
		if not frappe.db.get_value("Company", company, "write_off_account"):
			account = frappe.db.get_value(
				"Account", {"company": company, "root_type": "Expense", "is_group": 0}, "name"
			)
			frappe.db.set_single_value("Debt Collection Settings", "write_off_account", account)
		frappe.set_user(COLLECTOR)
		self.assertRaises(WriteOffNotApprovedError, frappe.get_doc("Debt Case", case.name).write_off)
		frappe.set_user(ACCOUNTS)
		entry = frappe.get_doc("Debt Case", case.name).write_off("no chance")
		frappe.set_user("Administrator")
		journal = frappe.get_doc("Journal Entry", entry)
		self.assertEqual(journal.docstatus, 0)
		credit = [row for row in journal.accounts if row.party == customer]
		self.assertEqual(credit[0].credit_in_account_currency, 700)
		case.reload()
		self.assertEqual((case.decision, case.write_off_approved_by), ("Written Off", ACCOUNTS))

	# ------------------------------------------------------------------ stages

	def test_overlapping_or_gapped_stages_are_refused(self):
		overlap = frappe.get_doc(
			{"doctype": "Debt Stage", "stage_name": "_Test Overlap", "from_day": 10, "to_day": 12}
		)
		self.assertRaises(StageRangeError, overlap.insert)
		decision = frappe.get_doc("Debt Stage", "Decision")
		decision.from_day = 95
		self.assertRaises(StageRangeError, decision.save)

	# ------------------------------------------------------------------ assignment and roles

	def test_cases_are_load_balanced_over_collectors(self):
		customers = [make_debtor(3)[0] for _i in range(4)]
		run_debt_job()
		cases = [open_case_of(c) for c in customers]
		collectors = [case.collector for case in cases]
		self.assertTrue(all(collectors))
		self.assertEqual(len(set(collectors)), 2)
		for case in cases:
			self.assertEqual(frappe.parse_json(case._assign), [case.collector])
			todos = {"reference_type": "Debt Case", "reference_name": case.name, "status": "Open"}
			self.assertEqual(frappe.db.count("ToDo", {**todos, "assignment_rule": ("is", "set")}), 1)

	def test_role_matrix(self):
		mine, my_invoice = make_debtor(3)
		theirs, their_invoice = make_debtor(3)
		run_debt_job()
		my_case, their_case = open_case_of(mine), open_case_of(theirs)
		for case, user in ((my_case, COLLECTOR), (their_case, COLLECTOR_2)):
			frappe.db.set_value(
				"Debt Case", case.name, {"collector": user, "_assign": frappe.as_json([user])}
			)

		frappe.set_user(COLLECTOR)
		visible = frappe.get_list("Debt Case", pluck="name")
		self.assertIn(my_case.name, visible)
		self.assertNotIn(their_case.name, visible)
		self.assertTrue(frappe.has_permission("Debt Case", "write", my_case.name))
		self.assertFalse(frappe.has_permission("Debt Case", "read", their_case.name))
		self.assertTrue(frappe.has_permission("Sales Invoice", "read", my_invoice))
		self.assertFalse(frappe.has_permission("Sales Invoice", "read", their_invoice))
		self.assertNotIn(their_invoice, frappe.get_list("Sales Invoice", pluck="name"))
		self.assertFalse(frappe.has_permission("Debt Stage", "write"))

		frappe.set_user(ANALYST)
		self.assertTrue(frappe.has_permission("Debt Case", "read", their_case.name))
		self.assertFalse(frappe.has_permission("Debt Case", "write", their_case.name))

		frappe.set_user(HEAD)
		self.assertTrue(frappe.has_permission("Debt Case", "write", their_case.name))
		self.assertTrue(frappe.has_permission("Debt Stage", "write"))
